#pragma once
// The limits on what the datasets layer reads, in one place. Each is checked
// before the expensive work (decoding an image, parsing a shape, drawing a
// mask), so a broken or hostile file fails with a DataError that names it and
// the limit, instead of exhausting memory. docs/limits-and-errors.md lists
// them with the limits of the other layers.
#include <cstddef>
#include <cstdint>

namespace seglab {

// Pixels of one image or mask (width x height), read from the file's header
// before decoding (PNG, JPEG, BMP, TIFF; other formats after decoding, under
// OpenCV's own limit of 2^30). 8000 x 8000; the largest ISIC images are
// 6688 x 4439 (30 megapixels). A 64-megapixel RGB image decodes to 192 MB.
constexpr int64_t kMaxImagePixels = 64'000'000;

// LabelMe: points of one shape, shapes of one file. LabelMe's own polygons
// hold tens to hundreds of points; a shape beyond this is a broken export.
constexpr size_t kMaxLabelMePointsPerShape = 100'000;
constexpr size_t kMaxLabelMeShapes = 10'000;

// LabelMe classes: indices 0..254 (255 marks ignored pixels).
constexpr size_t kMaxLabelMeClasses = 255;

}  // namespace seglab
