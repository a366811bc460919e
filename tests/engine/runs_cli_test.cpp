// `seglab runs list|show|compare|tag|note|delete|export` on a store the test
// writes through the catalog, so every expected line is known.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "reports/sparkline.h"
#include "tests/support/test_support.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

void add_run(RunStore& store, const std::string& id, const std::string& encoder, RunStatus status,
             const std::vector<double>& dice) {
  RunInfo run;
  run.id = id;
  run.name = "ablation";
  run.created_at = "2026-11-25T10:00:0" + std::to_string(store.catalog().list_runs().size()) + "Z";
  run.config_hash = "hash-" + encoder;
  run.host = "test-host";
  run.pid = 1;
  store.catalog().create_run(run, {{"model.encoder", encoder}, {"train.lr", "0.001"}, {"train.epochs", "8"}},
                             {{"seglab.git_commit", "abc123"}, {"lib.libtorch", encoder == "plain" ? "1.13.1" : "2.1.0"}});
  std::vector<MetricPoint> points;
  for (size_t e = 0; e < dice.size(); ++e) {
    const int64_t epoch = static_cast<int64_t>(e) + 1;
    points.push_back({"val.dice", epoch * 4, epoch, dice[e], 1.0});
    points.push_back({"train.epoch_loss", epoch * 4, epoch, 1.0 - dice[e], 1.0});
  }
  store.catalog().log_metrics(id, points);
  store.catalog().set_status(id, status, status == RunStatus::failed ? "the loss became NaN" : "");
  fs::create_directories(store.run_dir(id));
  test::write_text_file(store.run_dir(id) + "/config.ini", "[model]\nencoder = " + encoder + "\n");
}

class RunsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    RunStore store(dir_ / "store");
    add_run(store, "aaaa1111", "plain", RunStatus::finished, {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8});
    add_run(store, "bbbb2222", "resnet34", RunStatus::finished, {0.5, 0.7, 0.9});
    add_run(store, "bbbc3333", "resnet34", RunStatus::finished, {0.6, 0.85});
    add_run(store, "cccc4444", "resnet34", RunStatus::failed, {0.3});
  }
  test::CommandResult seglab(const std::string& args) { return test::run_seglab(args + " --store " + (dir_ / "store")); }
  test::TempDir dir_;
};

TEST_F(RunsCli, ListFiltersAndSorts) {
  const auto list = seglab("runs list --where model.encoder=resnet34 --where status=finished --sort val.dice");
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_EQ(list.output,
            "id        name      status    created (UTC)         epochs  val.dice  train.loss  model.encoder\n"
            "bbbb2222  ablation  finished  2026-11-25T10:00:01Z       3    0.9000      0.1000  resnet34\n"
            "bbbc3333  ablation  finished  2026-11-25T10:00:02Z       2    0.8500      0.1500  resnet34\n");
  const auto by_loss = seglab("runs list --sort train.epoch_loss --where 'val.dice>0.5'");
  ASSERT_EQ(by_loss.exit_code, 0) << by_loss.output;
  const auto a = by_loss.output.find("aaaa1111"), b = by_loss.output.find("bbbb2222"), c = by_loss.output.find("bbbc3333");
  EXPECT_TRUE(b < c && c < a) << by_loss.output;  // lowest loss first
  EXPECT_EQ(by_loss.output.find("cccc4444"), std::string::npos);
  EXPECT_EQ(seglab("runs list --where status=running").output, "no runs match\n");
  const auto bad = seglab("runs list --where val.dice");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("cannot read the condition 'val.dice'"), std::string::npos) << bad.output;
}

TEST_F(RunsCli, ShowPrintsConfigRecordMetricsAndSparklines) {
  const auto show = seglab("runs show aaaa");
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_EQ(show.output.rfind("run aaaa1111 \"ablation\"  finished\n", 0), 0u) << show.output;
  EXPECT_NE(show.output.find("  model.encoder = plain\n"), std::string::npos);
  EXPECT_NE(show.output.find("  seglab.git_commit = abc123\n"), std::string::npos);
  EXPECT_NE(show.output.find("metrics over 8 epoch(s):"), std::string::npos);
  // Final 0.8, best 0.8 at epoch 8, a rising curve; the loss falls.
  EXPECT_NE(show.output.find("val.dice          0.8000    0.8000    8      ▁▂▃▄▅▆▇█"), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("█▇▆▅▄▃▂▁"), std::string::npos) << show.output;
  const auto failed = seglab("runs show cccc");
  EXPECT_NE(failed.output.find("  error: the loss became NaN"), std::string::npos) << failed.output;
  const auto ambiguous = seglab("runs show bbb");
  EXPECT_EQ(ambiguous.exit_code, 1);
  EXPECT_NE(ambiguous.output.find("run id prefix 'bbb' is ambiguous (bbbb2222, bbbc3333, ...)"), std::string::npos)
      << ambiguous.output;
}

TEST_F(RunsCli, CompareShowsOnlyWhatDiffersAndMetricsSideBySide) {
  const auto compare = seglab("runs compare aaaa bbbb");
  ASSERT_EQ(compare.exit_code, 0) << compare.output;
  EXPECT_NE(compare.output.find("params that differ:\n"
                                "key            aaaa1111  bbbb2222\n"
                                "model.encoder  plain     resnet34\n\n"),
            std::string::npos)
      << compare.output;
  EXPECT_EQ(compare.output.find("train.lr"), std::string::npos);  // the same in both
  EXPECT_NE(compare.output.find("lib.libtorch    1.13.1     2.1.0"), std::string::npos) << compare.output;
  EXPECT_NE(compare.output.find("val.dice            0.8000    0.9000"), std::string::npos) << compare.output;
  EXPECT_NE(compare.output.find("epochs                   8         3"), std::string::npos) << compare.output;
  EXPECT_EQ(seglab("runs compare aaaa").exit_code, 2);
}

TEST_F(RunsCli, ComparePrintsMeansOverSeedsLabelledAsSuch) {
  // bbbb and bbbc differ in nothing but their metrics: two runs of one
  // variant, so the table shows their mean ± std (0.9, 0.85 -> 0.875 ± 0.035)
  // and stars the best mean.
  const auto compare = seglab("runs compare aaaa bbbb bbbc");
  ASSERT_EQ(compare.exit_code, 0) << compare.output;
  EXPECT_NE(compare.output.find("means over seeds of each run's headline scores (seglab report gives per-image statistics):\n"
                                "Variant                    Dice\n"
                                "encoder=plain              0.800\n"
                                "encoder=resnet34 (2 runs)  0.875 ± 0.035 *\n"
                                "* best mean of its column\n"),
            std::string::npos)
      << compare.output;
}

TEST_F(RunsCli, TagNoteDeleteAndExport) {
  EXPECT_EQ(seglab("runs tag bbbb2222 best resnet").output, "run bbbb2222 tags: best, resnet\n");
  EXPECT_EQ(seglab("runs tag bbbb2222 resnet --remove").output, "run bbbb2222 tags: best\n");
  EXPECT_EQ(seglab("runs note bbbb2222 deeper encoder helps").exit_code, 0);
  const auto tagged = seglab("runs list --where tag=best");
  EXPECT_NE(tagged.output.find("bbbb2222"), std::string::npos) << tagged.output;
  EXPECT_EQ(tagged.output.find("aaaa1111"), std::string::npos);
  EXPECT_NE(tagged.output.find("tags"), std::string::npos);
  EXPECT_NE(seglab("runs show bbbb2222").output.find(": deeper encoder helps"), std::string::npos);

  const auto exported = seglab("runs export bbbb2222 -o " + (dir_ / "out"));
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  for (const char* f : {"config.ini", "run.csv", "params.csv", "record.csv", "metrics.csv", "image_scores.csv", "notes.csv"})
    EXPECT_TRUE(fs::exists(dir_ / ("out/" + std::string(f)))) << f;
  const std::string metrics = test::read_text_file(dir_ / "out/metrics.csv");
  EXPECT_EQ(std::count(metrics.begin(), metrics.end(), '\n'), 7);  // header + 3 epochs x 2 keys
  EXPECT_NE(metrics.find("val.dice,12,3,0.90000000000000002,"), std::string::npos) << metrics;
  EXPECT_NE(test::read_text_file(dir_ / "out/run.csv").find("tags,best\n"), std::string::npos);
  EXPECT_EQ(seglab("runs export bbbb2222 -o " + (dir_ / "out")).exit_code, 2);  // not empty: refused

  const auto refused = test::run_command("echo n | " + std::string(test::seglab_binary()) + " runs delete cccc --store " + (dir_ / "store"));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("nothing deleted"), std::string::npos) << refused.output;
  EXPECT_EQ(seglab("runs delete cccc4444 bbbb --yes").output, "deleted run cccc4444\ndeleted run bbbb2222\n");
  EXPECT_FALSE(fs::exists(dir_ / "store/runs/bbbb2222"));
  RunStore store(dir_ / "store");
  EXPECT_EQ(store.catalog().list_runs().size(), 2u);
  EXPECT_EQ(store.catalog().metric_count("bbbb2222"), 0);
}

TEST(Sparkline, ScalesToTheRangeAndResamplesLongCurves) {
  EXPECT_EQ(sparkline({1, 2, 3, 4, 5, 6, 7, 8}), "▁▂▃▄▅▆▇█");
  EXPECT_EQ(sparkline({2, 2, 2}), "▄▄▄");
  EXPECT_EQ(sparkline({0, NAN, 1}), "▁ █");
  std::vector<double> ramp(400);
  for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<double>(i);
  const std::string line = sparkline(ramp, 10);
  EXPECT_EQ(line.size(), 10u * 3);  // ten 3-byte block characters
  EXPECT_EQ(line.substr(0, 3), "▁");
  EXPECT_EQ(line.substr(27), "█");
  EXPECT_EQ(sparkline({}), "");
}

}  // namespace
}  // namespace seglab
