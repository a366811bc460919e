// The JSON API and pages of `seglab serve`, through cpp-httplib's client,
// against a server on a free loopback port and a store made by the test.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "reports/web/prediction_json.h"
#include "tests/reports/web_test_support.h"
#include "tracking/run_store.h"

using nlohmann::json;

namespace seglab {
namespace {

class WebApi : public ::testing::Test {
 protected:
  void SetUp() override {
    test::make_web_store(dir_ / "store");
    WebServerOptions options;
    options.store_root = dir_ / "store";
    WebHooks hooks;
    hooks.predict = test::dark_pixel_prediction;
    hooks.list_samples = [](const std::string& run) { return std::vector<std::string>{run + "-a", run + "-b"}; };
    hooks.sample_image = [](const std::string&, size_t index) {
      return cv::Mat(10, 20 + static_cast<int>(index), CV_8UC3, cv::Scalar(10, 20, 30));
    };
    started_ = test::start_web_server(options, hooks);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", started_.port);
    client_->set_read_timeout(60, 0);
  }

  json get_json(const std::string& path, int expected_status = 200) {
    auto res = client_->Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << path;
    return json::parse(res->body);
  }

  test::TempDir dir_;
  test::StartedServer started_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(WebApi, RunsListsEveryRunWithStatusParamsAndLastMetrics) {
  const json body = get_json("/api/runs");
  ASSERT_EQ(body["runs"].size(), 3u);
  EXPECT_EQ(body["store"], dir_ / "store");
  const json& alpha = body["runs"][0];
  EXPECT_EQ(alpha["id"], "aaaa0001");
  EXPECT_EQ(alpha["name"], "alpha");
  EXPECT_EQ(alpha["status"], "finished");
  EXPECT_EQ(alpha["epochs"], 3);
  EXPECT_EQ(alpha["sweep"], "");
  EXPECT_EQ(body["runs"][1]["sweep"], "5eed0001");
  EXPECT_DOUBLE_EQ(alpha["metrics"]["val.dice"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(alpha["metrics"]["train.epoch_loss"].get<double>(), 1.0 / 3);
  EXPECT_EQ(alpha["params"]["model.encoder"], "plain");
  EXPECT_DOUBLE_EQ(alpha["params"]["train.lr"].get<double>(), 0.003);  // numbers stay numbers
  EXPECT_EQ(body["runs"][1]["params"]["model.encoder"], "resnet18");
  EXPECT_EQ(body["runs"][2]["status"], "running");
}

TEST_F(WebApi, RunHasConfigRecordMetricsEvaluationsAndFiles) {
  const json run = get_json("/api/runs/aaaa0001");
  EXPECT_EQ(run["name"], "alpha");
  EXPECT_EQ(run["command"], "seglab train alpha.ini");
  EXPECT_EQ(run["params"]["train.epochs"], 3);
  EXPECT_EQ(run["record"]["backend.name"], "libtorch");
  EXPECT_DOUBLE_EQ(run["metrics"]["val.dice"].get<double>(), 0.8);
  ASSERT_EQ(run["evals"].size(), 1u);
  const json& eval = run["evals"][0];
  EXPECT_EQ(eval["name"], "val-best");
  EXPECT_EQ(eval["summary"]["columns"], json({"metric", "mean", "std", "pooled"}));
  EXPECT_EQ(eval["summary"]["rows"][0], json({"dice", 0.8, 0.1, 0.81}));
  EXPECT_EQ(eval["per_image"]["rows"][1], json({"IMD004", 0.7, 0.6}));
  EXPECT_EQ(eval["masks"], json({"eval/val-best/masks/IMD002.png", "eval/val-best/masks/IMD004.png"}));
  EXPECT_EQ(run["files"], json({"config.ini"}));
}

TEST_F(WebApi, RunIdsMayBeAUniquePrefix) {
  EXPECT_EQ(get_json("/api/runs/bbbb")["id"], "bbbb0002");
  EXPECT_EQ(get_json("/api/runs/cc/metrics")["run"], "cccc0003");
}

TEST_F(WebApi, MetricsComeAsSeriesByKeyInStepOrder) {
  const json body = get_json("/api/runs/aaaa0001/metrics");
  EXPECT_EQ(body["status"], "finished");
  const json& loss = body["metrics"]["train.loss"];
  EXPECT_EQ(loss["step"], json({1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(loss["epoch"], json({1, 1, 2, 2, 3, 3}));
  EXPECT_DOUBLE_EQ(loss["value"][3].get<double>(), 0.25);
  EXPECT_EQ(body["metrics"]["val.dice"]["step"], json({2, 4, 6}));
  const json one = get_json("/api/runs/aaaa0001/metrics?key=val.dice");
  EXPECT_EQ(one["metrics"].size(), 1u);
  EXPECT_EQ(one["metrics"]["val.dice"]["value"].size(), 3u);
}

TEST_F(WebApi, MetricsOfARunningRunGrowAsItLogs) {
  EXPECT_EQ(get_json("/api/runs/cccc0003/metrics")["metrics"]["val.dice"]["step"].size(), 1u);
  RunStore(dir_ / "store").catalog().log_metrics("cccc0003", {{"val.dice", 4, 2, 0.71, 1e9}});
  const json after = get_json("/api/runs/cccc0003/metrics");
  EXPECT_EQ(after["status"], "running");
  EXPECT_EQ(after["metrics"]["val.dice"]["step"], json({2, 4}));
  EXPECT_DOUBLE_EQ(after["metrics"]["val.dice"]["value"][1].get<double>(), 0.71);
}

TEST_F(WebApi, ServesFilesOfTheRunFolder) {
  auto res = client_->Get("/api/runs/aaaa0001/files/eval/val-best/masks/IMD004.png");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(res->body, test::read_text_file(dir_ / "store/runs/aaaa0001/eval/val-best/masks/IMD004.png"));
  res = client_->Get("/api/runs/aaaa0001/files/config.ini");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "[experiment]\nname = alpha\n");
}

TEST_F(WebApi, PagesScriptsAndChartJsAreServedFromTheBinary) {
  for (const char* page : {"/", "/index.html", "/run.html", "/compare.html", "/segment.html"}) {
    auto res = client_->Get(page);
    ASSERT_TRUE(res) << page;
    EXPECT_EQ(res->status, 200) << page;
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8") << page;
    EXPECT_NE(res->body.find("<script src=\"/common.js\">"), std::string::npos) << page;
  }
  // Chart.js is Debian's libjs-chart.js file as it is, whichever version
  // Debian ships (no CDN, no copy in the repository); that the pages' charts
  // work with it is WebBrowser's check, through Chart.js's API in a browser.
  const std::string debian_chart_js = "/usr/share/javascript/chart.js/chart.min.js";
  EXPECT_NE(test::read_text_file("/var/lib/dpkg/info/libjs-chart.js.list").find(debian_chart_js + "\n"), std::string::npos)
      << "libjs-chart.js does not own " << debian_chart_js;
  auto chart = client_->Get("/chart.min.js");
  ASSERT_TRUE(chart);
  EXPECT_EQ(chart->status, 200);
  EXPECT_EQ(chart->body, test::read_text_file(debian_chart_js));
  EXPECT_GT(chart->body.size(), 10000u);
  EXPECT_EQ(client_->Get("/nope.html")->status, 404);
}

TEST_F(WebApi, SweepListsItsRunsWithJobKeysAndStatusCounts) {
  const json sweep = get_json("/api/sweeps/5eed");  // a unique prefix
  EXPECT_EQ(sweep["id"], "5eed0001");
  EXPECT_EQ(sweep["name"], "lr-sweep");
  EXPECT_EQ(sweep["file"], "/experiments/lr_sweep.ini");
  EXPECT_EQ(sweep["spec"], "[sweep]\ntrain.lr = 0.001, 0.01\n");
  ASSERT_EQ(sweep["runs"].size(), 2u);
  EXPECT_EQ(sweep["runs"][0]["id"], "bbbb0002");
  EXPECT_EQ(sweep["runs"][0]["job_key"], "key-0.001");
  EXPECT_EQ(sweep["runs"][0]["status"], "finished");
  EXPECT_DOUBLE_EQ(sweep["runs"][0]["metrics"]["val.dice"].get<double>(), 0.7);
  EXPECT_EQ(sweep["runs"][1]["id"], "cccc0003");
  EXPECT_EQ(sweep["runs"][1]["status"], "running");
  EXPECT_EQ(sweep["status_counts"], json({{"finished", 1}, {"running", 1}}));
  EXPECT_EQ(get_json("/api/runs/bbbb0002")["sweep"], "5eed0001");

  const json unknown = get_json("/api/sweeps/ffff", 404);
  EXPECT_EQ(unknown["error"], "no sweep with id 'ffff'");
  EXPECT_EQ(get_json("/api/sweeps/bad!id", 400)["error"], "bad sweep id");
}

TEST_F(WebApi, PredictSegmentsAnUploadedSkinImage) {
  const std::string path = test::shared_data("skin-lesions/images/IMD004.bmp");
  const std::string bytes = test::read_text_file(path);
  httplib::MultipartFormDataItems form = {{"image", bytes, "IMD004.bmp", "image/bmp"},
                                          {"run", "aaaa", "", ""},
                                          {"threshold", "0.6", "", ""}};
  auto res = client_->Post("/api/predict", form);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json body = json::parse(res->body);
  const cv::Mat bgr = cv::imread(path, cv::IMREAD_COLOR);
  EXPECT_EQ(body["run"], "aaaa0001");
  EXPECT_EQ(body["width"], bgr.cols);
  EXPECT_EQ(body["height"], bgr.rows);
  EXPECT_DOUBLE_EQ(body["threshold"].get<double>(), 0.6);
  EXPECT_EQ(body["num_classes"], 2);

  // The mask is the dark-pixel rule at 0.6, recomputed here from the file.
  cv::Mat grey, expected;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  cv::Mat probability;
  grey.convertTo(probability, CV_32F, -1.0 / 255, 1.0);
  expected = probability > 0.6;
  auto decode = [](const json& field, int flags) {
    const std::string b64 = field.get<std::string>();
    std::string raw;
    // base64 back to bytes with httplib-free code: OpenCV cannot, so a small decoder.
    static const std::string digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint32_t buffer = 0;
    int bits = 0;
    for (char c : b64) {
      if (c == '=') break;
      buffer = (buffer << 6) | static_cast<uint32_t>(digits.find(c));
      bits += 6;
      if (bits >= 8) raw.push_back(static_cast<char>((buffer >> (bits -= 8)) & 0xFF));
    }
    return cv::imdecode(std::vector<uchar>(raw.begin(), raw.end()), flags);
  };
  const cv::Mat mask = decode(body["mask_png"], cv::IMREAD_GRAYSCALE);
  ASSERT_EQ(mask.size(), bgr.size());
  EXPECT_EQ(cv::countNonZero(mask != expected), 0);
  const double fraction = cv::countNonZero(expected) / static_cast<double>(expected.total());
  EXPECT_NEAR(body["lesion_fraction"].get<double>(), fraction, 1e-12);
  EXPECT_GT(fraction, 0.05);  // the dark lesion of IMD004
  EXPECT_LT(fraction, 0.6);
  const cv::Mat image = decode(body["image_png"], cv::IMREAD_COLOR);
  EXPECT_EQ(cv::norm(image, bgr, cv::NORM_INF), 0);  // the upload, losslessly
  EXPECT_EQ(decode(body["overlay_png"], cv::IMREAD_COLOR).size(), bgr.size());
  const cv::Mat p8 = decode(body["probability_png"], cv::IMREAD_GRAYSCALE);
  EXPECT_EQ(cv::countNonZero(p8 != (255 - grey)), 0);
}

TEST_F(WebApi, SamplesOfTheRunsDatasetComeFromTheHooks) {
  EXPECT_EQ(get_json("/api/runs/aaaa0001/samples")["samples"], json({"aaaa0001-a", "aaaa0001-b"}));
  auto res = client_->Get("/api/runs/aaaa0001/samples/1.png");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const cv::Mat image = cv::imdecode(std::vector<uchar>(res->body.begin(), res->body.end()), cv::IMREAD_COLOR);
  EXPECT_EQ(image.cols, 21);
  EXPECT_EQ(image.at<cv::Vec3b>(0, 0), cv::Vec3b(30, 20, 10));  // RGB (10, 20, 30) as BGR
  EXPECT_EQ(client_->Get("/api/runs/aaaa0001/samples/2.png")->status, 404);
}

}  // namespace
}  // namespace seglab
