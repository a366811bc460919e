#pragma once
// Generated image/mask folders for dataset tests.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <filesystem>
#include <string>

namespace seglab::test {

// An RGB image with a filled circle, and its 0/255 mask.
inline void write_pair(const std::string& image_path, const std::string& mask_path, int width = 40, int height = 30,
                       int radius = 8) {
  std::filesystem::create_directories(std::filesystem::path(image_path).parent_path());
  std::filesystem::create_directories(std::filesystem::path(mask_path).parent_path());
  cv::Mat image(height, width, CV_8UC3, cv::Scalar(200, 170, 150));
  cv::Mat mask = cv::Mat::zeros(height, width, CV_8U);
  cv::circle(image, {width / 2, height / 2}, radius, cv::Scalar(60, 40, 30), cv::FILLED);
  cv::circle(mask, {width / 2, height / 2}, radius, 255, cv::FILLED);
  cv::imwrite(image_path, image);
  cv::imwrite(mask_path, mask);
}

}  // namespace seglab::test
