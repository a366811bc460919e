#include "reports/results_table.h"

#include <gtest/gtest.h>

#include "reports/report_figures.h"

#include "tests/support/test_support.h"

namespace seglab {
namespace {

ResultsTable example() {
  ResultsTable t;
  t.caption = "Scores on PH2 & friends, mean ± std";
  t.label = "tab:example";
  t.columns = {{"val.dice", "Dice", true}, {"val.hd95", "HD95", false}};
  t.row_labels = {"encoder=resnet34", "encoder=plain_v2"};
  t.cells = {{{0.9123, 0.0041, 3}, {7.5, 1.25, 3}}, {{0.8999, 0.0100, 3}, {6.0, 0.5, 3}}};
  return t;
}

TEST(ResultsTable, BestIsHighestOrLowestAsTheColumnSays) {
  const ResultsTable t = example();
  EXPECT_EQ(best_rows(t, 0), (std::vector<bool>{true, false}));
  EXPECT_EQ(best_rows(t, 1), (std::vector<bool>{false, true}));
}

// NSD and Boundary IoU are better higher, as Dice; the distances lower.
TEST(ResultsTable, BoundaryScoresPointTheRightWay) {
  const ResultsTable t = results_table({}, {"eval.val.nsd", "boundary_iou", "nsd_mm", "hd95", "assd_mm", "dice"});
  ASSERT_EQ(t.columns.size(), 6u);
  const std::vector<bool> higher = {true, true, true, false, false, true};
  for (size_t c = 0; c < t.columns.size(); ++c) EXPECT_EQ(t.columns[c].higher_is_better, higher[c]) << t.columns[c].key;
  EXPECT_EQ(t.columns[1].header, "Boundary IoU");
  EXPECT_EQ(t.columns[0].header, "NSD");
}

TEST(ResultsTable, TiesAtThePrintedPrecisionAreAllBold) {
  ResultsTable t = example();
  t.cells[1][0].mean = 0.91226;  // prints as 0.912 like row 0
  EXPECT_EQ(best_rows(t, 0), (std::vector<bool>{true, true}));
}

TEST(ResultsTable, LatexHasBooktabsMeanStdAndBoldBest) {
  const std::string tex = latex_table(example());
  EXPECT_NE(tex.find("\\toprule"), std::string::npos);
  EXPECT_NE(tex.find("\\midrule"), std::string::npos);
  EXPECT_NE(tex.find("\\bottomrule"), std::string::npos);
  EXPECT_NE(tex.find("$\\mathbf{0.912 \\pm 0.004}$"), std::string::npos) << tex;
  EXPECT_NE(tex.find("$0.900 \\pm 0.010$"), std::string::npos) << tex;
  EXPECT_NE(tex.find("$\\mathbf{6.000 \\pm 0.500}$"), std::string::npos) << tex;
  EXPECT_NE(tex.find("encoder=plain\\_v2"), std::string::npos);
  EXPECT_NE(tex.find("PH2 \\& friends"), std::string::npos);
  EXPECT_NE(tex.find("\\label{tab:example}"), std::string::npos);
}

TEST(ResultsTable, MarkdownAndCsvCarryTheSameNumbers) {
  const std::string md = markdown_table(example());
  EXPECT_NE(md.find("| encoder=resnet34 | **0.912 ± 0.004** | 7.500 ± 1.250 |"), std::string::npos) << md;
  const std::string csv = csv_table(example());
  EXPECT_NE(csv.find("Variant,val.dice mean,val.dice std,val.dice n,val.hd95 mean"), std::string::npos) << csv;
  EXPECT_NE(csv.find("encoder=resnet34,0.9123,0.0041,3,7.5,1.25,3"), std::string::npos) << csv;
}

TEST(ResultsTable, LatexCompilesWithPdflatexAndShowsItsNumbers) {
  test::TempDir dir;
  test::write_text_file(dir / "results.tex", latex_table(example()));
  test::write_text_file(dir / "doc.tex",
                        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n"
                        "\\begin{document}\n\\input{results.tex}\n\\end{document}\n");
  const auto latex = test::run_command("cd " + dir.path() + " && pdflatex -interaction=nonstopmode -halt-on-error doc.tex");
  ASSERT_EQ(latex.exit_code, 0) << latex.output;
  const auto text = test::run_command("pdftotext " + dir.path() + "/doc.pdf -");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("0.912 ± 0.004"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("6.000 ± 0.500"), std::string::npos) << text.output;
}

}  // namespace
}  // namespace seglab
