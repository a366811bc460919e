#pragma once
// data.adapter = folder: images in <root>/<images_dir>, masks in
// <root>/<masks_dir>, paired by file stem; a mask's stem is the image's plus
// data.mask_suffix (PH2: IMD004.bmp <-> IMD004_lesion.bmp). JPEG, PNG, BMP
// (1-bit masks included) and TIFF. Relative roots are relative to the current
// directory.
#include "datasets/dataset_adapter.h"

namespace seglab {

void register_folder_adapter(Registry<AdapterFactory>& registry);

// True for the file extensions the adapters read (.jpg .jpeg .png .bmp .tif .tiff).
bool is_image_file_name(const std::string& name);

}  // namespace seglab
