#pragma once
// `seglab data preview`: a grid of training samples (rows) as they are
// (first column) and as the augmentation pipeline changes them in epochs
// 1..n (next columns), each as the image with its mask blended over it and
// the mask alone, so a user sees what the pipeline does and that masks follow
// their images. The random choices are the loader's own (same seed, epoch and
// sample index), so the grid shows exactly what training will see.
#include <ostream>
#include <string>

#include "core/config.h"

namespace seglab {

struct PreviewOptions {
  std::string output_dir;
  int samples = 6;
  int variants = 4;
};

// Writes <output_dir>/preview.png; returns its path.
std::string write_preview(const Config& config, const PreviewOptions& options, std::ostream& out);

}  // namespace seglab
