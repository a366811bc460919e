// Per-image metrics, HD95, ASSD, NSD and Boundary IoU included, against an
// independent numpy/scipy implementation (tests/python/metrics_reference.py,
// whose Boundary IoU band is also checked against the paper's OpenCV recipe)
// on generated masks, the empty cases, thin structures, anisotropic spacing,
// and real PH2 lesion masks from ../shared/data.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "core/boundary_iou.h"
#include "core/confusion_matrix.h"
#include "core/error.h"
#include "core/rng.h"
#include "core/segmentation_metrics.h"
#include "core/surface_distance.h"
#include "core/text.h"
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

// The mask moved by (dy, dx); what moves in from outside is background.
Mask shifted(const Mask& in, int dy, int dx) {
  Mask out(in.height, in.width);
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x) {
      const int sy = y - dy, sx = x - dx;
      if (sy >= 0 && sy < in.height && sx >= 0 && sx < in.width) out.at(y, x) = in.pixels[sy * in.width + sx];
    }
  return out;
}

// The mask less its pixels within Chebyshev distance `r` of the background
// (inside the image); written plainly, unlike the library's separable erosion.
Mask eroded(const Mask& in, int r) {
  Mask out(in.height, in.width);
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x) {
      bool inside = in.pixels[static_cast<size_t>(y) * in.width + x] != 0;
      for (int v = std::max(0, y - r); inside && v <= std::min(in.height - 1, y + r); ++v)
        for (int u = std::max(0, x - r); inside && u <= std::min(in.width - 1, x + r); ++u)
          inside = in.pixels[static_cast<size_t>(v) * in.width + u] != 0;
      out.at(y, x) = inside;
    }
  return out;
}

// The mask moved by (dy, dx), a hole cut at (hy, hx) and a blob added at (by, bx).
Mask distorted(const Mask& in, int dy, int dx, int hy, int hx, int by, int bx) {
  Mask out = shifted(in, dy, dx);
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

const char* const kColumns[] = {"hd95",     "assd",        "hd95_mm", "assd_mm", "dice",        "iou",
                                "precision", "recall",     "specificity", "accuracy", "isic_jaccard", "nsd",
                                "nsd_mm",    "boundary_iou"};
constexpr PixelSpacing kSpacing{0.021, 0.034};  // anisotropic, mm

// NSD's tolerance in pixels (for nsd) and in mm (for nsd_mm; the images are a
// few mm wide at kSpacing), and Boundary IoU's dilation ratio.
struct BoundaryParameters {
  double tau_px = 2, tau_mm = 0.1, dilation = kBoundaryIouDilationRatio;
};

// Scores every pair with seglab and with the Python reference; they must agree.
void expect_matches_reference(const std::map<std::string, std::pair<Mask, Mask>>& pairs,
                              BoundaryParameters parameters = {}) {
  test::TempDir dir;
  for (const auto& [name, pair] : pairs) {
    test::write_npy(dir / (name + "_pred.npy"), to_tensor(pair.first));
    test::write_npy(dir / (name + "_target.npy"), to_tensor(pair.second));
  }
  std::ostringstream command;
  command.precision(17);
  command << test::python() << " " << test::source_dir() << "/tests/python/metrics_reference.py score " << dir.path()
          << " " << kSpacing.row << " " << kSpacing.col << " " << parameters.tau_px << " " << parameters.tau_mm << " "
          << parameters.dilation;
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
    // One tolerance serves nsd and nsd_mm in seglab; the reference takes one
    // for each, so the mm scores come from a second call.
    BoundaryOptions px, mm;
    px.nsd_tolerance = parameters.tau_px;
    px.boundary_iou_dilation = parameters.dilation;
    mm.spacing_mm = kSpacing;
    mm.nsd_tolerance = parameters.tau_mm;
    for (const auto& [key, value] :
         boundary_scores(pred.pixels.data(), target.pixels.data(), pred.height, pred.width, 2, px))
      ours[key] = value;
    for (const auto& [key, value] :
         boundary_scores(pred.pixels.data(), target.pixels.data(), pred.height, pred.width, 2, mm))
      if (ends_with(key, "_mm")) ours[key] = value;
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
  EXPECT_TRUE(std::isnan(none.nsd));  // no tolerance, no NSD
  // NSD and Boundary IoU: both empty is perfect, one empty scores 0, at any tolerance or band.
  for (double tau : {0.0, 3.0, 1e6}) {
    EXPECT_EQ(surface_distances(empty.pixels.data(), empty.pixels.data(), 50, 70, {}, tau).nsd, 1.0);
    EXPECT_EQ(surface_distances(empty.pixels.data(), lesion.pixels.data(), 50, 70, {}, tau).nsd, 0.0);
    EXPECT_EQ(surface_distances(lesion.pixels.data(), empty.pixels.data(), 50, 70, {}, tau).nsd, 0.0);
  }
  for (double d : {0.001, 0.02, 1.0}) {
    EXPECT_EQ(boundary_iou(empty.pixels.data(), empty.pixels.data(), 50, 70, d), 1.0);
    EXPECT_EQ(boundary_iou(empty.pixels.data(), lesion.pixels.data(), 50, 70, d), 0.0);
    EXPECT_EQ(boundary_iou(lesion.pixels.data(), empty.pixels.data(), 50, 70, d), 0.0);
  }
  // ISIC: an empty prediction of an image without lesion is perfect; of a lesion, recall 0 but precision 1.
  ConfusionMatrix m(2);
  m.add(empty.pixels.data(), lesion.pixels.data(), empty.pixels.size());
  const Scores s = image_scores(m);
  EXPECT_EQ(s.at("recall"), 0.0);
  EXPECT_EQ(s.at("precision"), 1.0);
  EXPECT_EQ(s.at("dice"), 0.0);
}

TEST(BoundaryMetrics, ThinStructuresAndShiftedDiscsMatchScipyAtSeveralTolerancesAndBands) {
  std::map<std::string, std::pair<Mask, Mask>> pairs;
  Mask disc(60, 75);
  fill_ellipse(disc, 30, 36, 15, 15);
  // Whole-pixel shifts put surface distances exactly on integer tolerances, so `<=` is tested at the tie.
  for (const auto& [dy, dx] : std::vector<std::pair<int, int>>{{0, 2}, {2, 0}, {1, 1}, {3, 4}, {-5, 0}})
    pairs.emplace("disc_shift_" + std::to_string(dy) + "_" + std::to_string(dx),
                  std::make_pair(shifted(disc, dy, dx), disc));
  pairs.emplace("disc_eroded", std::make_pair(eroded(disc, 3), disc));
  pairs.emplace("disc_at_border", std::make_pair(shifted(disc, 0, 40), disc));
  // One pixel wide: a row, a diagonal, a ring; their band is the whole structure.
  Mask row(40, 50), diagonal(40, 50), ring(40, 50), ring_shifted(40, 50);
  for (int x = 5; x < 45; ++x) row.at(20, x) = 1;
  for (int k = 0; k < 35; ++k) diagonal.at(3 + k, 8 + k) = 1;
  fill_ellipse(ring, 20, 25, 12, 14);
  fill_ellipse(ring, 20, 25, 11, 13, 0);
  fill_ellipse(ring_shifted, 21, 26, 12, 14);
  fill_ellipse(ring_shifted, 21, 26, 11, 13, 0);
  pairs.emplace("thin_row_vs_diagonal", std::make_pair(row, diagonal));
  pairs.emplace("thin_row_vs_moved_row", std::make_pair(shifted(row, 1, 0), row));
  pairs.emplace("thin_ring_vs_moved_ring", std::make_pair(ring_shifted, ring));
  Mask filled(40, 50);
  fill_ellipse(filled, 20, 25, 12, 14);
  pairs.emplace("thin_ring_vs_filled", std::make_pair(ring, filled));
  pairs.emplace("blobs", std::make_pair(random_blobs(60, 75, 3), random_blobs(60, 75, 4)));
  for (const BoundaryParameters& parameters :
       {BoundaryParameters{0, 0.034, 0.005}, BoundaryParameters{1.5, 0.05, 0.05}, BoundaryParameters{5, 0.3, 0.2}}) {
    SCOPED_TRACE("tau " + std::to_string(parameters.tau_px) + " px, d " + std::to_string(parameters.dilation));
    expect_matches_reference(pairs, parameters);
  }
}

TEST(BoundaryMetrics, RealLesionMasksMatchScipy) {
  test::TempDir dir;
  std::map<std::string, std::pair<Mask, Mask>> pairs, few;
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
    // A ground truth against itself eroded or moved, as a prediction a few pixels off would be.
    const std::string name = id + std::string(k % 2 ? "_eroded" : "_shifted");
    pairs.emplace(name, std::make_pair(k % 2 ? eroded(target, 2 + 3 * k) : shifted(target, 4 - 3 * k, 2 * k - 3), target));
    if (k <= 2) few.emplace(name, pairs.at(name));
  }
  expect_matches_reference(pairs);  // tau 2 px, 0.1 mm; the band is 19 px wide at 765 x 560
  expect_matches_reference(few, {10, 0.5, 0.005});
}

// By hand, without Python: the tie at the tolerance, the band of a full image.
TEST(BoundaryMetrics, HandCountedNsdAndBoundaryIou) {
  Mask a(11, 11), b(11, 11);
  a.at(5, 5) = 1;
  b.at(5, 7) = 1;  // one surface pixel each, 2 apart
  EXPECT_EQ(surface_distances(a.pixels.data(), b.pixels.data(), 11, 11, {}, 2.0).nsd, 1.0);
  EXPECT_EQ(surface_distances(a.pixels.data(), b.pixels.data(), 11, 11, {}, 1.999).nsd, 0.0);
  EXPECT_EQ(surface_distances(a.pixels.data(), b.pixels.data(), 11, 11, PixelSpacing{1, 0.5}, 1.0).nsd, 1.0);
  // A 3-pixel square (8 surface pixels) against one of its corners (1 surface pixel, on the square's surface):
  // the corner is within 0 of the square; of the square's 8, the corner and its 2 neighbours are within 1.
  Mask square(11, 11), corner(11, 11);
  for (int y = 4; y < 7; ++y)
    for (int x = 4; x < 7; ++x) square.at(y, x) = 1;
  corner.at(4, 4) = 1;
  EXPECT_DOUBLE_EQ(surface_distances(corner.pixels.data(), square.pixels.data(), 11, 11, {}, 1.0).nsd, 4.0 / 9.0);

  // The full 10x10 image against the square of rows and columns 1..8. With a
  // band of 1 the full image's band is its outer ring (36 pixels), the
  // square's its own ring (28): no overlap. With a band of 2, rings 0 and 1
  // (64) against the square's rings (28 + 20 = 48), sharing ring 1: 28 / 84.
  Mask full(10, 10), inner(10, 10);
  std::fill(full.pixels.begin(), full.pixels.end(), 1);
  for (int y = 1; y < 9; ++y)
    for (int x = 1; x < 9; ++x) inner.at(y, x) = 1;
  ASSERT_EQ(boundary_band_width(10, 10, 0.05), 1);
  ASSERT_EQ(boundary_band_width(10, 10, 0.15), 2);
  EXPECT_EQ(boundary_iou(full.pixels.data(), inner.pixels.data(), 10, 10, 0.05), 0.0);
  EXPECT_DOUBLE_EQ(boundary_iou(full.pixels.data(), inner.pixels.data(), 10, 10, 0.15), 1.0 / 3.0);
  EXPECT_EQ(boundary_iou(inner.pixels.data(), inner.pixels.data(), 10, 10, 0.15), 1.0);
}

// The band as the authors' mask_to_boundary builds it, with OpenCV itself:
// one pixel of zero padding, cv::erode by a 3x3 square w times (its default
// border counts the outside as foreground), cropped, subtracted from the mask.
std::vector<uint8_t> band_by_opencv(const Mask& m, int width) {
  cv::Mat mask(m.height, m.width, CV_8U, const_cast<uint8_t*>(m.pixels.data())), padded, eroded;
  cv::copyMakeBorder(mask, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(0));
  cv::erode(padded, eroded, cv::Mat::ones(3, 3, CV_8U), cv::Point(-1, -1), width);
  std::vector<uint8_t> band(m.pixels.size());
  for (int y = 0; y < m.height; ++y)
    for (int x = 0; x < m.width; ++x)
      band[static_cast<size_t>(y) * m.width + x] = m.pixels[static_cast<size_t>(y) * m.width + x] && !eroded.at<uint8_t>(y + 1, x + 1);
  return band;
}

TEST(BoundaryMetrics, BandsMatchTheReferenceRecipeWithOpenCv) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    const int h = 30 + 11 * static_cast<int>(seed), w = 95 - 7 * static_cast<int>(seed);
    const Mask a = random_blobs(h, w, seed), b = random_blobs(h, w, seed + 50);
    for (double d : {0.005, 0.02, 0.06, 0.3}) {
      const int width = boundary_band_width(h, w, d);
      const std::vector<uint8_t> band_a = band_by_opencv(a, width), band_b = band_by_opencv(b, width);
      size_t intersection = 0, union_ = 0;
      for (size_t i = 0; i < band_a.size(); ++i) {
        intersection += band_a[i] && band_b[i];
        union_ += band_a[i] || band_b[i];
      }
      const double expected = union_ ? static_cast<double>(intersection) / static_cast<double>(union_) : 1.0;
      EXPECT_EQ(boundary_iou(a.pixels.data(), b.pixels.data(), h, w, d), expected) << "seed " << seed << " d " << d;
    }
  }
}

// w = max(1, round(d * diagonal)) with Python's round (half to even), as the reference code.
TEST(BoundaryMetrics, BandWidthRoundsHalfToEvenAsPython) {
  EXPECT_EQ(boundary_band_width(30, 40, 0.05), 2);  // 2.5
  EXPECT_EQ(boundary_band_width(30, 40, 0.03), 2);  // 1.5
  EXPECT_EQ(boundary_band_width(30, 40, 0.07), 4);  // 3.5000000000000004
  EXPECT_EQ(boundary_band_width(30, 40, 0.001), 1);  // never below 1
  EXPECT_EQ(boundary_band_width(560, 765, kBoundaryIouDilationRatio), 19);  // a PH2 image: 18.96
  EXPECT_EQ(boundary_band_width(30, 40, 1e9), 70);  // wider than the image: all of it
  EXPECT_THROW(boundary_band_width(30, 40, 0), Error);
  EXPECT_THROW(boundary_band_width(30, 40, NAN), Error);
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
  BoundaryOptions options;
  options.nsd_tolerance = 1.0;
  const Scores s = boundary_scores(pred.pixels.data(), target.pixels.data(), 40, 60, 3, options);
  const Scores ignored = boundary_scores(pred_ignored.pixels.data(), target_ignored.pixels.data(), 40, 60, 3, options);
  for (int c = 1; c <= 2; ++c) {
    Mask p(40, 60), t(40, 60);
    for (size_t i = 0; i < p.pixels.size(); ++i) {
      p.pixels[i] = pred.pixels[i] == c;
      t.pixels[i] = target.pixels[i] == c;
    }
    const SurfaceDistances d = surface_distances(p.pixels.data(), t.pixels.data(), 40, 60, {}, 1.0);
    EXPECT_DOUBLE_EQ(s.at("hd95_class" + std::to_string(c)), d.hd95);
    EXPECT_DOUBLE_EQ(s.at("assd_class" + std::to_string(c)), d.assd);
    EXPECT_DOUBLE_EQ(s.at("nsd_class" + std::to_string(c)), d.nsd);
    EXPECT_DOUBLE_EQ(s.at("boundary_iou_class" + std::to_string(c)), boundary_iou(p.pixels.data(), t.pixels.data(), 40, 60));
    EXPECT_GT(d.hd95, 0.0);
    EXPECT_GT(d.nsd, 0.0);
    EXPECT_LT(d.nsd, 1.0);
  }
  EXPECT_DOUBLE_EQ(s.at("hd95"), (s.at("hd95_class1") + s.at("hd95_class2")) / 2);
  EXPECT_DOUBLE_EQ(s.at("nsd"), (s.at("nsd_class1") + s.at("nsd_class2")) / 2);
  EXPECT_DOUBLE_EQ(s.at("boundary_iou"), (s.at("boundary_iou_class1") + s.at("boundary_iou_class2")) / 2);
  EXPECT_EQ(s.count("hd95_mm"), 0u);  // no spacing, no mm
  EXPECT_EQ(s.count("nsd_mm"), 0u);
  EXPECT_EQ(boundary_scores(pred.pixels.data(), target.pixels.data(), 40, 60, 3).count("nsd"), 0u);  // no tolerance
  EXPECT_EQ(ignored, s);
}

}  // namespace
}  // namespace seglab
