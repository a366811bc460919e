#include "datasets/photometric_augmentations.h"

#include <cmath>
#include <opencv2/imgproc.hpp>

namespace seglab {
namespace {

OptionList with_probability(double p, OptionList options = {}) {
  options.add_real("p", p, "probability of applying it to a sample").range(0, 1);
  return options;
}

// Applies `f(v)` to every byte of the image through a lookup table.
template <class F>
void apply_table(cv::Mat& image, F&& f) {
  cv::Mat table(1, 256, CV_8U);
  for (int v = 0; v < 256; ++v) table.at<uchar>(v) = cv::saturate_cast<uchar>(f(v));
  cv::LUT(image, table, image);
}

}  // namespace

void register_photometric_augmentations(Registry<AugmentationFactory>& registry) {
  {
    OptionList o;
    o.add_real("brightness", 0.2, "brightness factor drawn from [1 - b, 1 + b]").range(0, 1);
    o.add_real("contrast", 0.2, "contrast factor drawn from [1 - c, 1 + c] (blend with the mean grey)").range(0, 1);
    o.add_real("saturation", 0.2, "saturation factor drawn from [1 - s, 1 + s] (blend with greyscale)").range(0, 1);
    o.add_real("hue", 0.05, "hue shift drawn from [-h, h], in turns of the colour circle").range(0, 0.5);
    registry.add({"color_jitter", "random brightness, contrast, saturation and hue (in that order)",
                  with_probability(0.8, o)},
                 [](const Config& c, const std::string& prefix) -> Augmentation {
                   const double p = c.get_real(prefix + ".p"), b = c.get_real(prefix + ".brightness");
                   const double k = c.get_real(prefix + ".contrast"), s = c.get_real(prefix + ".saturation");
                   const double h = c.get_real(prefix + ".hue");
                   return [=](cv::Mat& image, cv::Mat&, Rng& rng) {
                     if (!rng.bernoulli(p)) return;
                     // All four are drawn every time, so each factor's draw does not depend on the others' settings.
                     const double brightness = rng.uniform(1 - b, 1 + b), contrast = rng.uniform(1 - k, 1 + k);
                     const double saturation = rng.uniform(1 - s, 1 + s), hue = rng.uniform(-h, h);
                     if (b > 0) image.convertTo(image, -1, brightness, 0);
                     if (k > 0) {
                       cv::Mat grey;
                       cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
                       const double mean = cv::mean(grey)[0];
                       image.convertTo(image, -1, contrast, (1 - contrast) * mean);
                     }
                     if (s > 0) {
                       cv::Mat grey, grey3;
                       cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
                       cv::cvtColor(grey, grey3, cv::COLOR_GRAY2RGB);
                       cv::addWeighted(image, saturation, grey3, 1 - saturation, 0, image);
                     }
                     if (h > 0) {
                       cv::Mat hsv;
                       cv::cvtColor(image, hsv, cv::COLOR_RGB2HSV_FULL);  // hue 0..255 for a full turn
                       const int shift = static_cast<int>(std::lround(hue * 256));
                       for (int y = 0; y < hsv.rows; ++y) {
                         cv::Vec3b* row = hsv.ptr<cv::Vec3b>(y);
                         for (int x = 0; x < hsv.cols; ++x) row[x][0] = static_cast<uchar>((row[x][0] + shift) & 255);
                       }
                       cv::cvtColor(hsv, image, cv::COLOR_HSV2RGB_FULL);
                     }
                   };
                 });
  }

  {
    OptionList o;
    o.add_real("gamma_min", 0.7, "smallest gamma").range(0.05, 10);
    o.add_real("gamma_max", 1.5, "largest gamma").range(0.05, 10);
    registry.add({"gamma", "gamma curve 255 * (v / 255)^gamma, gamma drawn uniformly", with_probability(0.5, o)},
                 [](const Config& c, const std::string& prefix) -> Augmentation {
                   const double p = c.get_real(prefix + ".p"), low = c.get_real(prefix + ".gamma_min");
                   const double high = std::max(low, c.get_real(prefix + ".gamma_max"));
                   return [=](cv::Mat& image, cv::Mat&, Rng& rng) {
                     if (!rng.bernoulli(p)) return;
                     const double gamma = rng.uniform(low, high);
                     apply_table(image, [gamma](int v) { return 255.0 * std::pow(v / 255.0, gamma); });
                   };
                 });
  }

  {
    OptionList o;
    o.add_real("sigma_min", 0.5, "smallest blur sigma in pixels").range(0.01, 50);
    o.add_real("sigma_max", 1.5, "largest blur sigma in pixels").range(0.01, 50);
    registry.add({"gaussian_blur", "Gaussian blur, sigma drawn uniformly", with_probability(0.2, o)},
                 [](const Config& c, const std::string& prefix) -> Augmentation {
                   const double p = c.get_real(prefix + ".p"), low = c.get_real(prefix + ".sigma_min");
                   const double high = std::max(low, c.get_real(prefix + ".sigma_max"));
                   return [=](cv::Mat& image, cv::Mat&, Rng& rng) {
                     if (!rng.bernoulli(p)) return;
                     const double sigma = rng.uniform(low, high);
                     const int k = 2 * static_cast<int>(std::ceil(3 * sigma)) + 1;  // +-3 sigma
                     cv::GaussianBlur(image, image, cv::Size(k, k), sigma, sigma, cv::BORDER_REFLECT_101);
                   };
                 });
  }

  {
    OptionList o;
    o.add_real("std", 0.03, "largest noise standard deviation, as a fraction of 255 (drawn from [0, std])").range(0, 1);
    registry.add({"gaussian_noise", "additive Gaussian noise per pixel and channel", with_probability(0.2, o)},
                 [](const Config& c, const std::string& prefix) -> Augmentation {
                   const double p = c.get_real(prefix + ".p"), largest = c.get_real(prefix + ".std");
                   return [=](cv::Mat& image, cv::Mat&, Rng& rng) {
                     if (!rng.bernoulli(p)) return;
                     const double sigma = rng.uniform(0, largest) * 255;
                     for (int y = 0; y < image.rows; ++y) {
                       uchar* row = image.ptr<uchar>(y);
                       for (int x = 0; x < image.cols * image.channels(); ++x)
                         row[x] = cv::saturate_cast<uchar>(row[x] + rng.normal(0, sigma));
                     }
                   };
                 });
  }

  {
    OptionList o;
    o.add_list("mean", "0.485, 0.456, 0.406", "per-channel (R, G, B) mean of pixel / 255");
    o.add_list("std", "0.229, 0.224, 0.225", "per-channel (R, G, B) standard deviation of pixel / 255");
    registry.add({"normalize", "(pixel / 255 - mean) / std per channel; always applied last, ImageNet's by default, "
                               "also at validation and prediction",
                  o},
                 [](const Config&, const std::string&) -> Augmentation {
                   return [](cv::Mat&, cv::Mat&, Rng&) {};  // the loader normalises (normalization_from_config)
                 });
  }
}

}  // namespace seglab
