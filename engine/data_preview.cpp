#include "engine/data_preview.h"

#include <filesystem>
#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "core/text.h"
#include "datasets/augmentation.h"
#include "datasets/batch_loader.h"
#include "datasets/dataset_adapter.h"
#include "datasets/image_io.h"
#include "datasets/sample_source.h"
#include "datasets/split.h"
#include "reports/overlay.h"

namespace seglab {

std::string write_preview(const Config& config, const PreviewOptions& options, std::ostream& out) {
  auto dataset = make_adapter(config);
  const Split split = make_split(config, *dataset);
  const auto pipeline = make_augmentations(config);
  const int s = static_cast<int>(config.get_int("data.image_size"));
  const auto seed = static_cast<uint64_t>(config.get_int("experiment.seed"));
  const std::vector<size_t>& pool = split.train.empty() ? split.val : split.train;
  const size_t rows = std::min<size_t>(pool.size(), static_cast<size_t>(options.samples));
  if (rows == 0) throw DataError("no samples to preview", dataset->describe());

  const int gap = 4, columns = 1 + options.variants, tile = 2 * s + gap / 2;
  cv::Mat grid(static_cast<int>(rows) * (s + gap) - gap, columns * (tile + gap) - gap, CV_8UC3, cv::Scalar(255, 255, 255));
  for (size_t r = 0; r < rows; ++r) {
    const size_t index = pool[r];
    const LoadedSample original = load_resized(*dataset, index, s);
    for (int v = 0; v < columns; ++v) {
      cv::Mat image = original.image.clone(), mask = original.mask.clone();
      if (v > 0) apply_augmentations(pipeline, image, mask, sample_rng(seed, v, index));
      const int x = v * (tile + gap), y = static_cast<int>(r) * (s + gap);
      overlay_mask(image, mask).copyTo(grid(cv::Rect(x, y, s, s)));
      colorize_mask(mask).copyTo(grid(cv::Rect(x + s + gap / 2, y, s, s)));
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(options.output_dir, ec);
  if (ec) throw DataError("cannot create output folder: " + ec.message(), options.output_dir);
  const std::string path = (std::filesystem::path(options.output_dir) / "preview.png").string();
  write_png(path, grid);
  out << "wrote " << path << ": " << rows << " training samples (rows) of " << dataset->describe() << ";\n"
      << "column 1 as loaded at " << s << "x" << s << ", columns 2-" << columns << " through augment.pipeline = "
      << join(config.get_list("augment.pipeline"), ", ") << " in epochs 1-" << options.variants << " (seed " << seed
      << "); each: image with mask blended, mask alone\n";
  return path;
}

}  // namespace seglab
