// A real browser through the web UI: the test trains two tiny runs with the
// seglab binary (differing in learning rate and epochs), starts `seglab serve`
// on a free loopback port, and drives Debian's headless Chromium
// (puppeteer-core, tests/reports/browser/) through the runs page, the run
// page, the compare page of both runs and the segment page, uploading a real
// PH2 skin image and checking that its mask appears. One server and one
// browser serve all pages: each start costs seconds.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <set>

#include "tests/support/serve_process.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_experiment.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace seglab {
namespace {

// Small enough to train in seconds, trained enough that its mask of a real
// lesion is neither empty nor everything.
const std::string kExperiment = test::TinyExperiment{"web-tiny", 5, 32, 4, 8, "0.02", ""}.ini();
// The run it is compared with: the same experiment with a smaller learning
// rate for fewer epochs, so exactly train.lr and train.epochs differ. 0.015
// is written as it is: a page that rounds to 4 decimals shows 0.0150.
const std::string kOtherExperiment = test::TinyExperiment{"web-tiny", 5, 32, 2, 8, "0.015", ""}.ini();

// Chart.js has drawn `chart` as the pages ask, whichever version Debian ships:
// a line chart on a linear x axis with its title, every dataset shown and in
// the legend, every point inside the plot area where its data says, and the
// datasets' colours on the canvas.
void expect_drawn(const json& chart) {
  SCOPED_TRACE(chart["title"].dump());
  EXPECT_EQ(chart["type"], json("line"));
  EXPECT_EQ(chart["x_scale"], json("linear"));
  EXPECT_EQ(chart["title_boxes"], 1);
  json labels = json::array();
  for (const auto& dataset : chart["datasets"]) {
    labels.push_back(dataset["label"]);
    EXPECT_TRUE(dataset["visible"].get<bool>()) << dataset["label"];
    EXPECT_EQ(dataset["drawn"], dataset["x"].size()) << dataset["label"];
  }
  EXPECT_EQ(chart["legend"], labels);
  EXPECT_GT(chart["data_pixels"].get<int>(), 20);  // the lines are on the canvas
}

// The metric series the catalog holds for `id` under `key`: steps and values.
std::pair<json, json> recorded_series(const Catalog& catalog, const std::string& id, const std::string& key) {
  json steps = json::array(), values = json::array();
  for (const auto& point : catalog.metrics(id, key)) steps.push_back(point.step), values.push_back(point.value);
  return {steps, values};
}

// The compare page of runs `a` (4 epochs, lr 0.02) and `b` (2 epochs, lr
// 0.015): one chart per curve key the runs recorded, each with one dataset
// per run carrying exactly the recorded points, and a parameters table whose
// differing rows are exactly train.epochs and train.lr with both values.
void expect_compare_page_shows(const json& seen, const std::string& store_dir, const std::string& a, const std::string& b) {
  RunStore store(store_dir);
  const Catalog& catalog = store.catalog();
  std::set<std::string> curve_keys;  // what the page charts: no eval.* single values
  for (const std::string& id : {a, b})
    for (const auto& point : catalog.metrics(id))
      if (point.key.rfind("eval.", 0) != 0) curve_keys.insert(point.key);
  ASSERT_TRUE(curve_keys.count("val.dice") && curve_keys.count("train.epoch_loss")) << seen.dump();

  const json& charts = seen["compare_drawn"];
  std::set<std::string> charted;
  for (const auto& chart : charts) {
    const std::string key = chart["key"];
    SCOPED_TRACE(key);
    charted.insert(key);
    EXPECT_EQ(chart["title"], key);
    expect_drawn(chart);
    ASSERT_EQ(chart["datasets"].size(), 2u);
    const std::string ids[] = {a, b};
    for (int r = 0; r < 2; ++r) {
      const json& dataset = chart["datasets"][r];
      EXPECT_EQ(dataset["label"], ids[r] + " web-tiny");
      const auto [steps, values] = recorded_series(catalog, ids[r], key);
      EXPECT_EQ(dataset["x"], steps);
      EXPECT_EQ(dataset["y"], values);  // doubles through JSON text: exact
    }
    if (key == "val.dice" || key == "train.epoch_loss") {  // one point per epoch
      EXPECT_EQ(chart["datasets"][0]["x"].size(), 4u);
      EXPECT_EQ(chart["datasets"][1]["x"].size(), 2u);
    }
  }
  EXPECT_EQ(charted, curve_keys);

  EXPECT_EQ(seen["compare_params_head"], json({"key", a + " web-tiny", b + " web-tiny"}));
  // "only parameters that differ" is checked by default: the rows are the differences.
  const json differing = json::array({{{"differs", true}, {"cells", {"train.epochs", "4", "2"}}},
                                      {{"differs", true}, {"cells", {"train.lr", "0.02", "0.015"}}}});
  EXPECT_EQ(seen["compare_params"], differing);
  // ... and they are the catalog's differences, not a fixed list.
  const auto params_a = catalog.params(a), params_b = catalog.params(b);
  std::vector<std::string> catalog_differs;
  for (const auto& [key, value] : params_a)
    if (!params_b.count(key) || params_b.at(key) != value) catalog_differs.push_back(key);
  for (const auto& [key, value] : params_b)
    if (!params_a.count(key)) catalog_differs.push_back(key);
  EXPECT_EQ(catalog_differs, (std::vector<std::string>{"train.epochs", "train.lr"}));
}

TEST(WebBrowser, PagesShowTwoTrainedRunsTheirComparisonAndTheMaskOfAnUploadedSkinImage) {
  const std::string browser_dir = std::string(test::source_dir()) + "/tests/reports/browser";
  ASSERT_TRUE(fs::exists(browser_dir + "/node_modules/puppeteer-core"))
      << "puppeteer-core is missing: run scripts/setup.sh --tests";
  ASSERT_TRUE(fs::exists("/usr/bin/chromium")) << "Chromium is missing: run scripts/setup.sh --tests";
  // Chromium refuses to read an upload whose path holds "..": give it the canonical one.
  const std::string image = fs::canonical(test::shared_data("skin-lesions/images/IMD004.bmp")).string();

  test::TempDir dir;
  test::write_text_file(dir / "tiny.ini", kExperiment);
  test::write_text_file(dir / "other.ini", kOtherExperiment);
  const auto train = test::run_seglab("train " + (dir / "tiny.ini") + " --store " + (dir / "store"));
  ASSERT_EQ(train.exit_code, 0) << train.output;
  const std::string id = test::trained_run_id(train.output, "web-tiny");
  ASSERT_FALSE(id.empty());
  const auto train_other = test::run_seglab("train " + (dir / "other.ini") + " --store " + (dir / "store"));
  ASSERT_EQ(train_other.exit_code, 0) << train_other.output;
  const std::string other = test::trained_run_id(train_other.output, "web-tiny");
  ASSERT_FALSE(other.empty());

  test::ServeProcess serve(dir / "store", dir / "serve.log");
  ASSERT_GT(serve.port(), 0) << test::read_text_file(dir / "serve.log");
  const std::string base = "http://127.0.0.1:" + std::to_string(serve.port());
  fs::create_directories(dir / "shots");
  const auto run = test::run_command("cd " + browser_dir + " && node check_pages.mjs " + base + " " + id + " " + image +
                                     " " + (dir / "shots") + " " + id + "," + other);
  ASSERT_EQ(run.exit_code, 0) << run.output << "\nserver log:\n" << test::read_text_file(dir / "serve.log");
  const size_t json_start = run.output.rfind("{\"console_errors\"");
  ASSERT_NE(json_start, std::string::npos) << run.output;
  const std::string last_line = run.output.substr(json_start);
  const json seen = json::parse(last_line);

  EXPECT_TRUE(seen["console_errors"].empty()) << seen["console_errors"].dump();
  auto rows = seen["runs_rows"].get<std::vector<std::string>>();
  std::sort(rows.begin(), rows.end());  // newest first, and both may be of the same second
  std::vector<std::string> trained = {id, other};
  std::sort(trained.begin(), trained.end());
  EXPECT_EQ(rows, trained);
  EXPECT_EQ(seen["runs_status"], "finished");
  EXPECT_EQ(seen["run_charts"], json({"loss", "metrics", "learning rate", "throughput"})) << seen.dump();
  EXPECT_GT(seen["run_chart_points"].get<int>(), 12);
  ASSERT_EQ(seen["run_drawn"].size(), 4u);
  for (const auto& chart : seen["run_drawn"]) expect_drawn(chart);
  expect_compare_page_shows(seen, dir / "store", id, other);

  ASSERT_EQ(seen["segment_state"], "done") << seen["segment_message"];
  const cv::Mat original = cv::imread(image);
  const json& shown = seen["segment"];
  for (const char* canvas : {"original", "mask", "overlay"}) {
    EXPECT_EQ(shown[canvas]["width"], original.cols) << canvas;
    EXPECT_EQ(shown[canvas]["height"], original.rows) << canvas;
  }
  const double pixels = static_cast<double>(original.total());
  const double lesion = shown["mask"]["white"].get<double>() / pixels;
  EXPECT_GT(lesion, 0.02) << seen.dump();  // the mask appears ...
  EXPECT_LT(lesion, 0.9) << seen.dump();   // ... and is not the whole image
  EXPECT_EQ(shown["mask"]["white"], shown["mask"]["non_black"]);  // 0/255 only
  EXPECT_EQ(shown["download"], "IMD004_mask.png");
  EXPECT_TRUE(shown["download_ready"].get<bool>());
  EXPECT_NE(seen["segment_status"].get<std::string>().find("% lesion at threshold 0.50"), std::string::npos);
  // The slider re-thresholds in the page: a higher threshold keeps fewer pixels.
  EXPECT_LT(seen["segment_high_threshold"]["mask"]["white"].get<int>(), shown["mask"]["white"].get<int>());
  for (const char* shot : {"web-runs.png", "web-run.png", "web-compare.png", "web-segment.png"})
    EXPECT_GT(fs::file_size(dir / ("shots/" + std::string(shot))), 10000u) << shot;
  if (const char* keep = std::getenv("SEGLAB_WEB_SCREENSHOTS"))  // the pictures of docs/web-ui.md
    for (const char* shot : {"web-runs.png", "web-run.png", "web-compare.png", "web-segment.png"})
      fs::copy_file(dir / ("shots/" + std::string(shot)), std::string(keep) + "/" + shot,
                    fs::copy_options::overwrite_existing);
  EXPECT_EQ(serve.stop(), 0) << test::read_text_file(dir / "serve.log");
}

}  // namespace
}  // namespace seglab
