// Fuzz target: a LabelMe JSON file through the reader, the class list, the
// rasterizer and the embedded imageData decoder, as `seglab data labelme` does.
// A seglab::Error is the answer to bad input; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "datasets/labelme_annotation.h"
#include "datasets/labelme_classes.h"
#include "datasets/labelme_rasterize.h"
#include "fuzz/fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = seglab::fuzz::write_input_file("annotation.json", data, size);
  try {
    seglab::LabelMeAnnotation annotation = seglab::read_labelme_file(path);
    seglab::LabelMeClasses classes;
    classes.add_labels_of(annotation);
    // Drawing needs width x height bytes; the reader accepts up to 65536 per
    // side (4 GiB), so large canvases are left to the size limits and their tests.
    if (static_cast<long long>(annotation.width) * annotation.height <= 4096LL * 4096)
      (void)seglab::draw_labelme_mask(annotation, [&](const std::string& label) { return classes.index_of(label); });
    // Only the embedded image: an imagePath could name any file on the machine.
    annotation.image_path.clear();
    if (annotation.has_image_data) (void)seglab::load_labelme_image(annotation);
  } catch (const seglab::Error&) {
  }
  return 0;
}
