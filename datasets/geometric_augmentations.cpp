#include "datasets/geometric_augmentations.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace seglab {
namespace {

OptionList with_probability(double p, OptionList options = {}) {
  options.add_real("p", p, "probability of applying it to a sample").range(0, 1);
  return options;
}

int border_of(const Config& c, const std::string& prefix) {
  return c.get_text(prefix + ".border") == "constant" ? cv::BORDER_CONSTANT : cv::BORDER_REFLECT_101;
}

void add_border_option(OptionList& options) {
  options.add_text("border", "reflect", "what fills pixels moved in from outside: reflect, or constant (black image, background mask)")
      .one_of({"reflect", "constant"});
}

// Applies the 2x3 matrix `m` to both (image bilinear, mask nearest).
void warp_both(cv::Mat& image, cv::Mat& mask, const cv::Mat& m, int border) {
  cv::Mat warped_image, warped_mask;
  cv::warpAffine(image, warped_image, m, image.size(), cv::INTER_LINEAR, border, cv::Scalar::all(0));
  cv::warpAffine(mask, warped_mask, m, mask.size(), cv::INTER_NEAREST, border, cv::Scalar::all(0));
  image = warped_image;
  mask = warped_mask;
}

Augmentation flip(double p, int code) {
  return [p, code](cv::Mat& image, cv::Mat& mask, Rng& rng) {
    if (!rng.bernoulli(p)) return;
    cv::flip(image, image, code);
    cv::flip(mask, mask, code);
  };
}

}  // namespace

void register_geometric_augmentations(Registry<AugmentationFactory>& registry) {
  registry.add({"hflip", "mirror left-right", with_probability(0.5)},
               [](const Config& c, const std::string& prefix) { return flip(c.get_real(prefix + ".p"), 1); });
  registry.add({"vflip", "mirror top-bottom", with_probability(0.5)},
               [](const Config& c, const std::string& prefix) { return flip(c.get_real(prefix + ".p"), 0); });

  registry.add({"rot90", "rotate by 90, 180 or 270 degrees (square images)", with_probability(0.5)},
               [](const Config& c, const std::string& prefix) -> Augmentation {
                 const double p = c.get_real(prefix + ".p");
                 return [p](cv::Mat& image, cv::Mat& mask, Rng& rng) {
                   if (!rng.bernoulli(p)) return;
                   const int codes[] = {cv::ROTATE_90_CLOCKWISE, cv::ROTATE_180, cv::ROTATE_90_COUNTERCLOCKWISE};
                   const int code = codes[rng.uniform_int(3)];
                   cv::rotate(image, image, code);
                   cv::rotate(mask, mask, code);
                 };
               });

  {
    OptionList o;
    o.add_real("degrees", 30, "largest rotation either way, in degrees (drawn uniformly)").range(0, 180);
    add_border_option(o);
    registry.add({"rotate", "rotate by an arbitrary angle about the centre", with_probability(0.5, o)},
                 [](const Config& c, const std::string& prefix) -> Augmentation {
                   const double p = c.get_real(prefix + ".p"), degrees = c.get_real(prefix + ".degrees");
                   const int border = border_of(c, prefix);
                   return [=](cv::Mat& image, cv::Mat& mask, Rng& rng) {
                     if (!rng.bernoulli(p)) return;
                     const double angle = rng.uniform(-degrees, degrees);
                     const cv::Point2f centre((image.cols - 1) / 2.0f, (image.rows - 1) / 2.0f);
                     warp_both(image, mask, cv::getRotationMatrix2D(centre, angle, 1.0), border);
                   };
                 });
  }

  {
    OptionList o;
    o.add_real("scale_min", 0.5, "smallest crop, as a fraction of the image area").range(0.01, 1);
    o.add_real("scale_max", 1.0, "largest crop, as a fraction of the image area").range(0.01, 1);
    o.add_real("ratio_min", 0.75, "smallest crop aspect ratio (width/height)").range(0.1, 10);
    o.add_real("ratio_max", 4.0 / 3.0, "largest crop aspect ratio (width/height)").range(0.1, 10);
    registry.add({"scale_crop", "crop a random window (area and aspect drawn) and resize it back to full size",
                  with_probability(0.5, o)},
                 [](const Config& c, const std::string& prefix) -> Augmentation {
                   const double p = c.get_real(prefix + ".p");
                   const double scale_min = c.get_real(prefix + ".scale_min");
                   const double scale_max = std::max(scale_min, c.get_real(prefix + ".scale_max"));
                   const double log_ratio_min = std::log(c.get_real(prefix + ".ratio_min"));
                   const double log_ratio_max = std::max(log_ratio_min, std::log(c.get_real(prefix + ".ratio_max")));
                   return [=](cv::Mat& image, cv::Mat& mask, Rng& rng) {
                     if (!rng.bernoulli(p)) return;
                     const double area = image.cols * static_cast<double>(image.rows);
                     cv::Rect window(0, 0, image.cols, image.rows);
                     for (int attempt = 0; attempt < 10; ++attempt) {  // as torchvision's RandomResizedCrop
                       const double target = area * rng.uniform(scale_min, scale_max);
                       const double ratio = std::exp(rng.uniform(log_ratio_min, log_ratio_max));
                       const int w = static_cast<int>(std::lround(std::sqrt(target * ratio)));
                       const int h = static_cast<int>(std::lround(std::sqrt(target / ratio)));
                       if (w < 1 || h < 1 || w > image.cols || h > image.rows) continue;
                       window = cv::Rect(static_cast<int>(rng.uniform_int(static_cast<uint64_t>(image.cols - w + 1))),
                                         static_cast<int>(rng.uniform_int(static_cast<uint64_t>(image.rows - h + 1))), w, h);
                       break;
                     }
                     cv::Mat crop_image, crop_mask;
                     cv::resize(image(window), crop_image, image.size(), 0, 0, cv::INTER_LINEAR);
                     cv::resize(mask(window), crop_mask, mask.size(), 0, 0, cv::INTER_NEAREST);
                     image = crop_image;
                     mask = crop_mask;
                   };
                 });
  }

  {
    OptionList o;
    o.add_real("scale", 0.1, "zoom factor drawn from [1 - scale, 1 + scale]").range(0, 0.9);
    o.add_real("shear", 10, "largest shear either way, in degrees").range(0, 60);
    o.add_real("translate", 0.1, "largest shift either way, as a fraction of the image side").range(0, 0.5);
    add_border_option(o);
    registry.add({"affine", "random scale, shear and translation about the centre", with_probability(0.5, o)},
                 [](const Config& c, const std::string& prefix) -> Augmentation {
                   const double p = c.get_real(prefix + ".p"), scale = c.get_real(prefix + ".scale");
                   const double shear = c.get_real(prefix + ".shear"), translate = c.get_real(prefix + ".translate");
                   const int border = border_of(c, prefix);
                   return [=](cv::Mat& image, cv::Mat& mask, Rng& rng) {
                     if (!rng.bernoulli(p)) return;
                     const double zoom = rng.uniform(1 - scale, 1 + scale);
                     const double shear_x = std::tan(rng.uniform(-shear, shear) * M_PI / 180);
                     const double dx = rng.uniform(-translate, translate) * image.cols;
                     const double dy = rng.uniform(-translate, translate) * image.rows;
                     const double cx = (image.cols - 1) / 2.0, cy = (image.rows - 1) / 2.0;
                     // x' = zoom * (x - cx + shear_x * (y - cy)) + cx + dx ; y' = zoom * (y - cy) + cy + dy
                     cv::Mat m = (cv::Mat_<double>(2, 3) << zoom, zoom * shear_x, cx + dx - zoom * (cx + shear_x * cy),
                                  0, zoom, cy + dy - zoom * cy);
                     warp_both(image, mask, m, border);
                   };
                 });
  }

  {
    OptionList o;
    o.add_real("magnitude", 0.04, "largest displacement, as a fraction of the image side").range(0, 0.5);
    o.add_real("smoothness", 0.08, "scale of the displacement field (Gaussian sigma), as a fraction of the side")
        .range(0.005, 1);
    registry.add({"elastic", "smooth random elastic deformation (Simard et al. 2003)", with_probability(0.3, o)},
                 [](const Config& c, const std::string& prefix) -> Augmentation {
                   const double p = c.get_real(prefix + ".p"), magnitude = c.get_real(prefix + ".magnitude");
                   const double smoothness = c.get_real(prefix + ".smoothness");
                   return [=](cv::Mat& image, cv::Mat& mask, Rng& rng) {
                     if (!rng.bernoulli(p)) return;
                     const int w = image.cols, h = image.rows;
                     const double side = std::max(w, h);
                     // The field is drawn at a quarter of the resolution and
                     // enlarged: it is smooth anyway, and 16x cheaper to blur.
                     const int cw = std::max(8, w / 4), ch = std::max(8, h / 4);
                     const double sigma = smoothness * std::max(cw, ch);
                     cv::Mat field[2];
                     for (cv::Mat& f : field) {
                       cv::Mat coarse(ch, cw, CV_32F);
                       for (int y = 0; y < ch; ++y) {
                         float* row = coarse.ptr<float>(y);
                         for (int x = 0; x < cw; ++x) row[x] = static_cast<float>(rng.uniform(-1, 1));
                       }
                       cv::GaussianBlur(coarse, coarse, cv::Size(), sigma, sigma, cv::BORDER_REFLECT_101);
                       double low, high;
                       cv::minMaxLoc(coarse, &low, &high);
                       const double peak = std::max({std::abs(low), std::abs(high), 1e-12});
                       coarse *= magnitude * side / peak;  // the largest displacement is `magnitude`
                       cv::resize(coarse, f, image.size(), 0, 0, cv::INTER_LINEAR);
                     }
                     cv::Mat map_x(h, w, CV_32F), map_y(h, w, CV_32F);
                     for (int y = 0; y < h; ++y)
                       for (int x = 0; x < w; ++x) {
                         map_x.at<float>(y, x) = x + field[0].at<float>(y, x);
                         map_y.at<float>(y, x) = y + field[1].at<float>(y, x);
                       }
                     cv::Mat warped_image, warped_mask;
                     cv::remap(image, warped_image, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
                     cv::remap(mask, warped_mask, map_x, map_y, cv::INTER_NEAREST, cv::BORDER_REFLECT_101);
                     image = warped_image;
                     mask = warped_mask;
                   };
                 });
  }
}

}  // namespace seglab
