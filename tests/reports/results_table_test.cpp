#include "reports/results_table.h"

#include <gtest/gtest.h>

#include "reports/report_figures.h"

#include "tests/reports/figure_checks.h"

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

// The median over images (per-image statistics) is in the CSV and the
// Markdown, next to the mean, as methods.tex says it is reported.
TEST(ResultsTable, MedianIsInCsvAndMarkdown) {
  ResultsTable t = example();
  t.intervals = {{{0.90, 0.92}, {7.0, 8.0}}, {{0.89, 0.91}, {5.5, 6.5}}};
  t.medians = {{0.9151, 7.25}, {0.9012, 6.125}};
  const std::string csv = csv_table(t);
  EXPECT_NE(csv.find("Variant,val.dice mean,val.dice std,val.dice n,val.dice median,val.dice ci_low"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("encoder=resnet34,0.9123,0.0041,3,0.9151,0.9,0.92,"), std::string::npos) << csv;
  const std::string md = markdown_table(t);
  EXPECT_NE(md.find("0.912 ± 0.004** [0.900, 0.920]; median 0.915 |"), std::string::npos) << md;
  EXPECT_NE(md.find("6.000 ± 0.500** [5.500, 6.500]; median 6.125 |"), std::string::npos) << md;
}

// A statistics table as `seglab report` writes it: k variants with seeds,
// `metrics` columns, intervals, a baseline's dagger, the best in bold.
ResultsTable statistics_example(size_t variants, size_t metrics) {
  const std::vector<ResultsColumn> all{{"dice", "Dice", true},         {"iou", "IoU", true},
                                       {"isic_jaccard", "ISIC Jaccard", true}, {"precision", "Precision", true},
                                       {"recall", "Recall", true},     {"specificity", "Specificity", true},
                                       {"accuracy", "Accuracy", true}, {"boundary_iou", "Boundary IoU", true},
                                       {"hd95", "HD95 (px)", false}};
  ResultsTable t;
  t.caption = "Scores on the test split";
  t.label = "tab:seglab-results";
  t.columns.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(metrics));
  for (size_t v = 0; v < variants; ++v) {
    t.row_labels.push_back("encoder=resnet34, lr=0.00" + std::to_string(v + 1) + " (3 seeds x 5 folds)");
    std::vector<MeanStd> cells;
    std::vector<Interval> intervals;
    for (size_t m = 0; m < metrics; ++m) {
      const double mean = t.columns[m].higher_is_better ? 0.8123 + 0.01 * v : 12.345 + v;
      cells.push_back({mean, 0.0345, 200});
      intervals.push_back({mean - 0.0123, mean + 0.0123});
    }
    t.cells.push_back(cells);
    t.intervals.push_back(intervals);
    t.medians.push_back(std::vector<double>(metrics, 0.8));
    t.bold.push_back(std::vector<bool>(metrics, v == 0));
    t.dagger.push_back(std::vector<bool>(metrics, v == variants - 1));
  }
  return t;
}

// The statistics table fits a thesis' 6.3 in text block for up to about 7
// metrics: on one line per cell it ran 655 pt into the margin.
TEST(ResultsTable, LatexWithIntervalsFitsTheTextWidth) {
  for (const auto& [variants, metrics] : std::vector<std::pair<size_t, size_t>>{{3, 2}, {3, 7}, {4, 7}, {6, 3}, {2, 9}}) {
    SCOPED_TRACE(std::to_string(variants) + " variants, " + std::to_string(metrics) + " metrics");
    test::TempDir dir;
    const std::string tex = latex_table(statistics_example(variants, metrics));
    test::write_text_file(dir / "results.tex", tex);
    const auto [code, log] = test::compile_latex(dir.path(), "doc", "\\input{results.tex}",
                                                 "\\setlength{\\textwidth}{6.3in}");
    ASSERT_EQ(code, 0) << log;
    EXPECT_EQ(test::overfull_hboxes(dir / "doc.log", 1.0), std::vector<std::string>{}) << tex;
    const auto text = test::run_command("pdftotext -layout " + dir.path() + "/doc.pdf -");
    EXPECT_NE(text.output.find("[0.800, 0.825]"), std::string::npos) << text.output;
  }
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
