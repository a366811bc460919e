#include "datasets/ph2_adapter.h"

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "datasets/file_pair_adapter.h"
#include "datasets/folder_adapter.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

// The image files in `dir` whose stem is `stem`, sorted (normally one).
std::vector<std::string> files_with_stem(const fs::path& dir, const std::string& stem) {
  std::vector<std::string> found;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return found;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().stem() == stem && is_image_file_name(entry.path().filename().string()))
      found.push_back(entry.path().string());
  std::sort(found.begin(), found.end());
  return found;
}

std::unique_ptr<DatasetAdapter> make_release_layout(const std::string& root) {
  fs::path base = root;
  std::error_code ec;
  if (fs::is_directory(base / "PH2 Dataset images", ec)) base /= "PH2 Dataset images";
  std::vector<FilePair> pairs;
  std::vector<SampleProblem> problems;
  bool any_case = false;
  for (const auto& entry : fs::directory_iterator(base)) {
    const std::string id = entry.path().filename().string();
    if (!entry.is_directory() || id.rfind("IMD", 0) != 0) continue;
    any_case = true;
    const fs::path image_dir = entry.path() / (id + "_Dermoscopic_Image");
    const fs::path mask_dir = entry.path() / (id + "_lesion");
    const auto images = files_with_stem(image_dir, id);
    const auto masks = files_with_stem(mask_dir, id + "_lesion");
    if (images.empty()) {
      problems.push_back({id, (image_dir / (id + ".bmp")).string(), "missing image"});
      for (const auto& mask : masks) problems.push_back({id, mask, "mask has no image"});
      continue;
    }
    if (masks.empty()) {
      for (const auto& image : images)
        problems.push_back({id, image, "image has no mask (expected " + (mask_dir / (id + "_lesion.bmp")).string() + ")"});
      continue;
    }
    for (size_t m = 1; m < masks.size(); ++m)
      problems.push_back({id, masks[m], "extra mask: sample '" + id + "' has " + std::to_string(masks.size()) + " masks"});
    if (masks.size() > 1) continue;
    for (const auto& image : images) pairs.push_back({id, image, masks[0]});  // several images: duplicate ids
  }
  if (!any_case)
    throw DataError("no PH2 layout found: neither images/ + masks/ nor IMDxxx/ case folders", root,
                    "point data.root at the PH2 release folder or at a folder with images/ and masks/");
  return make_file_pair_adapter("ph2", root, std::move(pairs), std::move(problems));
}

}  // namespace

void register_ph2_adapter(Registry<AdapterFactory>& registry) {
  OptionList options;
  options.add_text("root", "", "PH2 folder: the release (IMDxxx/ case folders) or images/ + masks/").must_be_given();
  registry.add({"ph2", "PH2 dermoscopy: the release's IMDxxx/ case folders, or flat images/ + masks/ (*_lesion)", options},
               [](const Config& c) -> std::unique_ptr<DatasetAdapter> {
                 const std::string& root = c.get_text("data.root");
                 std::error_code ec;
                 if (!fs::is_directory(root, ec))
                   throw DataError("dataset folder not found", root, "set data.root to the PH2 folder");
                 if (fs::is_directory(fs::path(root) / "images", ec))
                   return make_folder_adapter("ph2", root, "images", "masks", "_lesion");
                 return make_release_layout(root);
               });
}

}  // namespace seglab
