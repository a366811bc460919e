// The statistics over images (reports/) against scipy and numpy
// (tests/python/statistics_reference.py), on generated scores and on real
// per-image Dice scores of PH2 lesion masks against eroded and dilated copies.
// Wilcoxon and Holm p-values must agree to 1e-6 (they agree to double rounding);
// bootstrap intervals are compared exactly, up to summation order, by
// handing numpy the resample indices seglab drew.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/rng.h"
#include "reports/bootstrap.h"
#include "reports/multiple_comparisons.h"
#include "reports/paired_difference.h"
#include "reports/rank_stability.h"
#include "reports/score_summary.h"
#include "reports/wilcoxon.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

using Scores = std::vector<double>;

std::string reference_command(const std::string& mode, const std::string& path) {
  return std::string(test::python()) + " " + test::source_dir() + "/tests/python/statistics_reference.py " + mode +
         " " + path;
}

std::string joined(const Scores& values) {
  std::ostringstream out;
  out.precision(17);
  for (size_t i = 0; i < values.size(); ++i) out << (i ? " " : "") << values[i];
  return out.str();
}

// The reference's output lines, keyed by their first word.
std::map<std::string, std::vector<std::string>> lines_by_name(const std::string& output) {
  std::map<std::string, std::vector<std::string>> lines;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string name, word;
    words >> name;
    while (words >> word) lines[name].push_back(word);
  }
  return lines;
}

double number(const std::string& word) { return std::stod(word); }  // reads "nan" too

// ----- generated and real scores ---------------------------------------------

// A baseline's scores around 0.85, and a variant that is `shift` better on
// average with per-image noise: two paired "models" on the same images.
std::pair<Scores, Scores> generated_pair(size_t n, double shift, uint64_t seed) {
  Rng rng(seed);
  Scores a(n), b(n);
  for (size_t i = 0; i < n; ++i) {
    a[i] = 0.85 + 0.06 * rng.normal();
    b[i] = a[i] + shift + 0.03 * rng.normal();
  }
  return {a, b};
}

Scores rounded(Scores v, double step) {
  for (auto& x : v) x = std::round(x / step) * step;
  return v;
}

double dice(const cv::Mat& a, const cv::Mat& b) {
  const double both = cv::countNonZero(a & b), sum = cv::countNonZero(a) + cv::countNonZero(b);
  return sum == 0 ? 1.0 : 2 * both / sum;
}

// The mask moved down by dy and right by dx, the uncovered border empty.
cv::Mat shifted(const cv::Mat& mask, int dy, int dx) {
  cv::Mat out = cv::Mat::zeros(mask.size(), mask.type());
  const cv::Rect source(0, 0, mask.cols - dx, mask.rows - dy);
  mask(source).copyTo(out(source + cv::Point(dx, dy)));
  return out;
}

// Real per-image scores: the Dice of each PH2 lesion mask against its erosion
// by a disc of radius 3 and against copies moved 5 pixels down or right:
// three "variants" scored on the same 90 images. Which of the two moves costs
// more depends on the lesion's shape, so their comparison is not one-sided
// (p about 0.16 on the first 40 images, 0.63 on all).
struct RealScores {
  Scores eroded, moved_down, moved_right;
};
RealScores ph2_scores() {
  std::ifstream manifest(test::shared_data("skin-lesions/manifest.csv"));
  std::string line;
  std::getline(manifest, line);  // header
  RealScores s;
  const cv::Mat disc3 = cv::getStructuringElement(cv::MORPH_ELLIPSE, {7, 7});
  while (std::getline(manifest, line)) {
    std::istringstream fields(line);
    std::string relative;
    for (int column = 0; column < 3; ++column) std::getline(fields, relative, ',');  // id,image,mask,...
    const cv::Mat raw = cv::imread(test::shared_data("skin-lesions/" + relative), cv::IMREAD_GRAYSCALE);
    if (raw.empty()) {
      ADD_FAILURE() << "cannot read " << relative;
      return s;
    }
    const cv::Mat truth = raw > 127;
    cv::Mat eroded;
    cv::erode(truth, eroded, disc3);
    s.eroded.push_back(dice(eroded, truth));
    s.moved_down.push_back(dice(shifted(truth, 5, 0), truth));
    s.moved_right.push_back(dice(shifted(truth, 0, 5), truth));
  }
  return s;
}

// ----- Wilcoxon --------------------------------------------------------------

struct WilcoxonCase {
  std::string name;
  Alternative alternative;
  Scores x, y;
};

const char* scipy_name(Alternative a) {
  return a == Alternative::two_sided ? "two-sided" : a == Alternative::greater ? "greater" : "less";
}

void expect_wilcoxon_matches_scipy(const std::vector<WilcoxonCase>& cases) {
  test::TempDir dir;
  std::ostringstream text;
  for (const auto& c : cases) text << c.name << " " << scipy_name(c.alternative) << "\n" << joined(c.x) << "\n" << joined(c.y) << "\n";
  test::write_text_file(dir / "cases.txt", text.str());
  const auto r = test::run_command(reference_command("wilcoxon", dir / "cases.txt"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto expected = lines_by_name(r.output);
  for (const auto& c : cases) {
    ASSERT_TRUE(expected.count(c.name)) << c.name << "\n" << r.output;
    const auto& e = expected.at(c.name);  // statistic pvalue method z n_used
    const WilcoxonResult ours = wilcoxon_signed_rank(c.x, c.y, c.alternative);
    EXPECT_DOUBLE_EQ(ours.statistic, number(e[0])) << c.name;
    EXPECT_NEAR(ours.p_value, number(e[1]), 1e-6) << c.name;
    EXPECT_NEAR(ours.p_value, number(e[1]), 1e-12 + 1e-9 * number(e[1])) << c.name << " (tighter)";
    EXPECT_EQ(ours.method == WilcoxonMethod::exact ? "exact" : "approx", e[2]) << c.name;
    if (ours.method == WilcoxonMethod::exact) EXPECT_TRUE(std::isnan(ours.z)) << c.name;
    else EXPECT_NEAR(ours.z, number(e[3]), 1e-9) << c.name;
    EXPECT_EQ(ours.n_used, std::stoul(e[4])) << c.name;
  }
}

std::vector<WilcoxonCase> every_alternative(const std::string& name, const Scores& x, const Scores& y) {
  return {{name + "_two_sided", Alternative::two_sided, x, y},
          {name + "_greater", Alternative::greater, x, y},
          {name + "_less", Alternative::less, x, y}};
}

void append(std::vector<WilcoxonCase>& to, const std::vector<WilcoxonCase>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

TEST(StatisticsReference, WilcoxonMatchesScipyOnGeneratedScores) {
  std::vector<WilcoxonCase> cases;
  const auto [a20, b20] = generated_pair(20, 0.01, 1);  // exact: <= 50 pairs, no ties, no zeros
  append(cases, every_alternative("exact20", a20, b20));
  const auto [a50, b50] = generated_pair(50, 0.0, 2);  // exact at the limit, no effect
  append(cases, every_alternative("exact50", a50, b50));
  const auto [a80, b80] = generated_pair(80, 0.005, 3);  // approximation: over 50 pairs
  append(cases, every_alternative("approx80", a80, b80));
  // Ties without zeros, where scipy 1.10's "auto" would still take its exact
  // branch: scores on a grid of 1/64 (exact in binary, so equal |x - y| are
  // equal doubles), differences of 1 to 3 steps either way.
  Scores ta = rounded(a20, 1.0 / 64), tb(ta.size());
  for (size_t i = 0; i < ta.size(); ++i) tb[i] = ta[i] - (i % 3 + 1) / 64.0 * (i % 4 == 0 ? -1 : 1);
  append(cases, every_alternative("ties20", ta, tb));
  // Ties and zeros: Dice rounded to 2 decimals, as a table might store it.
  const Scores ua = rounded(a20, 0.01), ub = rounded(b20, 0.01);
  append(cases, every_alternative("ties_zeros20", ua, ub));
  // Zeros: some images scored alike by both variants (exact would apply otherwise).
  Scores za = a20, zb = b20;
  for (size_t i = 0; i < za.size(); i += 4) zb[i] = za[i];
  append(cases, every_alternative("zeros20", za, zb));
  // Zeros and ties over 50 pairs.
  const Scores ra = rounded(a80, 0.01), rb = rounded(b80, 0.01);
  append(cases, every_alternative("zeros_ties80", ra, rb));
  // NaN pairs are left out, as scipy's nan_policy="omit" does.
  Scores na = a20, nb = b20;
  na[3] = NAN;
  nb[7] = NAN;
  append(cases, every_alternative("nan20", na, nb));
  // The smallest samples: one pair, two pairs.
  append(cases, every_alternative("one_pair", {0.9}, {0.8}));
  append(cases, every_alternative("two_pairs", {0.9, 0.7}, {0.8, 0.75}));
  expect_wilcoxon_matches_scipy(cases);
  // The cases take the branches their names say.
  EXPECT_EQ(wilcoxon_signed_rank(a20, b20).method, WilcoxonMethod::exact);
  EXPECT_EQ(wilcoxon_signed_rank(a50, b50).method, WilcoxonMethod::exact);
  EXPECT_EQ(wilcoxon_signed_rank(a80, b80).method, WilcoxonMethod::normal_approximation);
  const WilcoxonResult ties = wilcoxon_signed_rank(ta, tb);
  EXPECT_TRUE(ties.ties && ties.n_zeros == 0 && ties.method == WilcoxonMethod::normal_approximation);
  const WilcoxonResult zeros = wilcoxon_signed_rank(za, zb);
  EXPECT_TRUE(!zeros.ties && zeros.n_zeros == 5 && zeros.method == WilcoxonMethod::normal_approximation);
  EXPECT_GT(wilcoxon_signed_rank(ua, ub).n_zeros, 0u);
  const WilcoxonResult both = wilcoxon_signed_rank(ra, rb);
  EXPECT_TRUE(both.ties && both.n_zeros > 0);
}

TEST(StatisticsReference, WilcoxonMatchesScipyOnRealLesionScores) {
  const RealScores s = ph2_scores();
  ASSERT_EQ(s.eroded.size(), 90u);
  std::vector<WilcoxonCase> cases;
  const Scores down20(s.moved_down.begin(), s.moved_down.begin() + 20),
      right20(s.moved_right.begin(), s.moved_right.begin() + 20);
  append(cases, every_alternative("ph2_first20", down20, right20));
  const Scores down40(s.moved_down.begin(), s.moved_down.begin() + 40),
      right40(s.moved_right.begin(), s.moved_right.begin() + 40);
  append(cases, every_alternative("ph2_first40", down40, right40));
  append(cases, every_alternative("ph2_all90", s.moved_down, s.moved_right));
  append(cases, every_alternative("ph2_erosion_vs_move", s.eroded, s.moved_down));
  expect_wilcoxon_matches_scipy(cases);
}

// ----- Holm ------------------------------------------------------------------

TEST(StatisticsReference, HolmMatchesTheStatsmodelsFormula) {
  std::vector<Scores> families = {
      {0.01, 0.04, 0.03, 0.005},
      {0.5, 0.6},
      {0.02, 0.02, 0.02, 0.9, 0.001},  // ties
      {0.0, 1.0, 0.3},
      {0.049},
  };
  Rng rng(7);
  Scores random(45);  // all pairs of 10 variants
  for (auto& p : random) p = std::pow(rng.uniform(), 3.0);
  families.push_back(random);
  // The p-values of real comparisons: three PH2 "variants", all pairs.
  const RealScores s = ph2_scores();
  families.push_back({wilcoxon_signed_rank(s.eroded, s.moved_down).p_value,
                      wilcoxon_signed_rank(s.eroded, s.moved_right).p_value,
                      wilcoxon_signed_rank(s.moved_down, s.moved_right).p_value});
  test::TempDir dir;
  std::ostringstream text;
  for (const auto& f : families) text << joined(f) << "\n";
  test::write_text_file(dir / "families.txt", text.str());
  const auto r = test::run_command(reference_command("holm", dir / "families.txt"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::istringstream lines(r.output);
  for (const auto& f : families) {
    const Scores ours = holm_adjusted(f);
    for (size_t i = 0; i < f.size(); ++i) {
      double expected = NAN;
      lines >> expected;
      EXPECT_NEAR(ours[i], expected, 1e-12) << joined(f) << " [" << i << "]";
    }
  }
}

// ----- bootstrap -------------------------------------------------------------

// Writes seglab's resample indices and the scores for the numpy reference.
void write_bootstrap_input(const test::TempDir& dir, const BootstrapOptions& options, const Scores& a,
                           const Scores& b, const std::vector<Scores>& variants) {
  const size_t n = a.size();
  std::ofstream indices(dir / "indices.bin", std::ios::binary);
  for (size_t r = 0; r < options.resamples; ++r)
    for (size_t i : bootstrap_resample(options.seed, r, n)) {
      const int64_t v = static_cast<int64_t>(i);  // little-endian on every machine seglab runs on
      indices.write(reinterpret_cast<const char*>(&v), sizeof v);
    }
  test::write_text_file(dir / "shape.txt", std::to_string(options.resamples) + " " + std::to_string(n));
  test::write_text_file(dir / "a.txt", joined(a));
  test::write_text_file(dir / "b.txt", joined(b));
  std::string text;
  for (const auto& v : variants) text += joined(v) + "\n";
  test::write_text_file(dir / "variants.txt", text);
}

void expect_bootstrap_matches_numpy(const Scores& a, const Scores& b, const std::vector<Scores>& variants) {
  BootstrapOptions options;  // 10 000 resamples, 95 %
  options.seed = 20241;
  test::TempDir dir;
  write_bootstrap_input(dir, options, a, b, variants);
  const auto r = test::run_command(reference_command("bootstrap", dir.path()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto e = lines_by_name(r.output);
  ASSERT_TRUE(e.count("mean_ci") && e.count("median_diff") && e.count("scipy_mean_ci")) << r.output;

  const ScoreSummary summary = summarize_scores(a, options);
  EXPECT_NEAR(summary.mean_ci.low, number(e.at("mean_ci")[0]), 1e-12);
  EXPECT_NEAR(summary.mean_ci.high, number(e.at("mean_ci")[1]), 1e-12);
  // scipy.stats.bootstrap draws its own resamples: the same interval up to
  // Monte Carlo error, about 0.04 standard errors of the mean at B = 10 000.
  const double se = summary.std / std::sqrt(static_cast<double>(summary.n));
  EXPECT_NEAR(summary.mean_ci.low, number(e.at("scipy_mean_ci")[0]), 0.2 * se);
  EXPECT_NEAR(summary.mean_ci.high, number(e.at("scipy_mean_ci")[1]), 0.2 * se);

  const PairedDifference diff = median_paired_difference(a, b, options);
  EXPECT_DOUBLE_EQ(diff.median, number(e.at("median_diff")[0]));
  EXPECT_NEAR(diff.median_ci.low, number(e.at("median_diff")[1]), 1e-12);
  EXPECT_NEAR(diff.median_ci.high, number(e.at("median_diff")[2]), 1e-12);

  const RankStability ranks = bootstrap_rank_stability(variants, Better::higher, options);
  std::istringstream rows(r.output.substr(r.output.find("rank ")));
  for (size_t v = 0; v < variants.size(); ++v) {
    std::string word;
    rows >> word;
    ASSERT_EQ(word, "rank");
    for (size_t k = 0; k < variants.size(); ++k) {
      double expected = NAN;
      rows >> expected;
      EXPECT_NEAR(ranks.frequency[v][k], expected, 1e-12) << "variant " << v << " rank " << k;
    }
  }
}

TEST(StatisticsReference, BootstrapIntervalsMatchNumpyOnTheSameResamplesOnGeneratedScores) {
  const auto [a, b] = generated_pair(37, 0.01, 11);
  const auto [c, d] = generated_pair(37, 0.0, 12);
  // Three variants close enough that the ranking is uncertain.
  Scores close = a;
  for (size_t i = 0; i < close.size(); ++i) close[i] += 0.02 * std::sin(static_cast<double>(i));
  expect_bootstrap_matches_numpy(a, b, {a, b, close, d});
}

TEST(StatisticsReference, BootstrapIntervalsMatchNumpyOnTheSameResamplesOnRealLesionScores) {
  const RealScores s = ph2_scores();
  ASSERT_EQ(s.eroded.size(), 90u);
  expect_bootstrap_matches_numpy(s.moved_down, s.moved_right, {s.eroded, s.moved_down, s.moved_right});
}

}  // namespace
}  // namespace seglab
