// Which eval of each run `seglab report` reads (reports/variant_scores.h):
// the latest plain one unless --eval names another; --data test never falls
// back to validation scores; runs evaluated with --no-masks leave the
// qualitative grid instead of failing it.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/text.h"
#include "reports/report_statistics.h"
#include "reports/report_writer.h"
#include "reports/variant_scores.h"
#include "tests/reports/report_store_support.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

namespace fs = std::filesystem;
using test::ScoredRun;

const std::string kTuned = "test-best-tval-tta_d4-largest";

// Dice 0.5 + 0.05 i (+ shift) on images a0..a5.
std::map<std::string, double> dice(double shift) {
  std::map<std::string, double> d;
  for (int i = 0; i < 6; ++i) d["a" + std::to_string(i)] = 0.5 + 0.05 * i + shift;
  return d;
}

struct Store {
  test::TempDir dir;
  RunStore store;
  std::vector<ReportRun> runs;
  std::vector<Variant> variants;
  explicit Store(const std::vector<ScoredRun>& scored)
      : store((test::make_scored_store(dir / "store", scored), dir / "store")) {
    runs = select_report_runs(store, {});
    variants = group_variants(runs, varied_keys(runs));
  }
  std::optional<ReportStatistics> statistics(const std::string& data = "", const std::string& eval = "") const {
    StatisticsOptions o;
    o.data = data;
    o.eval = eval;
    o.metrics = {"dice", "iou"};
    return report_statistics(runs, variants, o);
  }
};

// Two variants, one seed each, each with a plain test eval and a later tuned
// one (TTA d4, threshold chosen on val, keep largest) scoring 0.1 higher.
std::vector<ScoredRun> tuned_runs() {
  std::vector<ScoredRun> runs{{"plain1", "plain", 1, "", "test", dice(0)}, {"resnet1", "resnet34", 1, "", "test", dice(0.02)}};
  for (auto& r : runs) r.tuned_gain = 0.1;
  return runs;
}

TEST(EvalChoice, TheDefaultIsTheLatestPlainEvalNotALaterTunedOne) {
  const Store s(tuned_runs());
  const auto r = s.statistics();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->selection.data, "test");
  ASSERT_EQ(r->selection.variants.size(), 2u);
  // The plain eval's scores, not the tuned eval's (0.1 higher).
  EXPECT_DOUBLE_EQ(r->selection.variants[0].per_image.at("dice").at("a0"), 0.5);
  EXPECT_DOUBLE_EQ(r->selection.variants[1].per_image.at("dice").at("a5"), 0.77);
  EXPECT_NE(r->statements[0].find("the latest plain eval of each run"), std::string::npos) << r->statements[0];
  EXPECT_NE(r->methods_tex.find("thresholded at 0.45 (the configured eval.threshold); post-processing: none; "
                                "test-time augmentation: none"),
            std::string::npos)
      << r->methods_tex;
}

TEST(EvalChoice, EvalByNameReadsThatEvalAndSaysSo) {
  const Store s(tuned_runs());
  const auto r = s.statistics("", kTuned);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->selection.data, "test");  // the named evals are on test
  EXPECT_DOUBLE_EQ(r->selection.variants[0].per_image.at("dice").at("a0"), 0.6);
  EXPECT_NE(r->statements[0].find("the latest eval named " + kTuned), std::string::npos) << r->statements[0];
  EXPECT_NE(r->methods_tex.find("thresholded at 0.4 (chosen on the validation split); post-processing: largest; "
                                "test-time augmentation: d4"),
            std::string::npos)
      << r->methods_tex;
  // A name no run has is an error naming the runs.
  try {
    s.statistics("", "test-best-tta_flips");
    FAIL() << "no error";
  } catch (const DataError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("no run has any eval named test-best-tta_flips"), std::string::npos) << m;
    EXPECT_NE(m.find("plain1, resnet1"), std::string::npos) << m;
  }
}

// A run without the named eval is left out with a note that names the eval
// it lacks, not one that says it has no eval at all.
TEST(EvalChoice, ARunLackingTheNamedEvalIsNamedWithTheEvalItLacks) {
  auto scored = tuned_runs();
  scored.push_back({"resnet2", "resnet34", 2, "", "test", dice(0.03)});  // a plain eval only
  const Store s(scored);
  const auto r = s.statistics("test", kTuned);
  ASSERT_TRUE(r);
  const std::string notes = join(r->notes, "\n");
  EXPECT_NE(notes.find("runs resnet2 of encoder=resnet34: no eval named '" + kTuned + "' on the test split"),
            std::string::npos)
      << notes;
  EXPECT_EQ(notes.find("no plain eval"), std::string::npos) << notes;
}

TEST(EvalChoice, PlainMeansNoTtaNoPostprocessingAFixedThresholdAndTheBestCheckpointFirst) {
  ReportRun run;
  const auto eval = [](int64_t id, const std::string& name, std::map<std::string, std::string> options) {
    EvalRecord e;
    e.id = id, e.name = name, e.options = std::move(options);
    e.options["data"] = "val";
    return e;
  };
  const EvalRecord best = eval(1, "val-best", {{"checkpoint", "best"}, {"threshold_source", "config"}, {"tta", "none"}});
  const EvalRecord fixed = eval(2, "val-best-t0.3", {{"checkpoint", "best"}, {"threshold_source", "fixed"}});
  const EvalRecord last = eval(3, "val-last", {{"checkpoint", "last"}, {"threshold_source", "config"}});
  const EvalRecord tval = eval(4, "val-best-tval", {{"checkpoint", "best"}, {"threshold_source", "val"}});
  const EvalRecord post = eval(5, "val-best-holes", {{"checkpoint", "best"}, {"postprocess", "holes"}});
  const EvalRecord model = eval(6, "val-best-model_res", {{"checkpoint", "best"}, {"resolution", "model"}});
  const EvalRecord oof = eval(7, "val-best-oof", {{"checkpoint", "best"}, {"threshold_source", "out_of_fold"},
                                                  {"out_of_fold_runs", "a,b"}});
  run.evals = {best, fixed, last, tval, post, model, oof};
  for (const auto& e : {best, fixed, last}) EXPECT_TRUE(is_plain_eval(e)) << e.name;
  for (const auto& e : {tval, post, model, oof}) EXPECT_FALSE(is_plain_eval(e)) << e.name;
  ASSERT_NE(latest_eval(run, "val"), nullptr);
  EXPECT_EQ(latest_eval(run, "val")->id, 2);  // the latest plain eval of the best checkpoint
  EXPECT_EQ(latest_eval(run, "val", "val-best-holes")->id, 5);
  EXPECT_EQ(latest_eval(run, "test"), nullptr);
  run.evals = {last, tval};
  EXPECT_EQ(latest_eval(run, "val")->id, 3);  // no plain eval of best: the last checkpoint's
  EXPECT_EQ(describe_eval(fixed), "val-best-t0.3 (checkpoint best, threshold fixed)");
}

TEST(EvalChoice, AskedForTestWithoutAnyTestEvalIsAnErrorNamingTheRuns) {
  const Store s({{"plain1", "plain", 1, "", "val", dice(0)}, {"resnet1", "resnet34", 1, "", "val", dice(0.02)}});
  EXPECT_EQ(s.statistics()->selection.data, "val");  // not asked: validation, with its warning
  try {
    s.statistics("test");
    FAIL() << "no error";
  } catch (const DataError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("no run has any plain eval on the test part: runs plain1, resnet1"), std::string::npos) << m;
  }
}

TEST(EvalChoice, AskedForTestTheRunsWithoutATestEvalAreNamed) {
  const Store s({{"plain1", "plain", 1, "", "test", dice(0)},
                 {"resnet1", "resnet34", 1, "", "test", dice(0.02)},
                 {"vgg1", "vgg16", 1, "", "val", dice(0.01)},
                 {"vgg2", "vgg16", 2, "", "val", dice(0.01)}});
  const auto r = s.statistics("test");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->selection.variants.size(), 2u);
  ASSERT_EQ(r->selection.left_out.size(), 1u);
  EXPECT_EQ(r->selection.left_out[0], "encoder=vgg16 (runs vgg1, vgg2)");
  bool named = false;
  for (const auto& n : r->notes) named = named || n.find("encoder=vgg16 (runs vgg1, vgg2)") != std::string::npos;
  EXPECT_TRUE(named) << join(r->notes, "\n");
}

// --- with figures (gnuplot): report.md and the qualitative grid

TEST(EvalChoiceReport, ReportMdNamesTheEvalOfEachRunAndTestNeverFallsBackToValidation) {
  test::TempDir dir;
  test::make_scored_store(dir / "store", tuned_runs());
  RunStore store(dir / "store");
  ReportOptions options;
  options.out_dir = dir / "report";
  options.grid = false;
  const auto runs = select_report_runs(store, {});
  write_report(runs, options, test::fake_sample_source());
  const std::string index = test::read_text_file(dir / "report/report.md");
  EXPECT_NE(index.find("- plain1: test-best (checkpoint best, threshold 0.45 config, tta none, postprocess none, "
                       "resolution original)"),
            std::string::npos)
      << index;
  options.eval = kTuned;
  options.out_dir = dir / "tuned";
  write_report(runs, options, test::fake_sample_source());
  const std::string tuned = test::read_text_file(dir / "tuned/report.md");
  EXPECT_NE(tuned.find("- resnet1: " + kTuned + " (checkpoint best, threshold 0.4 val, tta d4, postprocess largest"),
            std::string::npos)
      << tuned;

  // Validation evals only: --data test is an error, not a table of validation means.
  test::make_scored_store(dir / "val-store", {{"v1", "plain", 1, "", "val", dice(0)}});
  RunStore val_store(dir / "val-store");
  options.eval.clear();
  options.data = "test";
  options.out_dir = dir / "val-report";
  EXPECT_THROW(write_report(select_report_runs(val_store, {}), options, test::fake_sample_source()), DataError);
  EXPECT_FALSE(fs::exists(dir / "val-report/results.md"));
}

TEST(EvalChoiceReport, EvalsWithoutMasksLeaveTheGridToRunsWithMasksAndAreNamed) {
  test::TempDir dir;
  test::make_report_store(dir / "store");
  RunStore store(dir / "store");
  const auto& fake = test::fake_runs();
  // `seglab eval --no-masks` leaves an empty masks/ folder.
  const auto drop_masks = [&](const std::string& id) {
    fs::remove_all(store.run_dir(id) + "/eval/val-best/masks");
    fs::create_directories(store.run_dir(id) + "/eval/val-best/masks");
  };
  drop_masks(fake[0].id);
  ReportOptions options;
  options.out_dir = dir / "report";
  const auto runs = select_report_runs(store, {});
  const ReportOutput out = write_report(runs, options, test::fake_sample_source());
  EXPECT_TRUE(fs::exists(dir / "report/qualitative_grid.png"));
  const std::string index = test::read_text_file(dir / "report/report.md");
  EXPECT_NE(index.find("qualitative grid: the evals of runs " + fake[0].id +
                       " have no predicted masks (seglab eval --no-masks); the grid shows other runs of their variants"),
            std::string::npos)
      << index;

  // No run of the plain variant has masks: the grid shows the other variant.
  drop_masks(fake[1].id);
  options.out_dir = dir / "report2";
  write_report(runs, options, test::fake_sample_source());
  EXPECT_TRUE(fs::exists(dir / "report2/qualitative_grid.png"));
  EXPECT_NE(test::read_text_file(dir / "report2/report.md")
                .find("runs " + fake[0].id + ", " + fake[1].id + " have no predicted masks (seglab eval --no-masks); "
                      "the grid leaves out encoder=plain"),
            std::string::npos);

  // None has masks: no grid, and the report is still written.
  drop_masks(fake[2].id);
  drop_masks(fake[3].id);
  options.out_dir = dir / "report3";
  write_report(runs, options, test::fake_sample_source());
  EXPECT_FALSE(fs::exists(dir / "report3/qualitative_grid.png"));
  EXPECT_NE(test::read_text_file(dir / "report3/report.md").find("; the grid is left out"), std::string::npos);
}

}  // namespace
}  // namespace seglab
