#pragma once
// The class list of a LabelMe folder: `_background_` is index 0, the other
// labels 1..254 in a stable order (that of a labels file, or of first
// appearance across the files sorted by name), `__ignore__` maps to 255.
#include <map>
#include <string>
#include <vector>

#include "datasets/input_limits.h"
#include "datasets/labelme_annotation.h"

namespace seglab {

class LabelMeClasses {
 public:
  // Just `_background_`; labels are added by add_labels_of().
  LabelMeClasses();
  // The order of a labels.txt as LabelMe's labelme2voc reads it: one label per
  // line; `__ignore__` lines are skipped, `_background_` is 0 wherever listed.
  static LabelMeClasses from_labels_file(const std::string& path);

  // Appends the labels of `file` not seen yet, in shape order. A class list
  // read from a labels file accepts only its labels. Throws DataError naming
  // the file and shape when a label is unknown or would exceed 255 classes;
  // the list is unchanged then.
  void add_labels_of(const LabelMeAnnotation& file);

  // The class index of a label the list holds (255 for `__ignore__`).
  unsigned char index_of(const std::string& label) const;
  bool contains(const std::string& label) const;
  // Class names by index, `_background_` first (no `__ignore__`).
  const std::vector<std::string>& names() const { return names_; }
  bool from_file() const { return !source_.empty(); }

 private:
  void add(const std::string& label, const std::string& input);

  std::vector<std::string> names_;
  std::map<std::string, unsigned char> index_;
  std::string source_;  // the labels file, when read from one
};

}  // namespace seglab
