// `seglab report` end to end: two real (tiny) runs that differ in one setting,
// evaluated, then reported; the table's numbers are the catalog's.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include "tests/support/test_support.h"
#include "tests/support/tiny_experiment.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

const std::string kTiny = test::TinyExperiment{"widths", 5, 16, 2, 4}.ini();

std::string fixed3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

TEST(ReportCli, ReportsTwoRealRunsAsTwoVariants) {
  test::TempDir dir;
  test::write_text_file(dir / "tiny.ini", kTiny);
  const std::string store = " --store " + (dir / "store");
  std::vector<std::string> ids;
  for (const char* width : {"4", "6"}) {
    const auto train = test::run_seglab("train " + (dir / "tiny.ini") + store + " --set model.base_channels=" + width);
    ASSERT_EQ(train.exit_code, 0) << train.output;
    ids.push_back(test::trained_run_id(train.output, "widths"));
    ASSERT_FALSE(ids.back().empty());
    const auto eval = test::run_seglab("eval " + ids.back() + store);
    ASSERT_EQ(eval.exit_code, 0) << eval.output;
    EXPECT_TRUE(fs::exists(dir / ("store/runs/" + ids.back() + "/eval/val-best/confusion_matrix.csv")));
  }
  const auto report = test::run_seglab("report --where experiment.name=widths -o " + (dir / "report") + store);
  ASSERT_EQ(report.exit_code, 0) << report.output;
  EXPECT_NE(report.output.find("2 run(s) in 2 variant(s)"), std::string::npos) << report.output;

  RunStore runs(dir / "store");
  const std::string tex = test::read_text_file(dir / "report/results.tex");
  // Eight metrics, two variants: the table is transposed (a metric per
  // row), the variants' Dice in the Dice row, in column order.
  EXPECT_NE(tex.find("Metric & base\\_channels=4 & base\\_channels=6 \\\\"), std::string::npos) << tex;
  const size_t row_at = tex.find("Dice $\\uparrow$ & ");
  ASSERT_NE(row_at, std::string::npos) << tex;
  const std::string row = tex.substr(row_at, tex.find('\n', row_at) - row_at);
  size_t at = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    const double dice = runs.catalog().latest_metrics(ids[i]).at("eval.val.dice");
    at = row.find(fixed3(dice), at);
    ASSERT_NE(at, std::string::npos) << "dice " << dice << " not in the Dice row " << row;
    ++at;
  }
  for (const char* file : {"report.md", "curves_val_dice.pdf", "comparison.svg", "class_metrics_1.png",
                           "confusion_matrix_2.pdf", "qualitative_grid.pdf", "efficiency_parameters.png"})
    EXPECT_TRUE(fs::exists(dir / ("report/" + std::string(file)))) << file;
}

// Two widths x two folds, each fold evaluated on its validation images: the
// report groups the folds into one variant per width, pools their
// out-of-fold scores (every image once), states that it used (optimistic)
// validation scores, and writes the intervals, the tests' figures, the
// per-fold figure and methods.tex from the records.
TEST(ReportCli, TwoVariantsTimesTwoFoldsArePooledWithIntervalsTestsAndMethods) {
  test::TempDir dir;
  test::write_text_file(dir / "tiny.ini", test::TinyExperiment{"folds", 3, 16, 1, 4}.ini());
  const std::string store = " --store " + (dir / "store");
  std::vector<std::string> ids;
  for (const char* width : {"4", "6"})
    for (const char* fold : {"1", "2"}) {
      const auto train = test::run_seglab("train " + (dir / "tiny.ini") + store + " --set model.base_channels=" + width +
                                          " --set 'data.fold=" + fold + " of 2'");
      ASSERT_EQ(train.exit_code, 0) << train.output;
      ids.push_back(test::trained_run_id(train.output, "folds"));
      const auto eval = test::run_seglab("eval " + ids.back() + store + " --data val");
      ASSERT_EQ(eval.exit_code, 0) << eval.output;
    }
  const std::string out = dir / "report";
  const auto report = test::run_seglab("report --where experiment.name=folds --no-grid --baseline " + ids[0] + " -o " +
                                       out + store);
  ASSERT_EQ(report.exit_code, 0) << report.output;
  EXPECT_NE(report.output.find("4 run(s) in 2 variant(s)"), std::string::npos) << report.output;
  EXPECT_NE(report.output.find("validation split (not every run has a test eval"), std::string::npos) << report.output;
  EXPECT_NE(report.output.find("optimistic"), std::string::npos) << report.output;
  const std::string tex = test::read_text_file(out + "/results.tex");
  EXPECT_NE(tex.find("& {\\footnotesize (1 seed x 2 folds)} & {\\footnotesize (1 seed x 2 folds)} \\\\"), std::string::npos)
      << tex;
  EXPECT_NE(tex.find("& {\\footnotesize ["), std::string::npos) << tex;
  // Pooled: the two folds' validation images are disjoint and cover all 16.
  RunStore runs(dir / "store");
  std::map<std::string, double> pooled;
  for (size_t r = 0; r < 2; ++r)
    for (const auto& s : runs.catalog().image_scores(ids[r]).at("eval/val-best"))
      if (s.metric == "dice") {
        EXPECT_EQ(pooled.count(s.image_id), 0u) << s.image_id << " in both folds";
        pooled[s.image_id] = s.value;
      }
  EXPECT_EQ(pooled.size(), 16u);
  EXPECT_NE(tex.find("n = 16 images, pooled out-of-fold"), std::string::npos) << tex;
  double mean = 0;
  for (const auto& [id, v] : pooled) mean += v / static_cast<double>(pooled.size());
  EXPECT_NE(tex.find("$" + fixed3(mean) + " \\pm"), std::string::npos) << "mean " << mean << " not in " << tex;
  for (const char* file : {"significance_dice.pdf", "paired_differences_dice.svg", "rank_stability_dice.png",
                           "folds_dice.pdf", "folds.csv", "pairwise.csv", "per_image_dice.csv", "methods.tex",
                           "curves_val_dice.pdf"})
    EXPECT_TRUE(fs::exists(out + "/" + file)) << file;
  const std::string methods = test::read_text_file(out + "/methods.tex");
  const auto record = runs.catalog().record(ids[0]);
  for (const std::string& fact :
       std::vector<std::string>{"\\texttt{" + record.at("data.fingerprint").substr(0, 16) + "}",
                                "% data fingerprint (full): " + record.at("data.fingerprint"),
                                "2-fold cross-validation over the " +
                                    std::to_string(std::stoi(record.at("data.train_samples")) +
                                                   std::stoi(record.at("data.val_samples"))) +
                                    " non-test images (split seed",
                                "base\\_channels=4: 3", "10000 resamples", "LibTorch " + record.at("lib.libtorch")})
    EXPECT_NE(methods.find(fact), std::string::npos) << fact << "\n" << methods;
  // An epoch axis ticks on whole numbers.
  EXPECT_NE(test::read_text_file(out + "/curves_val_dice.gp").find("set xtics 1\n"), std::string::npos);

  const auto bad = test::run_seglab("report --where experiment.name=folds --no-grid --baseline resnet99 -o " +
                                    (dir / "bad") + store);
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("--baseline resnet99 names no variant"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("'base_channels=6' (runs " + ids[2] + ", " + ids[3] + ")"), std::string::npos) << bad.output;
}

TEST(ReportCli, BadSelectionsSayWhatToDo) {
  test::TempDir dir;
  const std::string store = " --store " + (dir / "store");
  const auto no_output = test::run_seglab("report --runs abc" + store);
  EXPECT_EQ(no_output.exit_code, 2);
  EXPECT_NE(no_output.output.find("give -o <dir>"), std::string::npos) << no_output.output;
  const auto nothing = test::run_seglab("report -o " + (dir / "r") + store);
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_NE(nothing.output.find("no runs selected"), std::string::npos) << nothing.output;
  const auto empty = test::run_seglab("report --where model.encoder=vgg16_bn -o " + (dir / "r") + store);
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.output.find("no runs match model.encoder=vgg16_bn"), std::string::npos) << empty.output;
  EXPECT_FALSE(fs::exists(dir / "r/report.md"));
}

}  // namespace
}  // namespace seglab
