#include "datasets/file_pair_adapter.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>

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

class FilePairAdapter final : public DatasetAdapter {
 public:
  FilePairAdapter(std::string name, std::string root, std::vector<FilePair> pairs, std::vector<SampleProblem> problems)
      : name_(std::move(name)), root_(std::move(root)), problems_(std::move(problems)) {
    std::map<std::string, std::vector<FilePair>> by_id;
    for (auto& p : pairs) by_id[p.id].push_back(std::move(p));
    for (auto& [id, group] : by_id) {
      if (group.size() == 1) {
        pairs_.push_back(std::move(group[0]));
        continue;
      }
      for (const auto& p : group) {
        std::vector<std::string> others;
        for (const auto& q : group)
          if (q.image != p.image) others.push_back(q.image);
        problems_.push_back({id, p.image, "duplicate id '" + id + "' (also " + join(others, ", ") + ")"});
      }
    }
    std::sort(problems_.begin(), problems_.end(),
              [](const SampleProblem& a, const SampleProblem& b) { return a.path < b.path; });
  }

  size_t size() const override { return pairs_.size(); }
  std::string id(size_t index) const override { return pairs_.at(index).id; }
  std::string image_path(size_t index) const override { return pairs_.at(index).image; }
  std::vector<SampleProblem> listing_problems() const override { return problems_; }

  LoadedSample load(size_t index) const override {
    const FilePair& p = pairs_.at(index);
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
      // Paths relative to the root, so a moved dataset keeps its fingerprint.
      Sha256 hasher;
      hasher.update(name_ + "\n");
      for (const auto& p : pairs_)
        for (const auto& path : {p.image, p.mask}) {
          std::error_code ec;
          const auto size = fs::file_size(path, ec);
          hasher.update(fs::path(path).lexically_relative(root_).string() + " " + std::to_string(ec ? 0 : size) + " " +
                        (ec ? std::string("unreadable") : sha256_file(path)) + "\n");
        }
      for (const auto& problem : problems_) hasher.update("problem " + problem.path + " " + problem.problem + "\n");
      fingerprint_ = hasher.hex();
    });
    return fingerprint_;
  }

  std::string describe() const override {
    return std::to_string(pairs_.size()) + " image/mask pairs in " + root_ + " (" + name_ + ")";
  }

 private:
  std::string name_;
  std::string root_;
  std::vector<FilePair> pairs_;
  std::vector<SampleProblem> problems_;
  mutable std::once_flag fingerprint_once_;
  mutable std::string fingerprint_;
};

}  // namespace

std::unique_ptr<DatasetAdapter> make_file_pair_adapter(const std::string& adapter_name, const std::string& root,
                                                       std::vector<FilePair> pairs,
                                                       std::vector<SampleProblem> problems) {
  if (pairs.empty() && problems.empty())
    throw DataError("no images found", root, "images must be .jpg, .jpeg, .png, .bmp, .tif or .tiff");
  return std::make_unique<FilePairAdapter>(adapter_name, root, std::move(pairs), std::move(problems));
}

}  // namespace seglab
