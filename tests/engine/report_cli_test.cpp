// `seglab report` end to end: two real (tiny) runs that differ in one setting,
// evaluated, then reported; the table's numbers are the catalog's.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

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
  for (size_t i = 0; i < ids.size(); ++i) {
    const double dice = runs.catalog().latest_metrics(ids[i]).at("eval.val.dice");
    const std::string row = std::string("base\\_channels=") + (i == 0 ? "4" : "6") + " & $";
    const auto at = tex.find(row);
    ASSERT_NE(at, std::string::npos) << tex;
    EXPECT_NE(tex.find(fixed3(dice), at), std::string::npos) << "dice " << dice << " not in " << tex;
  }
  for (const char* file : {"report.md", "curves_val_dice.pdf", "comparison.svg", "class_metrics_1.png",
                           "confusion_matrix_2.pdf", "qualitative_grid.pdf", "efficiency_parameters.png"})
    EXPECT_TRUE(fs::exists(dir / ("report/" + std::string(file)))) << file;
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
