#include "engine/predictor.h"

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "datasets/folder_adapter.h"
#include "datasets/image_io.h"
#include "engine/image_segmenter.h"
#include "engine/run_loader.h"
#include "reports/overlay.h"

namespace fs = std::filesystem;

namespace seglab {

std::vector<std::string> predict_images(RunStore& store, const std::string& run_id, const std::string& input,
                                        const PredictOptions& options, std::ostream& out) {
  std::vector<std::string> inputs;
  std::error_code ec;
  if (fs::is_directory(input, ec)) {
    for (const auto& entry : fs::directory_iterator(input))
      if (entry.is_regular_file() && is_image_file_name(entry.path().filename().string()))
        inputs.push_back(entry.path().string());
    std::sort(inputs.begin(), inputs.end());
    if (inputs.empty()) throw DataError("no images in folder", input, "images must be .jpg, .png, .bmp or .tif");
  } else if (fs::exists(input, ec)) {
    inputs.push_back(input);
  } else {
    throw DataError("no such image or folder", input);
  }
  if (options.output_dir.empty()) throw UsageError("no output folder", "-o", "give -o <dir>");
  fs::create_directories(options.output_dir, ec);
  if (ec) throw DataError("cannot create output folder: " + ec.message(), options.output_dir);

  LoadedRun run = load_run(store, run_id, options.checkpoint);
  const bool binary = run.config.get_int("model.num_classes") == 2;

  std::vector<std::string> written;
  for (const auto& path : inputs) {
    const cv::Mat image = read_rgb_image(path);
    const cv::Mat mask = segment_image(run, image, options.threshold).mask;
    const std::string stem = (fs::path(options.output_dir) / fs::path(path).stem()).string();
    write_png(stem + "_mask.png", binary ? mask * 255 : mask);
    write_png(stem + "_overlay.png", overlay_mask(image, mask));
    const double fraction = cv::countNonZero(mask) / static_cast<double>(mask.total());
    out << path << ": " << image.cols << "x" << image.rows << ", " << static_cast<int>(std::round(fraction * 1000)) / 10.0
        << "% lesion -> " << stem << "_mask.png, " << stem << "_overlay.png\n";
    written.push_back(stem + "_mask.png");
  }
  return written;
}

}  // namespace seglab
