// Per-image metrics, HD95 and ASSD included, against an independent numpy/scipy
// implementation (tests/python/metrics_reference.py) on generated masks, the
// empty cases, and real PH2 lesion masks from ../shared/data.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>
#include <vector>

#include "core/confusion_matrix.h"
#include "core/rng.h"
#include "core/segmentation_metrics.h"
#include "core/surface_distance.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

struct Mask {
  int height = 0, width = 0;
  std::vector<uint8_t> pixels;
  Mask(int h, int w) : height(h), width(w), pixels(static_cast<size_t>(h) * w, 0) {}
  uint8_t& at(int y, int x) { return pixels[static_cast<size_t>(y) * width + x]; }
};

void fill_ellipse(Mask& m, double cy, double cx, double ry, double rx, uint8_t value = 1) {
  for (int y = 0; y < m.height; ++y)
    for (int x = 0; x < m.width; ++x)
      if ((y - cy) * (y - cy) / (ry * ry) + (x - cx) * (x - cx) / (rx * rx) <= 1.0) m.at(y, x) = value;
}

// A few random discs: several components, some touching the image border.
Mask random_blobs(int h, int w, uint64_t seed) {
  Mask m(h, w);
  Rng rng(seed);
  const int count = 1 + static_cast<int>(rng.uniform(0, 4));
  for (int i = 0; i < count; ++i) {
    const double r = rng.uniform(2, h / 4.0);
    fill_ellipse(m, rng.uniform(0, h), rng.uniform(0, w), r, r * rng.uniform(0.5, 1.5));
  }
  return m;
}

// The mask moved by (dy, dx), a hole cut at (hy, hx) and a blob added at (by, bx).
Mask distorted(const Mask& in, int dy, int dx, int hy, int hx, int by, int bx) {
  Mask out(in.height, in.width);
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x) {
      const int sy = y - dy, sx = x - dx;
      if (sy >= 0 && sy < in.height && sx >= 0 && sx < in.width) out.at(y, x) = in.pixels[sy * in.width + sx];
    }
  fill_ellipse(out, hy, hx, in.height / 12.0, in.width / 15.0, 0);
  fill_ellipse(out, by, bx, in.height / 20.0, in.width / 25.0, 1);
  return out;
}

Tensor to_tensor(const Mask& m) {
  Tensor t({m.height, m.width});
  for (size_t i = 0; i < m.pixels.size(); ++i) t[static_cast<int64_t>(i)] = m.pixels[i];
  return t;
}

Mask from_tensor(const Tensor& t) {
  Mask m(static_cast<int>(t.dim(0)), static_cast<int>(t.dim(1)));
  for (size_t i = 0; i < m.pixels.size(); ++i) m.pixels[i] = t[static_cast<int64_t>(i)] > 0.5f ? 1 : 0;
  return m;
}

const char* const kColumns[] = {"hd95",      "assd",   "hd95_mm",     "assd_mm",  "dice",        "iou",
                                "precision", "recall", "specificity", "accuracy", "isic_jaccard"};
constexpr PixelSpacing kSpacing{0.021, 0.034};  // anisotropic, mm

// Scores every pair with seglab and with the Python reference; they must agree.
void expect_matches_reference(const std::map<std::string, std::pair<Mask, Mask>>& pairs) {
  test::TempDir dir;
  for (const auto& [name, pair] : pairs) {
    test::write_npy(dir / (name + "_pred.npy"), to_tensor(pair.first));
    test::write_npy(dir / (name + "_target.npy"), to_tensor(pair.second));
  }
  std::ostringstream command;
  command << test::python() << " " << test::source_dir() << "/tests/python/metrics_reference.py score " << dir.path()
          << " " << kSpacing.row << " " << kSpacing.col;
  const auto r = test::run_command(command.str());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::istringstream lines(r.output);
  size_t checked = 0;
  std::string name;
  while (lines >> name) {
    ASSERT_TRUE(pairs.count(name)) << r.output;
    const auto& [pred, target] = pairs.at(name);
    ConfusionMatrix matrix(2);
    matrix.add(pred.pixels.data(), target.pixels.data(), pred.pixels.size());
    Scores ours = image_scores(matrix);
    for (const auto& [key, value] : boundary_scores(pred.pixels.data(), target.pixels.data(), pred.height,
                                                    pred.width, 2, &kSpacing))
      ours[key] = value;
    for (const char* column : kColumns) {
      double expected = 0;
      lines >> expected;
      EXPECT_NEAR(ours.at(column), expected, 1e-9 * std::max(1.0, std::abs(expected))) << name << " " << column;
    }
    ++checked;
  }
  EXPECT_EQ(checked, pairs.size()) << r.output;
}

TEST(BoundaryMetrics, GeneratedMasksMatchScipy) {
  std::map<std::string, std::pair<Mask, Mask>> pairs;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    const int h = 40 + static_cast<int>(seed) * 7, w = 90 - static_cast<int>(seed) * 3;
    pairs.emplace("blobs" + std::to_string(seed), std::make_pair(random_blobs(h, w, seed), random_blobs(h, w, seed + 100)));
  }
  Mask a(64, 80), b(64, 80);
  fill_ellipse(a, 30, 40, 20, 25);
  fill_ellipse(b, 34, 37, 18, 28);
  pairs.emplace("ellipses", std::make_pair(a, b));
  pairs.emplace("identical", std::make_pair(a, a));
  Mask dot(31, 29), corner(31, 29);
  dot.at(15, 14) = 1;
  corner.at(0, 0) = corner.at(0, 1) = 1;
  pairs.emplace("single_pixels", std::make_pair(dot, corner));
  Mask full(20, 30);
  std::fill(full.pixels.begin(), full.pixels.end(), 1);
  pairs.emplace("full_image", std::make_pair(full, random_blobs(20, 30, 7)));
  expect_matches_reference(pairs);
}

TEST(BoundaryMetrics, EmptyCasesMatchScipyAndTheDocumentedConvention) {
  Mask empty(50, 70), lesion(50, 70);
  fill_ellipse(lesion, 25, 30, 10, 12);
  expect_matches_reference({{"both_empty", {empty, empty}},
                            {"missed_lesion", {empty, lesion}},
                            {"invented_lesion", {lesion, empty}}});
  const double diagonal = std::hypot(50.0, 70.0);
  const SurfaceDistances missed = surface_distances(empty.pixels.data(), lesion.pixels.data(), 50, 70);
  EXPECT_DOUBLE_EQ(missed.hd95, diagonal);
  EXPECT_DOUBLE_EQ(missed.assd, diagonal);
  const SurfaceDistances none = surface_distances(empty.pixels.data(), empty.pixels.data(), 50, 70);
  EXPECT_EQ(none.hd95, 0.0);
  EXPECT_EQ(none.assd, 0.0);
  // ISIC: an empty prediction of an image without lesion is perfect; of a lesion, recall 0 but precision 1.
  ConfusionMatrix m(2);
  m.add(empty.pixels.data(), lesion.pixels.data(), empty.pixels.size());
  const Scores s = image_scores(m);
  EXPECT_EQ(s.at("recall"), 0.0);
  EXPECT_EQ(s.at("precision"), 1.0);
  EXPECT_EQ(s.at("dice"), 0.0);
}

TEST(BoundaryMetrics, RealLesionMasksMatchScipy) {
  test::TempDir dir;
  std::map<std::string, std::pair<Mask, Mask>> pairs;
  int k = 0;
  for (const char* id : {"IMD004", "IMD009", "IMD017", "IMD024"}) {
    const std::string npy = dir / (std::string(id) + ".npy");
    const auto r = test::run_command(std::string(test::python()) + " " + test::source_dir() +
                                     "/tests/python/metrics_reference.py load " +
                                     test::shared_data("skin-lesions/masks/" + std::string(id) + "_lesion.bmp") + " " +
                                     npy);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const Mask target = from_tensor(test::read_npy(npy));
    ASSERT_GT(target.height, 500);
    ++k;
    const Mask pred = distorted(target, 9 * k - 20, 15 - 6 * k, target.height / 2, target.width / 2,
                                target.height / 5 + 20 * k, target.width / 4);
    pairs.emplace(id, std::make_pair(pred, target));
  }
  expect_matches_reference(pairs);
}

TEST(BoundaryMetrics, MultiClassScoresPerClassAndIgnoredPixels) {
  Mask target(40, 60), pred(40, 60);
  fill_ellipse(target, 12, 15, 8, 10, 1);
  fill_ellipse(target, 28, 42, 9, 12, 2);
  fill_ellipse(pred, 13, 17, 8, 9, 1);
  fill_ellipse(pred, 27, 40, 10, 12, 2);
  // Class 2 predicted inside an ignored region changes nothing.
  Mask pred_ignored = pred, target_ignored = target;
  for (int x = 0; x < 10; ++x) {
    target_ignored.at(39, x) = kIgnoreIndex;
    pred_ignored.at(39, x) = 2;
  }
  const Scores s = boundary_scores(pred.pixels.data(), target.pixels.data(), 40, 60, 3);
  const Scores ignored = boundary_scores(pred_ignored.pixels.data(), target_ignored.pixels.data(), 40, 60, 3);
  for (int c = 1; c <= 2; ++c) {
    Mask p(40, 60), t(40, 60);
    for (size_t i = 0; i < p.pixels.size(); ++i) {
      p.pixels[i] = pred.pixels[i] == c;
      t.pixels[i] = target.pixels[i] == c;
    }
    const SurfaceDistances d = surface_distances(p.pixels.data(), t.pixels.data(), 40, 60);
    EXPECT_DOUBLE_EQ(s.at("hd95_class" + std::to_string(c)), d.hd95);
    EXPECT_DOUBLE_EQ(s.at("assd_class" + std::to_string(c)), d.assd);
    EXPECT_GT(d.hd95, 0.0);
  }
  EXPECT_DOUBLE_EQ(s.at("hd95"), (s.at("hd95_class1") + s.at("hd95_class2")) / 2);
  EXPECT_EQ(s.count("hd95_mm"), 0u);  // no spacing, no mm
  EXPECT_EQ(ignored, s);
}

}  // namespace
}  // namespace seglab
