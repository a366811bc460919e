// Fuzz target: a mask file (any format OpenCV decodes) through
// read_binary_mask, the reader every dataset adapter uses for ground truth.
// A seglab::Error is the answer to bad input; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <opencv2/core.hpp>

#include "core/error.h"
#include "datasets/image_io.h"
#include "fuzz/fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = seglab::fuzz::write_input_file("mask", data, size);
  try {
    const cv::Mat mask = seglab::read_binary_mask(path);
    // The contract callers rely on: one channel, 8 bits, values 0 and 1 only.
    if (mask.type() != CV_8UC1) __builtin_trap();
    double low = 0, high = 0;
    cv::minMaxLoc(mask, &low, &high);
    if (low < 0 || high > 1) __builtin_trap();
  } catch (const seglab::Error&) {
  }
  return 0;
}
