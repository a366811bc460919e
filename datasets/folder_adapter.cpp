#include "datasets/folder_adapter.h"

#include <filesystem>
#include <map>
#include <vector>

#include "core/error.h"
#include "core/text.h"
#include "datasets/file_pair_adapter.h"

namespace fs = std::filesystem;

namespace seglab {

namespace {

std::multimap<std::string, std::string> image_files_by_stem(const std::string& dir, const std::string& what) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw DataError(what + " folder not found", dir, "check data.root, data.images_dir and data.masks_dir in the experiment file");
  std::multimap<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.empty() || name[0] == '.' || !is_image_file_name(name)) continue;
    files.emplace(entry.path().stem().string(), entry.path().string());
  }
  return files;
}

}  // namespace

std::unique_ptr<DatasetAdapter> make_folder_adapter(const std::string& adapter_name, const std::string& root, const std::string& images_dir,
                                                    const std::string& masks_dir, const std::string& suffix) {
  if (root.empty()) throw ConfigError("data.root is empty", "data.root", "set it to the dataset folder");
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw DataError("dataset folder not found", root,
                    "set data.root to a folder holding " + images_dir + "/ and " + masks_dir + "/");
  const std::string image_dir = (fs::path(root) / images_dir).string();
  const std::string mask_dir = (fs::path(root) / masks_dir).string();
  const auto images = image_files_by_stem(image_dir, "image");
  const auto masks = image_files_by_stem(mask_dir, "mask");

  std::vector<SampleProblem> problems;
  std::multimap<std::string, std::string> mask_by_id;
  for (const auto& [stem, path] : masks) {
    if (!ends_with(stem, suffix)) {
      problems.push_back({stem, path, "mask name does not end with the mask suffix '" + suffix + "'"});
      continue;
    }
    mask_by_id.emplace(stem.substr(0, stem.size() - suffix.size()), path);
  }
  for (const auto& [id, mask] : mask_by_id) {
    if (!images.count(id))
      problems.push_back({id, mask, "mask has no image (expected " + (fs::path(image_dir) / id).string() + ".*)"});
    else if (mask_by_id.count(id) > 1)
      problems.push_back({id, mask, "extra mask: sample '" + id + "' has " + std::to_string(mask_by_id.count(id)) + " masks"});
  }
  std::vector<FilePair> pairs;
  for (const auto& [id, image] : images) {
    const size_t mask_count = mask_by_id.count(id);
    if (mask_count == 0)
      problems.push_back({id, image, "image has no mask (expected " + (fs::path(mask_dir) / (id + suffix)).string() + ".*)"});
    else if (mask_count == 1)
      pairs.push_back({id, image, mask_by_id.find(id)->second});
  }
  return make_file_pair_adapter(adapter_name, root, std::move(pairs), std::move(problems));
}

void register_folder_adapter(Registry<AdapterFactory>& registry) {
  OptionList options;
  options.add_text("root", "", "dataset folder (relative to the current directory)").must_be_given();
  options.add_text("images_dir", "images", "subfolder of root holding the images");
  options.add_text("masks_dir", "masks", "subfolder of root holding the masks");
  options.add_text("mask_suffix", "", "mask stem = image stem + suffix (PH2: _lesion)");
  registry.add({"folder", "images/ and masks/ paired by file stem (+ optional mask suffix); jpg, png, bmp, tif", options},
               [](const Config& c) -> std::unique_ptr<DatasetAdapter> {
                 return make_folder_adapter("folder", c.get_text("data.root"), c.get_text("data.images_dir"),
                                            c.get_text("data.masks_dir"), c.get_text("data.mask_suffix"));
               });
}

}  // namespace seglab
