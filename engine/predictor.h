#pragma once
// `seglab predict`: segments users' own images with a recorded run and writes,
// per image, <stem>_mask.png (0/255, or class indices) and <stem>_overlay.png
// at the image's own resolution.
#include <ostream>
#include <string>
#include <vector>

#include "tracking/run_store.h"

namespace seglab {

struct PredictOptions {
  std::string checkpoint = "best";
  std::string output_dir;
  double threshold = -1;  // < 0: the run's eval.threshold
};

// `input` is an image file or a folder of images. Returns the masks written.
std::vector<std::string> predict_images(RunStore& store, const std::string& run_id, const std::string& input,
                                        const PredictOptions& options, std::ostream& out);

}  // namespace seglab
