#include <filesystem>
#include <iostream>

#include "core/error.h"
#include "core/text.h"
#include "datasets/labelme_converter.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace seglab {

int labelme2seg_command(const std::vector<std::string>& args) {
  std::string dir;
  LabelMeConvertOptions convert;
  po::options_description options("labelme2seg options");
  options.add_options()("dir", po::value<std::string>(&dir), "folder of LabelMe .json files")(
      "labels", po::value<std::string>(&convert.labels_file),
      "labels.txt giving the class order (__ignore__ and _background_ as in LabelMe's labelme2voc)")(
      "viz", po::bool_switch(&convert.viz), "also write colour overlays to <dir>/annotations_viz/")(
      "skip-bad", po::bool_switch(&convert.skip_bad), "convert the good files and list the bad ones");
  po::positional_options_description positional;
  positional.add("dir", 1);
  po::variables_map values;
  const char* usage = "labelme2seg <dir> [--labels labels.txt] [--viz] [--skip-bad]";
  if (!parse_command(args, usage, options, positional, values)) return 0;
  if (dir.empty()) throw UsageError("expected a folder of LabelMe files", "seglab labelme2seg", "e.g. seglab labelme2seg data/skin");

  const LabelMeConversion result = convert_labelme_folder(dir, convert);
  for (const auto& file : result.converted)
    std::cout << fs::path(file.json_path).filename().string() << ": " << file.width << "x" << file.height << ", "
              << file.shapes << " shape" << (file.shapes == 1 ? "" : "s")
              << (file.used_image_data ? " (image from imageData)" : "") << " -> " << file.mask_path
              << (file.viz_path.empty() ? "" : ", " + file.viz_path) << "\n";
  std::cout << "wrote " << result.converted.size() << " mask" << (result.converted.size() == 1 ? "" : "s") << " to "
            << result.annotations_dir << "/ and " << result.class_names.size() << " classes to "
            << result.class_names_path << ": " << join(result.class_names, ", ") << "\n";
  if (!result.skipped.empty()) {
    std::cout << "skipped " << result.skipped.size() << " bad file" << (result.skipped.size() == 1 ? "" : "s") << ":\n";
    for (const auto& [file, error] : result.skipped) {
      std::string indented = error;
      for (size_t at = indented.find('\n'); at != std::string::npos; at = indented.find('\n', at + 5))
        indented.replace(at, 1, "\n    ");
      std::cout << "  " << indented << "\n";
    }
  }
  return 0;
}

}  // namespace seglab
