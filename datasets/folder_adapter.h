#pragma once
// data.adapter = folder: images in <root>/<images_dir>, masks in
// <root>/<masks_dir>, paired by file stem; a mask's stem is the image's plus
// data.mask_suffix (PH2: IMD004.bmp <-> IMD004_lesion.bmp). JPEG, PNG, BMP
// (1-bit masks included) and TIFF. Relative roots are relative to the current
// directory. An image without a mask, a mask without an image or two files
// for one id are listing problems, not errors (see DatasetAdapter).
#include <string>

#include "datasets/dataset_adapter.h"
#include "datasets/file_pair_adapter.h"

namespace seglab {

void register_folder_adapter(Registry<AdapterFactory>& registry);

// The folder layout under any adapter name (ph2 uses it for the flat layout).
std::unique_ptr<DatasetAdapter> make_folder_adapter(const std::string& adapter_name, const std::string& root,
                                                    const std::string& images_dir, const std::string& masks_dir,
                                                    const std::string& suffix);

}  // namespace seglab
