#include "datasets/labelme_adapter.h"

#include <filesystem>
#include <map>
#include <mutex>

#include "core/confusion_matrix.h"
#include "core/error.h"
#include "core/sha256.h"
#include "core/text.h"
#include "datasets/labelme_annotation.h"
#include "datasets/labelme_classes.h"
#include "datasets/labelme_rasterize.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

class LabelMeAdapter final : public DatasetAdapter {
 public:
  LabelMeAdapter(const std::string& root, std::vector<std::string> classes, int64_t num_classes) : root_(root) {
    if (root.empty()) throw ConfigError("data.root is empty", "data.root", "set it to the folder of LabelMe files");
    LabelMeClasses found;
    for (const auto& path : list_labelme_files(root)) {
      annotations_.push_back(read_labelme_file(path));
      found.add_labels_of(annotations_.back());
    }
    const std::vector<std::string> found_labels(found.names().begin() + 1, found.names().end());
    if (classes.empty()) classes = found_labels;
    if (classes.empty())
      throw DataError("the LabelMe files have no labelled shapes", root, "annotate at least one shape");
    for (const auto& name : classes) {
      if (name == kLabelMeBackground || name == kLabelMeIgnore)
        throw ConfigError("data.classes lists '" + name + "', which LabelMe reserves", "data.classes",
                          "list only the labels to learn; everything else is background");
      if (!found.contains(name))
        throw ConfigError("data.classes lists '" + name + "', which no file in " + root + " uses", "data.classes",
                          "labels found: " + join(found_labels, ", "));
      if (class_of_.count(name)) throw ConfigError("data.classes lists '" + name + "' twice", "data.classes");
      class_of_[name] = 0;
    }
    binary_ = num_classes == 2;
    if (!binary_ && num_classes != static_cast<int64_t>(classes.size()) + 1)
      throw ConfigError("model.num_classes = " + std::to_string(num_classes) + " does not fit the " +
                            std::to_string(classes.size()) + " labels of data.classes (" + join(classes, ", ") + ")",
                        "model.num_classes",
                        "set it to 2 (the labels together are the foreground) or to " +
                            std::to_string(classes.size() + 1) + " (one class per label, plus background)");
    for (size_t i = 0; i < classes.size(); ++i)
      class_of_[classes[i]] = static_cast<unsigned char>(binary_ ? 1 : i + 1);
    classes_ = classes;
  }

  size_t size() const override { return annotations_.size(); }
  std::string id(size_t index) const override {
    return fs::path(annotations_.at(index).json_path).stem().string();
  }

  LoadedSample load(size_t index) const override {
    const LabelMeAnnotation& annotation = annotations_.at(index);
    LoadedSample sample;
    sample.id = id(index);
    sample.image = load_labelme_image(annotation);
    sample.mask = draw_labelme_mask(annotation, [this](const std::string& label) -> unsigned char {
      if (label == kLabelMeIgnore) return kIgnoreIndex;
      auto it = class_of_.find(label);
      return it == class_of_.end() ? 0 : it->second;
    });
    return sample;
  }

  std::string fingerprint() const override {
    std::call_once(fingerprint_once_, [this] {
      Sha256 hasher;
      hasher.update("labelme classes=" + join(classes_, ",") + (binary_ ? " binary\n" : " multi-class\n"));
      for (const auto& a : annotations_) {
        hasher.update(fs::path(a.json_path).filename().string() + " " + sha256_file(a.json_path) + "\n");
        std::error_code ec;
        if (!a.image_path.empty() && fs::is_regular_file(a.image_path, ec) && !fs::equivalent(a.image_path, a.json_path, ec))
          hasher.update(fs::path(a.image_path).filename().string() + " " + sha256_file(a.image_path) + "\n");
      }
      fingerprint_ = hasher.hex();
    });
    return fingerprint_;
  }

  std::vector<std::string> class_names() const override {
    std::vector<std::string> names{kLabelMeBackground};
    if (binary_) names.push_back(join(classes_, " + "));
    else names.insert(names.end(), classes_.begin(), classes_.end());
    return names;
  }

  std::string describe() const override {
    return std::to_string(annotations_.size()) + " LabelMe files in " + root_ + ", " +
           (binary_ ? "foreground " + join(classes_, " + ") : "classes " + join(classes_, ", "));
  }

 private:
  std::string root_;
  std::vector<LabelMeAnnotation> annotations_;
  std::vector<std::string> classes_;
  std::map<std::string, unsigned char> class_of_;
  bool binary_ = true;
  mutable std::once_flag fingerprint_once_;
  mutable std::string fingerprint_;
};

}  // namespace

void register_labelme_adapter(Registry<AdapterFactory>& registry) {
  OptionList options;
  options.add_text("root", "", "folder of LabelMe .json files (relative to the current directory)").must_be_given();
  options.add_list("classes", "",
                   "labels to learn, in class order (empty = all); with model.num_classes = 2 they are one foreground");
  registry.add({"labelme", "LabelMe JSON annotations, masks drawn on load (binary or multi-class)", options},
               [](const Config& c) -> std::unique_ptr<DatasetAdapter> {
                 return std::make_unique<LabelMeAdapter>(c.get_text("data.root"), c.get_list("data.classes"),
                                                         c.get_int("model.num_classes"));
               });
}

}  // namespace seglab
