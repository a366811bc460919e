#include "datasets/isic_adapter.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include "core/error.h"
#include "core/text.h"
#include "datasets/file_pair_adapter.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

// "ISIC_0012345" followed by `rest`: returns the id, or "" when the stem is not that.
std::string isic_id(const std::string& stem, const std::string& rest) {
  if (stem.rfind("ISIC_", 0) != 0 || stem.size() <= 5 + rest.size()) return {};
  if (stem.compare(stem.size() - rest.size(), rest.size(), rest) != 0) return {};
  const std::string id = stem.substr(0, stem.size() - rest.size());
  for (size_t i = 5; i < id.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(id[i]))) return {};
  return id;
}

std::vector<fs::path> folders_to_search(const std::string& root, const std::string& pinned) {
  std::error_code ec;
  if (!pinned.empty()) {
    const fs::path dir = fs::path(root) / pinned;
    if (!fs::is_directory(dir, ec))
      throw DataError("folder not found", dir.string(), "check data.root, data.images_dir and data.masks_dir");
    return {dir};
  }
  std::vector<fs::path> dirs{root};
  for (const auto& entry : fs::directory_iterator(root))
    if (entry.is_directory() && entry.path().filename().string()[0] != '.') dirs.push_back(entry.path());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

std::unique_ptr<DatasetAdapter> make_isic_adapter(const std::string& root, const std::string& images_dir,
                                                  const std::string& masks_dir) {
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw DataError("dataset folder not found", root, "set data.root to the folder holding the ISIC images and masks");
  std::multimap<std::string, std::string> images, masks;
  std::vector<SampleProblem> problems;
  std::map<std::string, bool> seen;  // a folder searched for both images and masks is read once
  for (const bool want_masks : {false, true}) {
    for (const auto& dir : folders_to_search(root, want_masks ? masks_dir : images_dir)) {
      for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_regular_file() || name[0] == '.' || !is_image_file_name(name)) continue;
        const std::string stem = entry.path().stem().string();
        const std::string image_id = isic_id(stem, ""), mask_id = isic_id(stem, "_segmentation");
        if (!want_masks && !image_id.empty()) images.emplace(image_id, entry.path().string());
        if (want_masks && !mask_id.empty()) masks.emplace(mask_id, entry.path().string());
        // Report a stray image file once, when its folder is searched for images.
        const bool known = !image_id.empty() || !mask_id.empty() || !isic_id(stem, "_superpixels").empty();
        if (!known && !want_masks && !seen[entry.path().string()]) {
          seen[entry.path().string()] = true;
          problems.push_back({stem, entry.path().string(),
                              "file name is neither ISIC_<digits>.jpg nor ISIC_<digits>_segmentation.png"});
        }
      }
    }
  }
  std::vector<FilePair> pairs;
  for (const auto& [id, mask] : masks) {
    if (!images.count(id)) problems.push_back({id, mask, "mask has no image (expected " + id + ".jpg)"});
    else if (masks.count(id) > 1)
      problems.push_back({id, mask, "extra mask: sample '" + id + "' has " + std::to_string(masks.count(id)) + " masks"});
  }
  for (const auto& [id, image] : images) {
    const size_t count = masks.count(id);
    if (count == 0) problems.push_back({id, image, "image has no mask (expected " + id + "_segmentation.png)"});
    else if (count == 1) pairs.push_back({id, image, masks.find(id)->second});
  }
  return make_file_pair_adapter("isic", root, std::move(pairs), std::move(problems));
}

}  // namespace

void register_isic_adapter(Registry<AdapterFactory>& registry) {
  OptionList options;
  options.add_text("root", "", "ISIC folder (relative to the current directory)").must_be_given();
  options.add_text("images_dir", "", "subfolder holding ISIC_*.jpg (\"\": the root and its direct subfolders)");
  options.add_text("masks_dir", "", "subfolder holding ISIC_*_segmentation.png (\"\": the root and its direct subfolders)");
  registry.add({"isic", "ISIC challenge: ISIC_xxxxxxx.jpg + ISIC_xxxxxxx_segmentation.png, in one folder or two", options},
               [](const Config& c) -> std::unique_ptr<DatasetAdapter> {
                 return make_isic_adapter(c.get_text("data.root"), c.get_text("data.images_dir"),
                                          c.get_text("data.masks_dir"));
               });
}

}  // namespace seglab
