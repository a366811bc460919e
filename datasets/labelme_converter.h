#pragma once
// `seglab labelme2seg <dir>`: every LabelMe JSON of a folder to an 8-bit
// class-index PNG in <dir>/annotations/<stem>.png, plus <dir>/class_names.txt
// (one class per line, index = line number - 1, `_background_` first), as
// LabelMe's labelme2voc does. Every file is read and checked before anything
// is written, and each output is written to a temporary file and renamed, so
// bad input never leaves a half-overwritten folder.
#include <string>
#include <utility>
#include <vector>

namespace seglab {

struct LabelMeConvertOptions {
  std::string labels_file;  // class order from a labels.txt; "" = order of first appearance
  bool viz = false;         // also write <dir>/annotations_viz/<stem>.png overlays
  bool skip_bad = false;    // convert the good files and list the bad ones, instead of stopping
};

struct LabelMeConvertedFile {
  std::string json_path, mask_path, viz_path;
  int width = 0, height = 0;
  size_t shapes = 0;
  bool used_image_data = false;
};

struct LabelMeConversion {
  std::vector<LabelMeConvertedFile> converted;
  std::vector<std::pair<std::string, std::string>> skipped;  // (file, error)
  std::vector<std::string> class_names;
  std::string annotations_dir, class_names_path;
};

// Throws the first file's error unless options.skip_bad; with skip_bad it
// throws only when no file could be converted.
LabelMeConversion convert_labelme_folder(const std::string& dir, const LabelMeConvertOptions& options);

}  // namespace seglab
