// `seglab bench` and the figures `seglab eval` draws, end to end through the
// binary on a tiny trained run. Latencies are checked for structure only
// (median between min and p90, per image = per batch / batch), never for speed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/error.h"
#include "core/text.h"
#include "engine/bench.h"
#include "tests/reports/figure_checks.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_experiment.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

const std::string kTiny = test::TinyExperiment{"benched", 5, 16, 1, 4}.ini();

struct TrainedRun {
  std::string id, store;
};

TrainedRun train_tiny(const test::TempDir& dir) {
  test::write_text_file(dir / "tiny.ini", kTiny);
  const auto train = test::run_seglab("train " + (dir / "tiny.ini") + " --store " + (dir / "store"));
  EXPECT_EQ(train.exit_code, 0) << train.output;
  return {test::trained_run_id(train.output, "benched"), " --store " + (dir / "store")};
}

// The numbers of the data row that starts with `first` (first block only).
std::vector<double> dat_row(const std::string& path, const std::string& first) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) break;
    std::istringstream cells(line);
    std::string head;
    cells >> head;
    if (head != first) continue;
    std::vector<double> out;
    std::string cell;
    while (cells >> cell) out.push_back(cell == "NaN" ? NAN : std::stod(cell));
    return out;
  }
  ADD_FAILURE() << "no row " << first << " in " << path;
  return {};
}

// Column `name` of a CSV with a header row, as numbers.
std::vector<double> csv_column(const std::string& path, const std::string& name) {
  std::istringstream in(test::read_text_file(path));
  std::string line;
  std::getline(in, line);
  const auto header = split_list(line, ',');
  const size_t column = std::find(header.begin(), header.end(), name) - header.begin();
  EXPECT_LT(column, header.size()) << name << " not in " << path;
  std::vector<double> out;
  while (std::getline(in, line))
    if (!trim(line).empty()) out.push_back(std::stod(split_list(line, ',').at(column)));
  return out;
}

// numpy.median / numpy.percentile(..., 90) (linear interpolation) of 1..10 shuffled: 5.5 and 9.1.
TEST(BenchStatistics, MedianMinAndP90AreNumpysLinearQuantiles) {
  const LatencySummary s = summarize_latencies({5, 1, 4, 2, 3, 10, 7, 6, 9, 8});
  EXPECT_DOUBLE_EQ(s.median, 5.5);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_NEAR(s.p90, 9.1, 1e-12);
  const LatencySummary one = summarize_latencies({4.25});
  EXPECT_DOUBLE_EQ(one.median, 4.25);
  EXPECT_DOUBLE_EQ(one.p90, 4.25);
  EXPECT_EQ(parse_batch_sizes("1, 8,16"), (std::vector<int>{1, 8, 16}));
  for (const char* bad : {"", "0", "-1", "1,,8", "1.5", "8x"}) EXPECT_THROW(parse_batch_sizes(bad), UsageError) << bad;
}

TEST(BenchCli, RecordsEachBatchSizeWithTheMachineAndListsThem) {
  test::TempDir dir;
  const TrainedRun run = train_tiny(dir);
  ASSERT_FALSE(run.id.empty());
  const auto bench = test::run_seglab("bench " + run.id + run.store + " --threads 1 --batch 1,3 --repeats 4 --warmup 1");
  ASSERT_EQ(bench.exit_code, 0) << bench.output;
  EXPECT_NE(bench.output.find("32x32 input, 1 warm-up + 4 timed calls"), std::string::npos) << bench.output;
  EXPECT_NE(bench.output.find("machine: "), std::string::npos) << bench.output;

  RunStore store(dir / "store");
  const auto records = store.catalog().bench_records(run.id);
  ASSERT_EQ(records.size(), 2u);
  for (size_t i = 0; i < records.size(); ++i) {
    const BenchRecord& r = records[i];
    SCOPED_TRACE(r.batch);
    EXPECT_EQ(r.batch, i == 0 ? 1 : 3);
    EXPECT_EQ(r.threads, 1);
    EXPECT_EQ(r.repeats, 4);
    EXPECT_EQ(r.warmup, 1);
    EXPECT_EQ(r.image_size, 32);
    EXPECT_EQ(r.backend, "libtorch");  // the tiny run's backend
    EXPECT_EQ(r.device, "cpu");
    EXPECT_EQ(r.precision, "fp32");
    EXPECT_EQ(r.checkpoint, "best");
    EXPECT_FALSE(r.cpu.empty());
    EXPECT_GE(r.cores, 1);
    EXPECT_TRUE(r.gpu.empty());
    EXPECT_FALSE(r.host.empty());
    EXPECT_FALSE(r.seglab_version.empty());
    EXPECT_FALSE(r.seglab_commit.empty());
    EXPECT_FALSE(r.created_at.empty());
    EXPECT_GT(r.min_ms, 0);
    EXPECT_LE(r.min_ms, r.median_ms);
    EXPECT_LE(r.median_ms, r.p90_ms);
    EXPECT_DOUBLE_EQ(r.median_ms_per_image(), r.median_ms / r.batch);
  }
  // Default threads: every core, recorded as the number.
  const auto all_cores = test::run_seglab("bench " + run.id + run.store + " --batch 2 --repeats 1 --warmup 0");
  ASSERT_EQ(all_cores.exit_code, 0) << all_cores.output;
  const auto again = store.catalog().bench_records(run.id);
  ASSERT_EQ(again.size(), 3u);
  EXPECT_EQ(again[2].threads, again[2].cores);
  EXPECT_EQ(again[2].repeats, 1);

  const auto list = test::run_seglab("bench " + run.id.substr(0, 5) + run.store + " --list");
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("bench records of run " + run.id), std::string::npos) << list.output;
  for (const auto& r : again) {
    EXPECT_NE(list.output.find(r.created_at), std::string::npos) << list.output;
    EXPECT_NE(list.output.find(r.machine()), std::string::npos) << list.output;
  }
  EXPECT_EQ(std::count(list.output.begin(), list.output.end(), '\n'), 2 + 3 + 2) << list.output;  // title, header, rows, machines
}

TEST(BenchCli, BadInputIsAClearErrorAndRecordsNothing) {
  test::TempDir dir;
  const TrainedRun run = train_tiny(dir);
  ASSERT_FALSE(run.id.empty());
  const std::vector<std::pair<std::string, std::string>> cases{
      {" --batch 0", "--batch: bad batch size '0'"},
      {" --batch 1,,8", "--batch: bad batch size ''"},
      {" --repeats 0", "--repeats: repeats must be 1 or more, not 0"},
      {" --warmup -1", "--warmup: warm-up must be 0 or more"},
      {" --threads -2", "--threads: threads must be 1 or more"},
      {" --backend nosuch", "unknown backend 'nosuch'"},
      {" --checkpoint middle", "unknown checkpoint 'middle'"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = test::run_seglab("bench " + run.id + run.store + args);
    EXPECT_NE(r.exit_code, 0) << args;
    EXPECT_NE(r.output.find(message), std::string::npos) << args << ": " << r.output;
  }
  const auto no_id = test::run_seglab("bench" + run.store);
  EXPECT_EQ(no_id.exit_code, 2);
  EXPECT_NE(no_id.output.find("no run id given"), std::string::npos) << no_id.output;
  RunStore store(dir / "store");
  EXPECT_TRUE(store.catalog().bench_records(run.id).empty());
  const auto list = test::run_seglab("bench " + run.id + run.store + " --list");
  EXPECT_NE(list.output.find("no bench records of run " + run.id), std::string::npos) << list.output;
}

// Evaluates `run` (masks off) and returns its results folder; "" (with a
// gtest failure) when training or the eval failed.
std::string evaluated_without_masks(const test::TempDir& dir, const TrainedRun& run) {
  EXPECT_FALSE(run.id.empty());
  if (run.id.empty()) return "";
  const auto eval = test::run_seglab("eval " + run.id + run.store + " --no-masks");
  EXPECT_EQ(eval.exit_code, 0) << eval.output;
  if (eval.exit_code != 0) return "";
  return dir / ("store/runs/" + run.id + "/eval/val-best");
}

TEST(EvalFigures, AreDrawnAtThesisSizeWithEmbeddedFontsAndCarryTheEvalsNumbers) {
  test::TempDir dir;
  const TrainedRun run = train_tiny(dir);
  const std::string out = evaluated_without_masks(dir, run);
  ASSERT_FALSE(out.empty());
  for (const char* name : {"class_metrics", "confusion_matrix", "dice_distribution"}) {
    SCOPED_TRACE(name);
    const std::string base = out + "/" + name;
    for (const char* ext : {".pdf", ".svg", ".png", ".dat", ".gp", ".tex"}) EXPECT_TRUE(fs::exists(base + ext)) << ext;
    test::expect_thesis_figure(base);  // the report's sizes, fonts embedded
  }
  // Per-class bars: IoU, recall, precision of each class as per_class.csv has them.
  const auto iou = csv_column(out + "/per_class.csv", "iou");
  const auto recall = csv_column(out + "/per_class.csv", "recall");
  const auto precision = csv_column(out + "/per_class.csv", "precision");
  ASSERT_EQ(iou.size(), 2u);
  for (size_t c = 0; c < iou.size(); ++c) {
    const auto row = dat_row(out + "/class_metrics.dat", std::to_string(c));
    ASSERT_EQ(row.size(), 9u);
    EXPECT_NEAR(row[0], iou[c], 1e-8) << c;
    EXPECT_NEAR(row[3], recall[c], 1e-8) << c;
    EXPECT_NEAR(row[6], precision[c], 1e-8) << c;
  }
  // Confusion matrix, row-normalised, from confusion_matrix.csv's counts.
  std::istringstream counts(test::read_text_file(out + "/confusion_matrix.csv"));
  std::string line;
  std::getline(counts, line);
  std::vector<std::vector<double>> matrix;
  while (std::getline(counts, line)) {
    const auto cells = split_list(line, ',');
    matrix.push_back({std::stod(cells[1]), std::stod(cells[2])});
  }
  const std::string heat = test::read_text_file(out + "/confusion_matrix.dat");
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 2; ++c) {
      const double expected = matrix[r][c] / (matrix[r][0] + matrix[r][1]);
      std::smatch m;
      ASSERT_TRUE(std::regex_search(heat, m, std::regex("\n" + std::to_string(c) + " " + std::to_string(r) + " ([^\n]+)")))
          << heat;
      EXPECT_NEAR(std::stod(m[1]), expected, 1e-8) << r << "," << c;
    }
  // Dice distribution: median, mean and count of per_image.csv's Dice.
  auto dice = csv_column(out + "/per_image.csv", "dice");
  ASSERT_FALSE(dice.empty());
  std::sort(dice.begin(), dice.end());
  const size_t n = dice.size();
  const double median = n % 2 ? dice[n / 2] : (dice[n / 2 - 1] + dice[n / 2]) / 2;
  double mean = 0;
  for (double d : dice) mean += d / static_cast<double>(n);
  const auto box = dat_row(out + "/dice_distribution.dat", "0");
  ASSERT_EQ(box.size(), 7u);
  EXPECT_NEAR(box[4], median, 1e-8);
  EXPECT_NEAR(box[5], mean, 1e-8);
  EXPECT_EQ(box[6], static_cast<double>(n));

  // --no-figures leaves them out.
  const auto plain = test::run_seglab("eval " + run.id + run.store + " --no-masks --no-figures --tta flips");
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  const std::string other = dir / ("store/runs/" + run.id + "/eval/val-best-tta_flips");
  EXPECT_TRUE(fs::exists(other + "/per_class.csv"));
  EXPECT_FALSE(fs::exists(other + "/class_metrics.pdf"));
  EXPECT_FALSE(fs::exists(other + "/dice_distribution.dat"));
}

TEST(EvalFigures, PgfplotsFilesCompileWithPdflatex) {
  test::TempDir dir;
  const TrainedRun run = train_tiny(dir);
  const std::string out = evaluated_without_masks(dir, run);
  ASSERT_FALSE(out.empty());
  test::write_text_file(out + "/figs.tex",
                        "\\documentclass{article}\n\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.16}\n"
                        "\\usepgfplotslibrary{statistics}\n\\begin{document}\n\\input{class_metrics.tex}\n\n"
                        "\\input{confusion_matrix.tex}\n\n\\input{dice_distribution.tex}\n\\end{document}\n");
  const auto latex = test::run_command("cd " + out + " && pdflatex -interaction=nonstopmode -halt-on-error figs.tex");
  EXPECT_EQ(latex.exit_code, 0) << latex.output.substr(latex.output.size() > 3000 ? latex.output.size() - 3000 : 0);
}

}  // namespace
}  // namespace seglab
