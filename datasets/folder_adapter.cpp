#include "datasets/folder_adapter.h"

#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

#include "core/error.h"
#include "core/sha256.h"
#include "core/text.h"
#include "datasets/image_io.h"

namespace fs = std::filesystem;

namespace seglab {

bool is_image_file_name(const std::string& name) {
  const std::string ext = to_lower(fs::path(name).extension().string());
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp" || ext == ".tif" || ext == ".tiff";
}

namespace {

struct Pair {
  std::string id;
  std::string image;
  std::string mask;
};

// Image files of a folder by stem, sorted; two files with one stem are an error.
std::map<std::string, std::string> files_by_stem(const fs::path& dir, const std::string& what) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw DataError(what + " folder not found", dir.string(),
                    "check data.root, data.images_dir and data.masks_dir in the experiment file");
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.empty() || name[0] == '.' || !is_image_file_name(name)) continue;
    const std::string stem = entry.path().stem().string();
    auto [it, inserted] = files.emplace(stem, entry.path().string());
    if (!inserted)
      throw DataError("two " + what + " files share the stem '" + stem + "': " + fs::path(it->second).filename().string() +
                          " and " + name,
                      dir.string(), "keep one of them");
  }
  return files;
}

class FolderAdapter final : public DatasetAdapter {
 public:
  FolderAdapter(const std::string& root, const std::string& images_dir, const std::string& masks_dir,
                const std::string& suffix)
      : root_(root) {
    if (root.empty()) throw ConfigError("data.root is empty", "data.root", "set it to the dataset folder");
    std::error_code ec;
    if (!fs::is_directory(root, ec))
      throw DataError("dataset folder not found", root, "set data.root to a folder holding " + images_dir + "/ and " +
                                                            masks_dir + "/");
    const auto images = files_by_stem(fs::path(root) / images_dir, "image");
    const auto masks = files_by_stem(fs::path(root) / masks_dir, "mask");
    std::map<std::string, std::string> mask_by_id;
    for (const auto& [stem, path] : masks) {
      if (!ends_with(stem, suffix))
        throw DataError("mask name does not end with the mask suffix '" + suffix + "'", path,
                        "rename it, or set data.mask_suffix to the suffix your masks use");
      mask_by_id[stem.substr(0, stem.size() - suffix.size())] = path;
    }
    for (const auto& [id, mask] : mask_by_id)
      if (!images.count(id))
        throw DataError("mask has no image (expected " + (fs::path(root) / images_dir / id).string() + ".*)", mask,
                        "add the image or remove the mask");
    for (const auto& [id, image] : images) {
      auto mask = mask_by_id.find(id);
      if (mask == mask_by_id.end())
        throw DataError("image has no mask (expected " + (fs::path(root) / masks_dir / (id + suffix)).string() + ".*)",
                        image, "add the mask, or set data.mask_suffix if masks are named differently");
      pairs_.push_back({id, image, mask->second});
    }
    if (pairs_.empty())
      throw DataError("no images found", (fs::path(root) / images_dir).string(),
                      "images must be .jpg, .jpeg, .png, .bmp, .tif or .tiff");
  }

  size_t size() const override { return pairs_.size(); }
  std::string id(size_t index) const override { return pairs_.at(index).id; }

  LoadedSample load(size_t index) const override {
    const Pair& p = pairs_.at(index);
    LoadedSample sample;
    sample.id = p.id;
    sample.image = read_rgb_image(p.image);
    sample.mask = read_binary_mask(p.mask);
    if (sample.image.size() != sample.mask.size())
      throw DataError("mask is " + std::to_string(sample.mask.cols) + "x" + std::to_string(sample.mask.rows) +
                          " but its image is " + std::to_string(sample.image.cols) + "x" +
                          std::to_string(sample.image.rows),
                      p.mask, "masks must have exactly the size of their image");
    return sample;
  }

  std::string fingerprint() const override {
    std::call_once(fingerprint_once_, [this] {
      Sha256 hasher;
      for (const auto& p : pairs_)
        for (const auto& path : {p.image, p.mask})
          hasher.update(fs::path(path).filename().string() + " " + std::to_string(fs::file_size(path)) + " " +
                        sha256_file(path) + "\n");
      fingerprint_ = hasher.hex();
    });
    return fingerprint_;
  }

  std::string describe() const override { return std::to_string(pairs_.size()) + " image/mask pairs in " + root_; }

 private:
  std::string root_;
  std::vector<Pair> pairs_;
  mutable std::once_flag fingerprint_once_;
  mutable std::string fingerprint_;
};

}  // namespace

void register_folder_adapter(Registry<AdapterFactory>& registry) {
  OptionList options;
  options.add_text("root", "", "dataset folder (relative to the current directory)").must_be_given();
  options.add_text("images_dir", "images", "subfolder of root holding the images");
  options.add_text("masks_dir", "masks", "subfolder of root holding the masks");
  options.add_text("mask_suffix", "", "mask stem = image stem + suffix (PH2: _lesion)");
  registry.add({"folder", "images/ and masks/ paired by file stem (+ optional mask suffix)", options},
               [](const Config& c) -> std::unique_ptr<DatasetAdapter> {
                 return std::make_unique<FolderAdapter>(c.get_text("data.root"), c.get_text("data.images_dir"),
                                                        c.get_text("data.masks_dir"), c.get_text("data.mask_suffix"));
               });
}

}  // namespace seglab
