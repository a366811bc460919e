#include "reports/report_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "core/error.h"
#include "tests/reports/report_store_support.h"
#include "tests/reports/figure_checks.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

namespace fs = std::filesystem;

// Numbers in the data block row that starts with `first`.
std::vector<double> dat_row(const std::string& path, const std::string& first) {
  std::istringstream in(test::read_text_file(path));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string head;
    words >> head;
    if (head != first) continue;
    std::vector<double> values;
    double v;
    while (words >> v) values.push_back(v);
    return values;
  }
  ADD_FAILURE() << "no row " << first << " in " << path;
  return {};
}

// Rows ("x y low high") of every series of a lines figure's .dat, by the
// series' label ("# series 0: encoder=plain").
std::map<std::string, std::vector<std::vector<double>>> dat_series(const std::string& path) {
  std::map<std::string, std::vector<std::vector<double>>> series;
  std::istringstream in(test::read_text_file(path));
  std::string line, label;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, std::regex(R"(# series [0-9]+: (.*))"))) label = m[1];
    if (line.empty() || line[0] == '#' || label.empty()) continue;
    std::istringstream words(line);
    std::vector<double> row;
    double v;
    while (words >> v) row.push_back(v);
    series[label].push_back(row);
  }
  return series;
}

// The band polygon pgfplots fills for each series of a lines figure's .tex,
// by the legend entry that follows it; a series without a band is absent.
std::map<std::string, std::vector<std::pair<double, double>>> tex_bands(const std::string& path) {
  std::map<std::string, std::vector<std::pair<double, double>>> bands;
  std::istringstream in(test::read_text_file(path));
  std::string line;
  std::vector<std::pair<double, double>> pending;
  bool has_band = false;
  const std::regex point(R"(\(([-0-9.e]+),([-0-9.e]+)\))");
  while (std::getline(in, line)) {
    std::smatch m;
    if (line.find("forget plot] coordinates {") != std::string::npos) {
      pending.clear();
      has_band = true;
      for (auto it = std::sregex_iterator(line.begin(), line.end(), point); it != std::sregex_iterator(); ++it)
        pending.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
    } else if (std::regex_match(line, m, std::regex(R"(\\addlegendentry\{(.*)\})"))) {
      if (has_band) bands[m[1]] = pending;
      has_band = false;
    }
  }
  return bands;
}

// One store and one full report (pgfplots included) shared by the tests that
// only read it: drawing every figure takes a few seconds.
class ReportWriterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_dir = new test::TempDir;
    full_dir = new test::TempDir;
    test::make_report_store(store_dir->path());
  }
  // Made on first use: ctest runs each test in its own process.
  static const ReportOutput& full_report() {
    if (!full) full = new ReportOutput(report_into(full_dir->path(), {}, true));
    return *full;
  }
  static void TearDownTestSuite() {
    delete full;
    delete full_dir;
    delete store_dir;
  }
  static ReportOutput report_into(const std::string& dir, const ReportSelection& selection, bool pgfplots) {
    RunStore store(store_dir->path());
    const auto runs = select_report_runs(store, selection);
    ReportOptions options;
    options.out_dir = dir;
    options.pgfplots = pgfplots;
    return write_report(runs, options, test::fake_sample_source());
  }
  static std::string out(const std::string& name) {
    full_report();
    return full_dir->path() + "/" + name;
  }

  static test::TempDir* store_dir;
  static test::TempDir* full_dir;
  static ReportOutput* full;
};
test::TempDir* ReportWriterTest::store_dir = nullptr;
test::TempDir* ReportWriterTest::full_dir = nullptr;
ReportOutput* ReportWriterTest::full = nullptr;

TEST_F(ReportWriterTest, GroupsSeedsIntoVariants) {
  RunStore store(store_dir->path());
  const auto all = select_report_runs(store, {});
  EXPECT_EQ(varied_keys(all), std::vector<std::string>{"model.encoder"});
  const auto variants = group_variants(all, varied_keys(all));
  ASSERT_EQ(variants.size(), 2u);
  EXPECT_EQ(variants[0].label, "encoder=plain");
  EXPECT_EQ(variants[0].runs.size(), 2u);
  EXPECT_EQ(variants[1].label, "encoder=resnet34");
}

// A sweep run with --set backend.threads=2 (or other workers, cache) and a
// plain run of the same settings are one experiment, so one variant.
TEST(ReportVariants, ExecutionOnlyKeysDoNotSplitVariants) {
  std::vector<ReportRun> runs(4);
  const std::vector<std::map<std::string, std::string>> params{
      {{"model.encoder", "plain"}, {"experiment.seed", "1"}, {"backend.threads", "0"}, {"data.workers", "4"}},
      {{"model.encoder", "plain"}, {"experiment.seed", "2"}, {"backend.threads", "2"}, {"data.cache", "false"}},
      {{"model.encoder", "resnet34"}, {"experiment.seed", "1"}, {"backend.threads", "0"}, {"data.cache_dir", "/x"}},
      {{"model.encoder", "resnet34"}, {"experiment.seed", "2"}, {"backend.threads", "8"}, {"data.workers", "0"}}};
  for (size_t i = 0; i < runs.size(); ++i) runs[i].info.id = "run" + std::to_string(i), runs[i].params = params[i];
  EXPECT_EQ(varied_keys(runs), std::vector<std::string>{"model.encoder"});
  const auto variants = group_variants(runs, varied_keys(runs));
  ASSERT_EQ(variants.size(), 2u);
  EXPECT_EQ(variants[0].label, "encoder=plain");
  EXPECT_EQ(variants[0].runs.size(), 2u);
  EXPECT_EQ(variants[1].runs.size(), 2u);
}

TEST_F(ReportWriterTest, WritesEveryFigureInThreeFormatsAtThesisSize) {
  EXPECT_EQ(full_report().variants, 2u);
  for (const std::string name : {"curves_train_epoch_loss", "curves_val_dice", "curves_val_iou", "comparison",
                                 "distribution_dice", "efficiency_parameters", "efficiency_gflops",
                                 "efficiency_inference_time", "class_metrics_1", "confusion_matrix_2"}) {
    SCOPED_TRACE(name);
    const std::string base = out(name);
    for (const char* ext : {".pdf", ".svg", ".png", ".dat", ".gp"}) EXPECT_TRUE(fs::exists(base + ext)) << base + ext;
    test::expect_thesis_figure(base);
  }
  for (const char* name : {"qualitative_grid.png", "qualitative_grid.pdf", "qualitative_grid.svg", "results.tex",
                           "results.md", "results.csv", "confusion_matrix_1.csv", "report.md"})
    EXPECT_TRUE(fs::exists(out(name))) << name;
  const std::string index = test::read_text_file(out("report.md"));
  for (const auto& f : full_report().files)
    EXPECT_NE(index.find("`" + fs::path(f.path).stem().string() + "."), std::string::npos) << f.path;
  EXPECT_NE(index.find("- `curves_val_dice.{dat,gp,pdf,svg,png,tex}`: Dice by epoch"), std::string::npos) << index;
}

TEST_F(ReportWriterTest, FiguresCarryTheRecordedValues) {
  // Final Dice: plain 0.80, 0.84 -> 0.82 ± 0.028284; resnet34 0.90, 0.92 -> 0.91 ± 0.014142.
  auto plain = dat_row(out("comparison.dat"), "0");
  ASSERT_EQ(plain.size(), 6u);
  EXPECT_NEAR(plain[0], 0.82, 1e-9);
  EXPECT_NEAR(plain[1], 0.82 - 0.0282842712, 1e-8);
  EXPECT_NEAR(plain[2], 0.82 + 0.0282842712, 1e-8);
  EXPECT_NEAR(plain[3], 0.82 * 0.9, 1e-9);  // IoU from the last validation epoch
  auto resnet = dat_row(out("comparison.dat"), "1");
  EXPECT_NEAR(resnet[0], 0.91, 1e-9);
  EXPECT_NEAR(resnet[2] - resnet[0], 0.0141421356, 1e-8);
  // Curves: epoch 1 of plain is mean(0.60, 0.64).
  EXPECT_NEAR(dat_row(out("curves_val_dice.dat"), "1")[0], 0.62, 1e-9);
  // Box plot over 10 per-image values of resnet34: median of 0.90..0.70 and 0.92..0.72.
  const auto box = dat_row(out("distribution_dice.dat"), "1");
  EXPECT_NEAR(box[4], 0.81, 1e-9);
  // Per-class IoU of resnet34 from its confusion matrix: background 900/(900+100+50).
  const auto classes = dat_row(out("class_metrics_2.dat"), "0");
  EXPECT_NEAR(classes[0], 900.0 / 1050.0, 1e-9);
  EXPECT_NEAR(classes[3], 900.0 / 1000.0, 1e-9);  // pixel accuracy (recall) of background
  EXPECT_NEAR(classes[6], 900.0 / 950.0, 1e-9);   // precision of background
  // The SVG shows the variants' names.
  EXPECT_NE(test::read_text_file(out("comparison.svg")).find("resnet34"), std::string::npos);
  // Efficiency: 24 M parameters, 20 ms per image (50 images/s) for resnet34.
  EXPECT_NE(test::read_text_file(out("efficiency_parameters.dat")).find("24 0.91"), std::string::npos);
  EXPECT_NE(test::read_text_file(out("efficiency_inference_time.dat")).find("20 0.91"), std::string::npos);
}

// The curves' bands are mean ± one sample standard deviation (n - 1, as
// reports/statistics.h says) over the seeds that reached each epoch, in the
// data gnuplot fills from (.dat columns 3 and 4, `using 1:3:4 with
// filledcurves`) and in the polygon pgfplots fills (.tex). Values chosen so
// that a population standard deviation, a band of the wrong epoch or of the
// wrong variant, or a dropped band all show.
TEST(ReportCurveBands, AreMeanPlusMinusOneSampleStdOverSeedsPerEpoch) {
  test::TempDir store_dir, out_dir;
  test::make_curve_store(store_dir.path(), {
      // plain: epoch 1 0.6, 0.8 -> 0.7 ± 0.141421 (population: ± 0.1); epoch 2 equal; epoch 3 0.5, 0.9.
      {"aaaa0001", "plain", 1, {0.6, 0.7, 0.5}},
      {"aaaa0002", "plain", 2, {0.8, 0.7, 0.9}},
      // resnet34: three seeds, the third stopped after 2 epochs: epoch 3 is the mean of two.
      {"bbbb0001", "resnet34", 1, {0.6, 0.7, 0.8}},
      {"bbbb0002", "resnet34", 2, {0.7, 0.75, 0.9}},
      {"bbbb0003", "resnet34", 3, {0.8, 0.95}},
      // vgg16: one seed, no band.
      {"cccc0001", "vgg16", 1, {0.5, 0.6, 0.7}},
  });
  RunStore store(store_dir.path());
  ReportOptions options;
  options.out_dir = out_dir.path();
  options.pgfplots = true;
  write_report(select_report_runs(store, {}), options, test::fake_sample_source());

  struct Epoch {
    double x, mean, std;
  };
  const std::map<std::string, std::vector<Epoch>> expected{
      {"encoder=plain", {{1, 0.7, 0.1414213562}, {2, 0.7, 0}, {3, 0.7, 0.2828427125}}},
      // epoch 2: 0.7, 0.75, 0.95 -> squares 0.01 + 0.0025 + 0.0225 = 0.035, / 2 -> 0.1322875656.
      {"encoder=resnet34", {{1, 0.7, 0.1}, {2, 0.8, 0.1322875656}, {3, 0.85, 0.0707106781}}},
      {"encoder=vgg16", {{1, 0.5, 0}, {2, 0.6, 0}, {3, 0.7, 0}}},
  };
  const auto dat = dat_series(out_dir / "curves_val_dice.dat");
  const auto bands = tex_bands(out_dir / "curves_val_dice.tex");
  const std::string script = test::read_text_file(out_dir / "curves_val_dice.gp");
  ASSERT_EQ(dat.size(), 3u) << test::read_text_file(out_dir / "curves_val_dice.dat");
  int index = 0;
  for (const auto& [label, epochs] : expected) {
    SCOPED_TRACE(label);
    ASSERT_EQ(dat.count(label), 1u);
    const auto& rows = dat.at(label);
    ASSERT_EQ(rows.size(), epochs.size());
    for (size_t e = 0; e < epochs.size(); ++e) {
      ASSERT_EQ(rows[e].size(), 4u);
      EXPECT_NEAR(rows[e][0], epochs[e].x, 1e-12);
      EXPECT_NEAR(rows[e][1], epochs[e].mean, 1e-8) << "epoch " << epochs[e].x;
      EXPECT_NEAR(rows[e][2], epochs[e].mean - epochs[e].std, 1e-8) << "epoch " << epochs[e].x;
      EXPECT_NEAR(rows[e][3], epochs[e].mean + epochs[e].std, 1e-8) << "epoch " << epochs[e].x;
    }
    // Series are written in the variants' order, which is the runs' order here.
    const bool repeated = label != "encoder=vgg16";
    const std::string fill = "index " + std::to_string(index++) + " using 1:3:4 with filledcurves";
    EXPECT_EQ(script.find(fill) != std::string::npos, repeated) << fill << "\n" << script;
    // pgfplots: lows from the first epoch up, then highs back down.
    ASSERT_EQ(bands.count(label), repeated ? 1u : 0u);
    if (!repeated) continue;
    const auto& polygon = bands.at(label);
    ASSERT_EQ(polygon.size(), 2 * epochs.size());
    for (size_t e = 0; e < epochs.size(); ++e) {
      const auto& low = polygon[e];
      const auto& high = polygon[polygon.size() - 1 - e];
      EXPECT_NEAR(low.first, epochs[e].x, 1e-12);
      EXPECT_NEAR(high.first, epochs[e].x, 1e-12);
      EXPECT_NEAR(low.second, epochs[e].mean - epochs[e].std, 1e-6) << "epoch " << epochs[e].x;  // %.6g
      EXPECT_NEAR(high.second, epochs[e].mean + epochs[e].std, 1e-6) << "epoch " << epochs[e].x;
    }
  }
  EXPECT_NE(test::read_text_file(out_dir / "report.md").find("bands ± one sample standard deviation"), std::string::npos);
}

TEST_F(ReportWriterTest, TableHasMeansStdsAndBoldBest) {
  const std::string tex = test::read_text_file(out("results.tex"));
  EXPECT_NE(tex.find("encoder=plain (2 runs) & $0.820 \\pm 0.028$"), std::string::npos) << tex;
  EXPECT_NE(tex.find("encoder=resnet34 (2 runs) & $\\mathbf{0.910 \\pm 0.014}$"), std::string::npos) << tex;
  test::write_text_file(out("doc.tex"), "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n"
                                             "\\begin{document}\n\\input{results.tex}\n\\end{document}\n");
  const auto latex = test::run_command("cd " + full_dir->path() + " && pdflatex -interaction=nonstopmode -halt-on-error doc.tex");
  EXPECT_EQ(latex.exit_code, 0) << latex.output;
}

TEST_F(ReportWriterTest, QualitativeGridPicksBestMedianWorst) {
  const std::string index = test::read_text_file(out("report.md"));
  EXPECT_NE(index.find("img0 (best), img2 (median), img4 (worst)"), std::string::npos) << index;
  const auto size = test::png_size(out("qualitative_grid.png"));
  EXPECT_GT(size.first, size.second);  // 4 columns, 3 rows
}

TEST_F(ReportWriterTest, PgfplotsFiguresCompile) {
  std::string body;
  for (const char* name : {"curves_val_dice", "comparison", "distribution_dice", "efficiency_parameters", "confusion_matrix_1"}) {
    ASSERT_TRUE(fs::exists(out(std::string(name) + ".tex"))) << name;
    body += "\\input{" + std::string(name) + ".tex}\n\n";
  }
  test::write_text_file(out("figs.tex"), "\\documentclass{article}\n\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.16}\n"
                                              "\\usepgfplotslibrary{statistics}\n\\begin{document}\n" + body + "\\end{document}\n");
  const auto latex = test::run_command("cd " + full_dir->path() + " && pdflatex -interaction=nonstopmode -halt-on-error figs.tex");
  EXPECT_EQ(latex.exit_code, 0) << latex.output.substr(latex.output.size() > 3000 ? latex.output.size() - 3000 : 0);
}

TEST_F(ReportWriterTest, OneRunGivesAClearNoteInsteadOfEmptyComparisons) {
  ReportSelection one;
  one.run_ids = {"bbbb0001"};
  test::TempDir dir;
  const ReportOutput single = report_into(dir.path(), one, false);
  EXPECT_EQ(single.variants, 1u);
  EXPECT_FALSE(fs::exists(dir / "comparison.pdf"));
  EXPECT_TRUE(fs::exists(dir / "curves_val_dice.pdf"));
  ASSERT_FALSE(single.notes.empty());
  EXPECT_NE(single.notes[0].find("one variant"), std::string::npos) << single.notes[0];
  EXPECT_NE(test::read_text_file(dir / "report.md").find("## Left out"), std::string::npos);
}

TEST_F(ReportWriterTest, EmptySelectionIsAnError) {
  RunStore store(store_dir->path());
  ReportSelection none;
  none.where = {"model.encoder=vgg16_bn"};
  try {
    select_report_runs(store, none);
    FAIL() << "expected an error";
  } catch (const UsageError& e) {
    EXPECT_NE(e.describe().find("no runs match model.encoder=vgg16_bn"), std::string::npos) << e.describe();
  }
  none.where = {"encoder"};
  EXPECT_THROW(select_report_runs(store, none), UsageError);
}

TEST_F(ReportWriterTest, WhereSelectsRunsByParam) {
  RunStore store(store_dir->path());
  ReportSelection resnet;
  resnet.where = {"model.encoder=resnet34", "status=finished"};
  const auto selected = select_report_runs(store, resnet);
  ASSERT_EQ(selected.size(), 2u);
  EXPECT_EQ(selected[0].info.id, "bbbb0001");
}

}  // namespace
}  // namespace seglab
