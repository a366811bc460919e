// A real browser through the web UI: the test trains a tiny run with the
// seglab binary, starts `seglab serve` on a free loopback port, and drives
// Debian's headless Chromium (puppeteer-core, tests/reports/browser/) through
// the runs page, the run page and the segment page, uploading a real PH2 skin
// image and checking that its mask appears.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <regex>
#include <thread>

#include "tests/support/test_support.h"
#include "tests/support/tiny_experiment.h"

namespace fs = std::filesystem;
using nlohmann::json;

extern char** environ;

namespace seglab {
namespace {

// Small enough to train in seconds, trained enough that its mask of a real
// lesion is neither empty nor everything.
const std::string kExperiment = test::TinyExperiment{"web-tiny", 5, 32, 4, 8, "0.02"}.ini();

// `seglab serve` as a child process, stopped with SIGTERM.
class ServeProcess {
 public:
  ServeProcess(const std::string& store, const std::string& log) {
    const std::string binary = test::seglab_binary();
    std::vector<std::string> args = {binary, "serve", "--store", store, "--port", "0"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    if (posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    const std::regex serving("at http://127\\.0\\.0\\.1:([0-9]+)/");
    for (int i = 0; i < 600 && pid_ > 0 && port_ == 0; ++i) {
      std::smatch match;
      const std::string text = test::read_text_file(log);
      if (std::regex_search(text, match, serving)) port_ = std::stoi(match[1]);
      else std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~ServeProcess() { stop(); }
  int stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

TEST(WebBrowser, RunsPageAndSegmentPageShowTheMaskOfAnUploadedSkinImage) {
  const std::string browser_dir = std::string(test::source_dir()) + "/tests/reports/browser";
  ASSERT_TRUE(fs::exists(browser_dir + "/node_modules/puppeteer-core"))
      << "puppeteer-core is missing: run scripts/setup.sh --tests";
  ASSERT_TRUE(fs::exists("/usr/bin/chromium")) << "Chromium is missing: run scripts/setup.sh --tests";
  // Chromium refuses to read an upload whose path holds "..": give it the canonical one.
  const std::string image = fs::canonical(test::shared_data("skin-lesions/images/IMD004.bmp")).string();

  test::TempDir dir;
  test::write_text_file(dir / "tiny.ini", kExperiment);
  const auto train = test::run_seglab("train " + (dir / "tiny.ini") + " --store " + (dir / "store"));
  ASSERT_EQ(train.exit_code, 0) << train.output;
  const std::string id = test::trained_run_id(train.output, "web-tiny");
  ASSERT_FALSE(id.empty());

  ServeProcess serve(dir / "store", dir / "serve.log");
  ASSERT_GT(serve.port(), 0) << test::read_text_file(dir / "serve.log");
  const std::string base = "http://127.0.0.1:" + std::to_string(serve.port());
  fs::create_directories(dir / "shots");
  const auto run = test::run_command("cd " + browser_dir + " && node check_pages.mjs " + base + " " + id + " " + image +
                                     " " + (dir / "shots"));
  ASSERT_EQ(run.exit_code, 0) << run.output << "\nserver log:\n" << test::read_text_file(dir / "serve.log");
  const size_t json_start = run.output.rfind("{\"console_errors\"");
  ASSERT_NE(json_start, std::string::npos) << run.output;
  const std::string last_line = run.output.substr(json_start);
  const json seen = json::parse(last_line);

  EXPECT_TRUE(seen["console_errors"].empty()) << seen["console_errors"].dump();
  EXPECT_EQ(seen["runs_rows"], json::array({id}));
  EXPECT_EQ(seen["runs_status"], "finished");
  EXPECT_EQ(seen["run_charts"], json({"loss", "metrics", "learning rate", "throughput"})) << seen.dump();
  EXPECT_GT(seen["run_chart_points"].get<int>(), 12);

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
  for (const char* shot : {"web-runs.png", "web-run.png", "web-segment.png"})
    EXPECT_GT(fs::file_size(dir / ("shots/" + std::string(shot))), 10000u) << shot;
  if (const char* keep = std::getenv("SEGLAB_WEB_SCREENSHOTS"))  // the README's pictures
    for (const char* shot : {"web-runs.png", "web-run.png", "web-segment.png"})
      fs::copy_file(dir / ("shots/" + std::string(shot)), std::string(keep) + "/" + shot,
                    fs::copy_options::overwrite_existing);
  EXPECT_EQ(serve.stop(), 0) << test::read_text_file(dir / "serve.log");
}

}  // namespace
}  // namespace seglab
