// The statistics of `seglab report` over a store with known per-image scores
// (tests/reports/report_store_support.h writes catalog rows as `seglab eval`
// does): summaries, tests and intervals equal the statistics library's on
// the same numbers; bold only where significant; the baseline's dagger;
// pooled folds; errors for mismatched images and a bad baseline; the
// methods paragraph's recorded numbers.
#include "reports/report_statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "core/error.h"
#include "core/text.h"
#include "reports/comparison_figures.h"
#include "reports/gnuplot_renderer.h"
#include "reports/multiple_comparisons.h"
#include "reports/pgfplots_writer.h"
#include "reports/paired_difference.h"
#include "reports/report_writer.h"
#include "reports/results_table.h"
#include "reports/variant_scores.h"
#include "reports/wilcoxon.h"
#include "tests/reports/figure_checks.h"
#include "tests/reports/report_store_support.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

using test::ScoredRun;

std::string image(int i) {
  char id[16];
  std::snprintf(id, sizeof id, "IMD%03d", i);
  return id;
}

// Dice of image i for a variant: a hard-to-easy spread shared by every
// variant, plus the variant's `shift(i)`.
template <typename Shift>
std::map<std::string, double> dice(int first, int count, Shift shift) {
  std::map<std::string, double> scores;
  for (int i = first; i < first + count; ++i) scores[image(i)] = 0.75 + 0.1 * std::sin(1.3 * i) + shift(i);
  return scores;
}

struct Report {
  test::TempDir dir;
  RunStore store;
  std::vector<ReportRun> runs;
  std::vector<Variant> variants;
  explicit Report(const std::vector<ScoredRun>& scored) : store((test::make_scored_store(dir / "store", scored), dir / "store")) {
    runs = select_report_runs(store, {});
    variants = group_variants(runs, varied_keys(runs));
  }
  ReportStatistics statistics(const std::string& baseline = "", const std::string& data = "") const {
    StatisticsOptions o;
    o.baseline = baseline;
    o.data = data;
    o.metrics = {"dice", "iou"};
    auto r = report_statistics(runs, variants, o);
    if (!r) throw std::runtime_error("no statistics");
    return *r;
  }
};

// Three encoders, two seeds each, on the same 30 test images.
std::vector<ScoredRun> three_variants(double resnet_gain) {
  std::vector<ScoredRun> runs;
  for (int seed : {1, 2}) {
    runs.push_back({"plain" + std::to_string(seed), "plain", seed, "", "test",
                    dice(0, 30, [&](int i) { return 0.01 * seed * std::cos(2.1 * i); })});
    runs.push_back({"resnet" + std::to_string(seed), "resnet34", seed, "", "test",
                    dice(0, 30, [&](int i) { return resnet_gain + 0.004 * std::cos(0.7 * i + seed); })});
    runs.push_back({"vgg" + std::to_string(seed), "vgg16", seed, "", "test",
                    dice(0, 30, [&](int i) { return 0.02 * std::sin(2.7 * i + 0.3 * seed); })});
  }
  return runs;
}

// Variant v's per-image Dice as the report must compute it: the mean over seeds.
std::vector<double> seed_means(const std::vector<ScoredRun>& runs, const std::string& encoder) {
  std::map<std::string, std::pair<double, int>> sums;
  for (const auto& r : runs)
    if (r.encoder == encoder)
      for (const auto& [id, d] : r.dice) sums[id].first += d, ++sums[id].second;
  std::vector<double> means;
  for (const auto& [id, s] : sums) means.push_back(s.first / s.second);
  return means;
}

TEST(ReportStatistics, SummariesTestsAndIntervalsEqualTheStatisticsLibrary) {
  const auto scored = three_variants(0.03);
  const Report report(scored);
  const ReportStatistics r = report.statistics();
  ASSERT_EQ(r.selection.data, "test");
  ASSERT_EQ(r.comparisons.size(), 2u);
  const MetricComparison& c = r.comparisons[0];
  ASSERT_EQ(c.metric, "dice");
  ASSERT_EQ(c.image_ids.size(), 30u);
  const std::vector<std::string> encoders{"plain", "resnet34", "vgg16"};
  const BootstrapOptions b{10000, 0.95, kReportBootstrapSeed};
  std::vector<std::vector<double>> x;
  for (size_t v = 0; v < 3; ++v) {
    SCOPED_TRACE(encoders[v]);
    EXPECT_EQ(r.selection.variants[v].label, "encoder=" + encoders[v]);
    x.push_back(seed_means(scored, encoders[v]));
    const ScoreSummary expected = summarize_scores(x.back(), b);
    EXPECT_EQ(c.summaries[v].n, 30u);
    EXPECT_DOUBLE_EQ(c.summaries[v].mean, expected.mean);
    EXPECT_DOUBLE_EQ(c.summaries[v].std, expected.std);
    EXPECT_DOUBLE_EQ(c.summaries[v].median, expected.median);
    EXPECT_DOUBLE_EQ(c.summaries[v].mean_ci.low, expected.mean_ci.low);
    EXPECT_DOUBLE_EQ(c.summaries[v].mean_ci.high, expected.mean_ci.high);
    // The table shows them: mean, std, interval.
    EXPECT_DOUBLE_EQ(r.table.cells[v][0].mean, expected.mean);
    EXPECT_DOUBLE_EQ(r.table.intervals[v][0].low, expected.mean_ci.low);
  }
  const std::vector<double> p{wilcoxon_signed_rank(x[0], x[1]).p_value, wilcoxon_signed_rank(x[0], x[2]).p_value,
                              wilcoxon_signed_rank(x[1], x[2]).p_value};
  const std::vector<double> holm = holm_adjusted(p);
  EXPECT_DOUBLE_EQ(c.p_value[0][1], p[0]);
  EXPECT_DOUBLE_EQ(c.p_value[2][1], p[2]);
  EXPECT_DOUBLE_EQ(c.p_holm[0][1], holm[0]);
  EXPECT_DOUBLE_EQ(c.p_holm[0][2], holm[1]);
  EXPECT_DOUBLE_EQ(c.p_holm[2][1], holm[2]);
  EXPECT_DOUBLE_EQ(c.p_holm[1][1], 1.0);
  // Differences against the best (resnet34) with their bootstrap interval.
  ASSERT_EQ(c.best, 1);
  EXPECT_EQ(c.reference, 1);
  const PairedDifference d = median_paired_difference(x[0], x[1], b);
  EXPECT_DOUBLE_EQ(c.to_reference[0].median, d.median);
  EXPECT_DOUBLE_EQ(c.to_reference[0].median_ci.low, d.median_ci.low);
  EXPECT_DOUBLE_EQ(c.to_reference[0].median_ci.high, d.median_ci.high);
  EXPECT_EQ(c.to_reference[1].n, 0u);
  // The same store gives the same intervals; another seed other ones.
  EXPECT_DOUBLE_EQ(report.statistics().comparisons[0].summaries[0].mean_ci.low, c.summaries[0].mean_ci.low);
  // The per-image CSV carries the seed means.
  EXPECT_NE(r.per_image_csv.find("IMD000," + format_number(x[0][0])), std::string::npos) << r.per_image_csv;
  EXPECT_NE(r.table.caption.find("n = 30 images"), std::string::npos) << r.table.caption;
  EXPECT_NE(r.table.caption.find("2 seeds per variant"), std::string::npos) << r.table.caption;
  // The pairwise CSV: plain vs resnet34 on 30 images, exact (no ties), its p and Holm's.
  EXPECT_NE(r.pairwise_csv.find("dice,encoder=plain,encoder=resnet34,30,exact," + format_number(p[0]) + "," +
                                format_number(holm[0]) + "," + format_number(d.median)),
            std::string::npos)
      << r.pairwise_csv;
}

// methods.tex promises the median over images: the table carries each
// variant's, as the summary computed it.
TEST(ReportStatistics, TableCarriesTheMedianOverImages) {
  const ReportStatistics r = Report(three_variants(0.03)).statistics();
  ASSERT_EQ(r.table.medians.size(), 3u);
  for (size_t v = 0; v < 3; ++v)
    for (size_t m = 0; m < r.comparisons.size(); ++m)
      EXPECT_DOUBLE_EQ(r.table.medians[v][m], r.comparisons[m].summaries[v].median);
  EXPECT_NE(csv_table(r.table).find("dice median"), std::string::npos);
}

// The report's default metrics take the boundary scores when the evals
// have them, better higher (core/segmentation_metrics.h), as columns.
TEST(ReportStatistics, DefaultMetricsIncludeBoundaryIouAndNsd) {
  auto scored = three_variants(0.03);
  for (auto& run : scored) run.boundary = true;
  const Report report(scored);
  StatisticsOptions o;
  o.metrics = ReportOptions{}.scores;
  const auto r = report_statistics(report.runs, report.variants, o);
  ASSERT_TRUE(r);
  std::vector<std::string> metrics;
  for (const auto& c : r->comparisons) metrics.push_back(c.metric);
  EXPECT_EQ(metrics, (std::vector<std::string>{"dice", "iou", "boundary_iou", "nsd"}));
  for (const auto& c : r->comparisons) EXPECT_EQ(c.better, Better::higher) << c.metric;
  ASSERT_EQ(r->table.columns.size(), 4u);
  EXPECT_EQ(r->table.columns[2].header, "Boundary IoU");
  EXPECT_TRUE(r->table.columns[3].higher_is_better);
  EXPECT_EQ(metric_direction("eval.test.hd95_mm"), Better::lower);
  EXPECT_EQ(metric_direction("nsd_mm"), Better::higher);
}

TEST(ReportStatistics, BoldOnlyWhereSignificantlyBetterThanEveryOther) {
  {
    const ReportStatistics clear = Report(three_variants(0.03)).statistics();
    const MetricComparison& c = clear.comparisons[0];
    EXPECT_TRUE(c.best_significant);
    EXPECT_LE(c.p_holm[1][0], 0.05);
    EXPECT_LE(c.p_holm[1][2], 0.05);
    EXPECT_EQ(clear.table.bold[1][0], true);
    EXPECT_EQ(clear.table.bold[0][0], false);
    const std::string tex = latex_table(clear.table);
    EXPECT_NE(tex.find("encoder=resnet34 & $\\mathbf{"), std::string::npos) << tex;
    EXPECT_NE(tex.find("{\\footnotesize (2 seeds)} & {\\footnotesize ["), std::string::npos) << tex;
    EXPECT_NE(markdown_table(clear.table).find("| **"), std::string::npos);
  }
  {
    // resnet34 gains 0.0005: the best mean, but within the noise of the others.
    const ReportStatistics noise = Report(three_variants(0.0005)).statistics();
    const MetricComparison& c = noise.comparisons[0];
    EXPECT_GE(c.best, 0);
    EXPECT_FALSE(c.best_significant);
    for (const auto& row : noise.table.bold)
      for (bool bold : row) EXPECT_FALSE(bold);
    EXPECT_EQ(latex_table(noise.table).find("\\mathbf"), std::string::npos);
  }
}

TEST(ReportStatistics, BaselineMarksTheVariantsSignificantlyWorse) {
  const Report report(three_variants(0.03));
  // By label, or by a run id of the variant.
  for (const std::string baseline : {"encoder=resnet34", "resnet2"}) {
    const ReportStatistics r = report.statistics(baseline);
    EXPECT_EQ(r.options.baseline, 1);
    const MetricComparison& c = r.comparisons[0];
    EXPECT_EQ(c.reference, 1);
    EXPECT_EQ(c.worse_than_baseline, (std::vector<bool>{true, false, true}));
    EXPECT_NE(latex_table(r.table).find("$^{\\dagger}$"), std::string::npos);
    EXPECT_NE(r.table.caption.find("worse than the baseline encoder=resnet34"), std::string::npos);
  }
  // plain as baseline: nothing is significantly worse than it (resnet34 is better, vgg16 noise).
  const ReportStatistics plain = report.statistics("encoder=plain");
  EXPECT_EQ(plain.comparisons[0].worse_than_baseline, (std::vector<bool>{false, false, false}));
}

TEST(ReportStatistics, ABaselineNamingNoVariantIsAnErrorListingThem) {
  const Report report(three_variants(0.03));
  try {
    report.statistics("encoder=unet3000");
    FAIL() << "expected an error";
  } catch (const UsageError& e) {
    const std::string message = e.describe();
    EXPECT_NE(message.find("--baseline encoder=unet3000 names no variant"), std::string::npos) << message;
    for (const char* label : {"'encoder=plain' (runs plain1, plain2)", "'encoder=resnet34'", "'encoder=vgg16'"})
      EXPECT_NE(message.find(label), std::string::npos) << message;
  }
}

// Two encoders x 3 folds: each fold validates on its own 10 images, so the
// pooled out-of-fold scores cover 30 images once.
std::vector<ScoredRun> fold_runs(int seeds) {
  std::vector<ScoredRun> runs;
  for (int seed = 1; seed <= seeds; ++seed)
    for (int fold = 0; fold < 3; ++fold)
      for (const std::string encoder : {"plain", "resnet34"}) {
        const double gain = encoder == "resnet34" ? 0.02 : 0.0;
        runs.push_back({encoder.substr(0, 1) + std::to_string(seed) + "f" + std::to_string(fold + 1), encoder, seed,
                        std::to_string(fold + 1) + " of 3", "val",
                        dice(10 * fold, 10, [&](int i) { return gain + 0.01 * fold + 0.001 * seed * std::cos(i); })});
      }
  return runs;
}

TEST(ReportStatistics, PoolsTheOutOfFoldScoresOfTheFolds) {
  const auto scored = fold_runs(2);
  const Report report(scored);
  ASSERT_EQ(report.variants.size(), 2u);  // folds and seeds are one variant
  EXPECT_EQ(report.variants[0].runs.size(), 6u);
  const ReportStatistics r = report.statistics();
  EXPECT_EQ(r.selection.data, "val");  // no run has a test eval
  const VariantScores& plain = r.selection.variants[0];
  EXPECT_EQ(plain.image_ids.size(), 30u);  // 10 + 10 + 10
  EXPECT_EQ(r.comparisons[0].summaries[0].n, 30u);
  ASSERT_EQ(plain.folds.size(), 3u);
  EXPECT_EQ(plain.folds[1].fold, "2 of 3");
  EXPECT_EQ(plain.folds[1].images, 10u);
  // Fold 2's mean: its 10 images over both seeds.
  double sum = 0;
  int n = 0;
  for (const auto& run : scored)
    if (run.encoder == "plain" && run.fold == "2 of 3")
      for (const auto& [id, d] : run.dice) sum += d, ++n;
  EXPECT_NEAR(plain.folds[1].mean.at("dice"), sum / n, 1e-12);
  // The pooled score of an image is the mean over seeds of its one fold.
  const auto means = seed_means(scored, "plain");
  EXPECT_DOUBLE_EQ(r.comparisons[0].summaries[0].mean, summarize_scores(means).mean);
  // The per-fold figure and table beside the pooled ones.
  bool folds_figure = false;
  for (const auto& f : r.figures) folds_figure = folds_figure || f.name == "folds_dice";
  EXPECT_TRUE(folds_figure);
  EXPECT_NE(r.folds_csv.find("encoder=plain,2 of 3,10,"), std::string::npos) << r.folds_csv;
  EXPECT_NE(r.table.caption.find("pooled out-of-fold"), std::string::npos) << r.table.caption;
  EXPECT_NE(latex_table(r.table).find("{\\footnotesize (2 seeds x 3 folds)}"), std::string::npos);
  // Validation scores are optimistic, and the report says so.
  ASSERT_EQ(r.statements.size(), 2u);
  EXPECT_NE(r.statements[0].find("validation split"), std::string::npos);
  EXPECT_NE(r.statements[1].find("optimistic"), std::string::npos);
}

TEST(ReportStatistics, OverlappingFoldsOfOneSeedAreAnError) {
  auto scored = fold_runs(1);
  scored[2].dice = scored[0].dice;  // plain fold 2 scores fold 1's images again
  const Report report(scored);
  try {
    report.statistics();
    FAIL() << "expected an error";
  } catch (const DataError& e) {
    EXPECT_NE(e.describe().find("runs p1f1 and p1f2"), std::string::npos) << e.describe();
  }
}

TEST(ReportStatistics, VariantsOnDifferentImagesAreAnErrorNamingTheRuns) {
  auto scored = three_variants(0.03);
  for (auto& r : scored)
    if (r.encoder == "vgg16") r.dice = dice(5, 30, [](int) { return 0.0; });  // IMD005..IMD034
  const Report report(scored);
  try {
    report.statistics();
    FAIL() << "expected an error";
  } catch (const DataError& e) {
    const std::string message = e.describe();
    EXPECT_NE(message.find("encoder=plain (runs plain1, plain2) and encoder=vgg16 (runs vgg1, vgg2)"), std::string::npos)
        << message;
    EXPECT_NE(message.find("only the first scored IMD000"), std::string::npos) << message;
    EXPECT_NE(message.find("only the second scored IMD030"), std::string::npos) << message;
  }
}

TEST(ReportStatistics, UsesTestWhenEveryRunHasATestEvalElseValidation) {
  auto scored = three_variants(0.03);
  EXPECT_EQ(Report(scored).statistics().statements.size(), 1u);  // test: no warning
  scored.push_back({"late1", "unet3", 1, "", "val", dice(0, 30, [](int) { return 0.0; })});
  const Report mixed(scored);
  EXPECT_EQ(mixed.statistics().selection.data, "val");
  // Asked for test: the run without a test eval is left out with a note.
  const ReportStatistics test = mixed.statistics("", "test");
  EXPECT_EQ(test.selection.data, "test");
  EXPECT_EQ(test.selection.variants.size(), 3u);
  ASSERT_FALSE(test.notes.empty());
  EXPECT_NE(test.notes[0].find("encoder=unet3"), std::string::npos) << test.notes[0];
}

// `seglab eval --ensemble a b c` records the ensemble's eval on run a; the
// report must keep using a's own test eval for a.
TEST(ReportStatistics, AnEnsembleEvalRecordedOnARunIsNotItsOwnScore) {
  ReportRun run;
  EvalRecord own, ensemble, val;
  own.id = 1, own.options = {{"data", "test"}};
  ensemble.id = 2, ensemble.options = {{"data", "test"}, {"ensemble", "b,c"}};
  val.id = 3, val.options = {{"data", "val"}};
  run.evals = {own, ensemble, val};
  const EvalRecord* test = latest_eval(run, "test");
  ASSERT_NE(test, nullptr);
  EXPECT_EQ(test->id, 1);
  run.evals = {ensemble};
  EXPECT_EQ(latest_eval(run, "test"), nullptr);
}

TEST(ReportStatistics, MethodsParagraphStatesTheRecordedProtocol) {
  const ReportStatistics r = Report(three_variants(0.03)).statistics();
  const std::string& tex = r.methods_tex;
  for (const std::string fact :
       {"PH2 dermoscopy images (200 samples; data fingerprint \\texttt{f00dfeed12345678})",
        "% data fingerprint (full): f00dfeed12345678aaaaaaaa",
        "split by ratio 0.2, seed 7, stratified by clinical\\_diagnosis into 130 training, 40 validation and 30 test images.",
        "encoder=plain: 1, 2", "\\texttt{val.dice}", "Of 12 training epochs", "thresholded at 0.45 (the configured eval.threshold)",
        "post-processing: none", "$n = 30$", "10000 resamples of the images, seed 20240601",
        "Wilcoxon signed-rank", "Holm", "$\\alpha = 0.05$", "all $K(K-1)/2 = 3$ pairs of the $K = 3$ variants", "seglab 0.1.0", "onednn backend",
        "LibTorch 1.13.1", "oneDNN 2.7.3", "Dice coefficient"})
    EXPECT_NE(tex.find(fact), std::string::npos) << fact << "\n" << tex;
}

// Two variants are one pair, said so; k-fold runs are one cross-validation,
// not a list of each fold's split.
TEST(ReportStatistics, MethodsParagraphWordsOnePairAndSummarisesTheFolds) {
  const ReportStatistics r = Report(fold_runs(1)).statistics();
  const std::string& tex = r.methods_tex;
  EXPECT_NE(tex.find("the $p$-value of the one pair of each metric was compared with $\\alpha = 0.05$"),
            std::string::npos) << tex;
  EXPECT_EQ(tex.find("all 1 pairs"), std::string::npos) << tex;
  EXPECT_NE(tex.find("Each variant was trained in 3-fold cross-validation over the 170 non-test images (split seed 7, "
                     "stratified by clinical\\_diagnosis); 30 images were held out as the test split; its scores are "
                     "the pooled out-of-fold scores"),
            std::string::npos) << tex;
  EXPECT_EQ(tex.find("fold 2 of 3"), std::string::npos) << tex;
  EXPECT_EQ(tex.find("The images were split by"), std::string::npos) << tex;
}

// A p-value matrix of k variants, every pair below 0.001.
MetricComparison tiny_p_values(size_t k) {
  MetricComparison c;
  c.metric = "dice";
  c.image_ids = {"a", "b"};
  c.p_holm.assign(k, std::vector<double>(k, 1e-5));
  for (size_t v = 0; v < k; ++v) c.p_holm[v][v] = 1;
  return c;
}

std::vector<std::string> variant_labels(size_t k) {
  std::vector<std::string> labels;
  for (size_t v = 0; v < k; ++v) labels.push_back("variant" + std::to_string(v));
  return labels;
}

// "<0.001" fits its cell: 7 pt for a few variants, smaller for many; and
// pgfplots prints it so too, not as 1e-5 in scientific notation.
TEST(ReportStatistics, SignificanceCellLabelsFitTheirCells) {
  const Figure few = p_value_figure(tiny_p_values(3), variant_labels(3), 0.05);
  EXPECT_NE(few.caption.find("all 3 pairs corrected together"), std::string::npos) << few.caption;
  const Figure two = p_value_figure(tiny_p_values(2), variant_labels(2), 0.05);
  EXPECT_NE(two.caption.find("one pair, which Holm's correction leaves unchanged"), std::string::npos) << two.caption;
  EXPECT_NE(gnuplot_script(few).find("'<0.001'"), std::string::npos);
  EXPECT_NE(gnuplot_script(few).find("with labels tc rgb variable font ',7'"), std::string::npos) << gnuplot_script(few);
  const Figure many = p_value_figure(tiny_p_values(12), variant_labels(12), 0.05);
  EXPECT_NE(gnuplot_script(many).find("with labels tc rgb variable font ',5'"), std::string::npos)
      << gnuplot_script(many);
  const std::string pgf = pgfplots_text(many);
  EXPECT_NE(pgf.find("$<$0.001\\else \\pgfmathprintnumber[fixed, zerofill, precision=3]"), std::string::npos) << pgf;
  EXPECT_NE(pgf.find("font=\\fontsize{5}{6}"), std::string::npos) << pgf;
}

// Every variant better than the baseline on every image: the y range still
// reaches 0, so the dashed zero line is inside the frame.
TEST(ReportStatistics, PairedDifferencesRangeIncludesZero) {
  MetricComparison c;
  c.metric = "dice";
  c.reference = 0;
  for (int i = 0; i < 10; ++i) c.image_ids.push_back(image(i));
  c.scores.assign(2, {});
  for (int i = 0; i < 10; ++i) c.scores[0].push_back(0.5), c.scores[1].push_back(0.6 + 0.01 * i);
  c.to_reference.resize(2);
  c.to_reference[1].median_ci = {0.12, 0.15};
  const Figure f = paired_difference_figure(c, {"base", "better"}, true);
  const auto [low, high] = zero_inclusive_y_range(f);
  EXPECT_LT(low, 0);
  EXPECT_GT(high, 0.19);
  char range[64];
  std::snprintf(range, sizeof range, "set yrange [%.9g:%.9g]\n", low, high);
  EXPECT_NE(gnuplot_script(f).find(range), std::string::npos) << gnuplot_script(f);
  EXPECT_NE(pgfplots_text(f).find("ymin=-"), std::string::npos) << pgfplots_text(f);
}

// The report's new files, drawn: a store of three variants on test images
// and one of two k-fold variants, each reported once with pgfplots.
class ReportStatisticsFiles : public ::testing::Test {
 protected:
  static ReportOutput report(const std::vector<ScoredRun>& scored, const std::string& out, const std::string& baseline) {
    test::make_scored_store(out + "/store", scored);
    RunStore store(out + "/store");
    ReportOptions options;
    options.out_dir = out + "/report";
    options.pgfplots = true;
    options.grid = false;
    options.baseline = baseline;
    return write_report(select_report_runs(store, {}), options, test::fake_sample_source());
  }
};

TEST_F(ReportStatisticsFiles, NewFiguresPassTheThesisSizeAndFontChecks) {
  test::TempDir dir;
  const ReportOutput out = report(three_variants(0.03), dir.path(), "encoder=plain");
  for (const char* name : {"significance_dice", "paired_differences_dice", "rank_stability_dice"})
    test::expect_thesis_figure(dir / ("report/" + std::string(name)));
  // The p-value matrix holds the Holm-adjusted p-values (column row value).
  const MetricComparison& c = out.statistics->comparisons[0];
  const std::string matrix = test::read_text_file(dir / "report/significance_dice.dat");
  char cell[64];
  std::snprintf(cell, sizeof cell, "\n1 0 %.9g\n", c.p_holm[0][1]);
  EXPECT_NE(matrix.find(cell), std::string::npos) << cell << matrix;
  // The differences are against the baseline (plain): its own box is absent.
  const std::string script = test::read_text_file(dir / "report/paired_differences_dice.gp");
  EXPECT_EQ(script.find("\"encoder=plain\" 0"), std::string::npos) << script;
  EXPECT_NE(script.find("95% CI of the median"), std::string::npos);
  const std::string index = test::read_text_file(dir / "report/report.md");
  for (const char* listed : {"`significance_dice.{dat,gp,pdf,svg,png,tex}`: Holm-adjusted p-values",
                             "`rank_stability_dice.", "`paired_differences_dice.", "`methods.tex`: Methods paragraph",
                             "`pairwise.csv`", "`per_image_dice.csv`", "test split (every run has a test eval)"})
    EXPECT_NE(index.find(listed), std::string::npos) << listed << "\n" << index;
}

TEST_F(ReportStatisticsFiles, FoldFigurePassesTheChecksAndValidationIsCalledOptimistic) {
  test::TempDir dir;
  report(fold_runs(1), dir.path(), "");
  test::expect_thesis_figure(dir / "report/folds_dice");
  EXPECT_TRUE(std::filesystem::exists(dir / "report/folds.csv"));
  const std::string index = test::read_text_file(dir / "report/report.md");
  EXPECT_NE(index.find("optimistic"), std::string::npos) << index;
}

TEST_F(ReportStatisticsFiles, TableMethodsAndFiguresCompileWithPdflatex) {
  test::TempDir dir;
  report(three_variants(0.03), dir.path(), "encoder=plain");
  report(fold_runs(1), dir / "folds", "");
  const auto [code, log] = test::compile_latex(
      dir / "report", "doc",
      "\\input{methods.tex}\n\\input{results.tex}\n\\input{significance_dice.tex}\n"
      "\\input{paired_differences_dice.tex}\n\\input{rank_stability_dice.tex}\n"
      "\\input{../folds/report/folds_dice.tex}\n\\input{../folds/report/methods.tex}\n");
  EXPECT_EQ(code, 0) << log;
  const auto text = test::run_command("pdftotext " + (dir / "report/doc.pdf") + " -");
  EXPECT_NE(text.output.find("10000 resamples"), std::string::npos) << text.output;
  // The methods paragraphs alone, in the article's own text width: nothing
  // may run into the margin (a 64-digit fingerprint did, by 158 pt).
  const auto [methods_code, methods_log] =
      test::compile_latex(dir / "report", "methods_doc", "\\input{methods.tex}\n\n\\input{../folds/report/methods.tex}\n");
  ASSERT_EQ(methods_code, 0) << methods_log;
  EXPECT_EQ(test::overfull_hboxes(dir / "report/methods_doc.log", 3.0), std::vector<std::string>{});
}

// The report's p-values against scipy.stats.wilcoxon and the Holm formula of
// statsmodels (tests/python/statistics_reference.py) on its own per-image CSV.
TEST(ReportStatisticsReference, PValuesAgreeWithScipy) {
  const auto scored = three_variants(0.03);
  const Report report(scored);
  const ReportStatistics r = report.statistics();
  const MetricComparison& c = r.comparisons[0];
  std::ostringstream cases;
  cases.precision(17);
  for (auto [a, b] : {std::pair<int, int>{0, 1}, {0, 2}, {1, 2}}) {
    cases << "p" << a << b << " two-sided\n";
    for (int side : {a, b}) {
      for (size_t i = 0; i < c.image_ids.size(); ++i) cases << (i ? " " : "") << c.scores[side][i];
      cases << "\n";
    }
  }
  test::write_text_file(report.dir / "cases.txt", cases.str());
  const auto out = test::run_command(std::string(test::python()) + " " + test::source_dir() +
                                     "/tests/python/statistics_reference.py wilcoxon " + (report.dir / "cases.txt"));
  ASSERT_EQ(out.exit_code, 0) << out.output;
  std::istringstream lines(out.output);
  std::vector<double> p;
  std::string name, statistic, pvalue;
  while (lines >> name >> statistic >> pvalue) {
    p.push_back(std::stod(pvalue));
    std::string rest;
    std::getline(lines, rest);
  }
  ASSERT_EQ(p.size(), 3u) << out.output;
  EXPECT_NEAR(c.p_value[0][1], p[0], 1e-6);
  EXPECT_NEAR(c.p_value[0][2], p[1], 1e-6);
  EXPECT_NEAR(c.p_value[1][2], p[2], 1e-6);
  // Holm by hand: sorted ascending, times m, m - 1, ..., running maximum.
  std::vector<double> sorted = p;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> adjusted(3);
  double running = 0;
  for (size_t i = 0; i < 3; ++i) adjusted[i] = running = std::min(1.0, std::max(running, (3 - i) * sorted[i]));
  std::vector<double> ours{c.p_holm[0][1], c.p_holm[0][2], c.p_holm[1][2]};
  std::sort(ours.begin(), ours.end());
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(ours[i], adjusted[i], 1e-6);
}

}  // namespace
}  // namespace seglab
