#include "datasets/labelme_converter.h"

#include <filesystem>

#include "core/atomic_file.h"
#include "core/error.h"
#include "datasets/image_io.h"
#include "datasets/labelme_annotation.h"
#include "datasets/labelme_classes.h"
#include "datasets/labelme_rasterize.h"
#include "datasets/labelme_viz.h"

namespace fs = std::filesystem;

namespace seglab {

LabelMeConversion convert_labelme_folder(const std::string& dir, const LabelMeConvertOptions& options) {
  const std::vector<std::string> files = list_labelme_files(dir);
  LabelMeClasses classes =
      options.labels_file.empty() ? LabelMeClasses() : LabelMeClasses::from_labels_file(options.labels_file);
  LabelMeConversion result;

  // 1. Read and check everything (the image too, for its size) before writing.
  std::vector<LabelMeAnnotation> good;
  std::vector<bool> used_image_data;
  for (const auto& path : files) {
    try {
      LabelMeAnnotation annotation = read_labelme_file(path);
      bool embedded = false;
      load_labelme_image(annotation, &embedded);
      classes.add_labels_of(annotation);
      good.push_back(std::move(annotation));
      used_image_data.push_back(embedded);
    } catch (const Error& e) {
      if (!options.skip_bad) throw;
      result.skipped.emplace_back(path, e.describe());
    }
  }
  if (good.empty())
    throw DataError("none of the " + std::to_string(files.size()) + " LabelMe files could be converted", dir,
                    "first error: " + result.skipped.front().second);

  // 2. Write masks (and overlays), then the class list.
  result.annotations_dir = (fs::path(dir) / "annotations").string();
  fs::create_directories(result.annotations_dir);
  const std::string viz_dir = (fs::path(dir) / "annotations_viz").string();
  if (options.viz) fs::create_directories(viz_dir);
  for (size_t i = 0; i < good.size(); ++i) {
    const LabelMeAnnotation& annotation = good[i];
    const cv::Mat mask = draw_labelme_mask(annotation, [&](const std::string& label) { return classes.index_of(label); });
    const std::string stem = fs::path(annotation.json_path).stem().string();
    LabelMeConvertedFile converted;
    converted.json_path = annotation.json_path;
    converted.mask_path = (fs::path(result.annotations_dir) / (stem + ".png")).string();
    converted.width = annotation.width;
    converted.height = annotation.height;
    converted.shapes = annotation.shapes.size();
    converted.used_image_data = used_image_data[i];
    write_png(converted.mask_path, mask);
    if (options.viz) {
      converted.viz_path = (fs::path(viz_dir) / (stem + ".png")).string();
      write_png(converted.viz_path, class_overlay(load_labelme_image(annotation), mask));
    }
    result.converted.push_back(converted);
  }
  result.class_names = classes.names();
  std::string text;
  for (const auto& name : result.class_names) text += name + "\n";
  result.class_names_path = (fs::path(dir) / "class_names.txt").string();
  write_file_atomically(result.class_names_path, text);
  return result;
}

}  // namespace seglab
