#include "datasets/synthetic_lesion.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "core/rng.h"

namespace seglab {
namespace {

// A smooth random field in [-1, 1]: coarse noise upsampled bicubically.
cv::Mat smooth_noise(Rng& rng, int size, int cells) {
  cv::Mat coarse(cells, cells, CV_32F);
  for (int y = 0; y < cells; ++y)
    for (int x = 0; x < cells; ++x) coarse.at<float>(y, x) = static_cast<float>(rng.uniform(-1, 1));
  cv::Mat field;
  cv::resize(coarse, field, cv::Size(size, size), 0, 0, cv::INTER_CUBIC);
  return field;
}

}  // namespace

LoadedSample generate_synthetic_lesion(uint64_t seed, int size) {
  Rng rng(seed);
  const double s = size;

  // Lesion outline: an ellipse whose radius wobbles with a few harmonics.
  const double cx = s * rng.uniform(0.35, 0.65), cy = s * rng.uniform(0.35, 0.65);
  const double ra = s * rng.uniform(0.14, 0.30), rb = ra * rng.uniform(0.6, 1.0);
  const double tilt = rng.uniform(0, M_PI);
  double amplitude[5], phase[5];
  for (int k = 0; k < 5; ++k) {
    amplitude[k] = rng.uniform(0.0, 0.09) / (1.0 + 0.3 * k);
    phase[k] = rng.uniform(0, 2 * M_PI);
  }

  cv::Mat mask(size, size, CV_8U);
  cv::Mat inside(size, size, CV_32F);  // signed distance-like in radius units
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
      const double u = dx * std::cos(tilt) + dy * std::sin(tilt);
      const double v = -dx * std::sin(tilt) + dy * std::cos(tilt);
      const double theta = std::atan2(v, u);
      double wobble = 1.0;
      for (int k = 0; k < 5; ++k) wobble += amplitude[k] * std::cos((k + 2) * theta + phase[k]);
      const double rho = std::sqrt((u / ra) * (u / ra) + (v / rb) * (v / rb));
      const double level = rho / wobble;  // < 1 inside the lesion
      mask.at<uchar>(y, x) = level < 1.0 ? 1 : 0;
      inside.at<float>(y, x) = static_cast<float>(level);
    }
  }

  // Colours: skin and pigment, both drawn per sample.
  const cv::Vec3f skin(static_cast<float>(rng.uniform(195, 235)), static_cast<float>(rng.uniform(145, 185)),
                       static_cast<float>(rng.uniform(120, 160)));
  const float darkness = static_cast<float>(rng.uniform(0.40, 0.78));
  const cv::Vec3f pigment(skin[0] * darkness, skin[1] * darkness * 0.85f, skin[2] * darkness * 0.8f);
  const double softness = rng.uniform(0.03, 0.10);  // border blur in radius units

  const cv::Mat light = smooth_noise(rng, size, 3);
  const cv::Mat texture = smooth_noise(rng, size, 9);
  cv::Mat image(size, size, CV_8UC3);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const float level = inside.at<float>(y, x);
      // Soft border: weight 1 inside, 0 outside, a ramp of `softness` across.
      const float w = static_cast<float>(std::clamp((1.0 - level) / softness + 0.5, 0.0, 1.0));
      const float shade = 1.0f + 0.08f * light.at<float>(y, x);
      const float grain = 1.0f + 0.25f * texture.at<float>(y, x) * w;
      const double rx = (x + 0.5) / s - 0.5, ry = (y + 0.5) / s - 0.5;
      const float vignette = static_cast<float>(std::clamp(1.25 - 1.4 * (rx * rx + ry * ry) * 2.0, 0.2, 1.0));
      cv::Vec3b& px = image.at<cv::Vec3b>(y, x);
      for (int c = 0; c < 3; ++c) {
        const float base = (1 - w) * skin[c] + w * pigment[c] * grain;
        const float noisy = base * shade * vignette + static_cast<float>(rng.normal(0, 6.0));
        px[c] = cv::saturate_cast<uchar>(noisy);
      }
    }
  }

  // Freckles: small pigmented spots outside the lesion, which the model must
  // learn to leave out of the mask.
  const int freckles = static_cast<int>(rng.uniform_int(6));
  for (int f = 0; f < freckles; ++f) {
    const cv::Point centre(static_cast<int>(rng.uniform(0, s)), static_cast<int>(rng.uniform(0, s)));
    const int radius = std::max(1, static_cast<int>(s * rng.uniform(0.01, 0.035)));
    if (mask.at<uchar>(std::clamp(centre.y, 0, size - 1), std::clamp(centre.x, 0, size - 1))) continue;
    cv::Mat spot = cv::Mat::zeros(size, size, CV_8U);
    cv::circle(spot, centre, radius + 2, 1, cv::FILLED);
    if (cv::countNonZero(spot & mask) > 0) continue;  // keep freckles off the lesion
    const double tone = rng.uniform(0.5, 0.8);
    cv::circle(image, centre, radius, cv::Scalar(skin[0] * tone, skin[1] * tone * 0.85, skin[2] * tone * 0.8),
               cv::FILLED, cv::LINE_AA);
  }

  // Hairs: thin dark curves drawn over everything, not part of the lesion.
  const int hairs = static_cast<int>(rng.uniform_int(4));
  for (int h = 0; h < hairs; ++h) {
    cv::Point previous(static_cast<int>(rng.uniform(0, s)), static_cast<int>(rng.uniform(0, s)));
    double angle = rng.uniform(0, 2 * M_PI);
    const cv::Scalar colour(rng.uniform(20, 60), rng.uniform(15, 45), rng.uniform(10, 35));
    for (int segment = 0; segment < 12; ++segment) {
      angle += rng.uniform(-0.25, 0.25);
      const cv::Point next(previous.x + static_cast<int>(std::cos(angle) * s / 12),
                           previous.y + static_cast<int>(std::sin(angle) * s / 12));
      cv::line(image, previous, next, colour, 1, cv::LINE_AA);
      previous = next;
    }
  }

  LoadedSample sample;
  sample.image = image;
  sample.mask = mask;
  return sample;
}

}  // namespace seglab
