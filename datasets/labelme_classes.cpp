#include "datasets/labelme_classes.h"

#include <fstream>

#include "core/confusion_matrix.h"
#include "core/error.h"
#include "core/text.h"

namespace seglab {

LabelMeClasses::LabelMeClasses() {
  names_.push_back(kLabelMeBackground);
  index_[kLabelMeBackground] = 0;
}

void LabelMeClasses::add(const std::string& label, const std::string& input) {
  if (label == kLabelMeIgnore || index_.count(label)) return;
  if (names_.size() >= kMaxLabelMeClasses)
    throw DataError("label '" + label + "' would be class " + std::to_string(names_.size()) +
                        ", over the limit of 255 classes (0-254; 255 marks ignored pixels)",
                    input, "merge labels, or list only the classes you need with --labels");
  index_[label] = static_cast<unsigned char>(names_.size());
  names_.push_back(label);
}

LabelMeClasses LabelMeClasses::from_labels_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw DataError("cannot open labels file", path, "check the path given to --labels");
  LabelMeClasses classes;
  classes.source_ = path;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string label = trim(line);
    if (label.empty()) continue;
    const std::string input = path + ":" + std::to_string(number);
    if (label != kLabelMeBackground && classes.index_.count(label))
      throw DataError("label '" + label + "' is listed twice", input, "list each label once");
    classes.add(label, input);
  }
  if (classes.names_.size() < 2) throw DataError("labels file lists no class", path, "list one label per line");
  return classes;
}

void LabelMeClasses::add_labels_of(const LabelMeAnnotation& file) {
  LabelMeClasses updated = *this;
  for (size_t i = 0; i < file.shapes.size(); ++i) {
    const std::string& label = file.shapes[i].label;
    const std::string input = file.json_path + ", shapes[" + std::to_string(i) + "]";
    if (from_file()) {
      if (!contains(label))
        throw DataError("label '" + label + "' is not in the labels file " + source_, input,
                        "add it to the labels file, or relabel the shape");
      continue;
    }
    updated.add(label, input);
  }
  *this = std::move(updated);
}

bool LabelMeClasses::contains(const std::string& label) const {
  return label == kLabelMeIgnore || index_.count(label) > 0;
}

unsigned char LabelMeClasses::index_of(const std::string& label) const {
  if (label == kLabelMeIgnore) return kIgnoreIndex;
  auto it = index_.find(label);
  if (it == index_.end()) throw Error("label '" + label + "' is not in the class list");
  return it->second;
}

}  // namespace seglab
