#pragma once
// data.adapter = isic: the ISIC challenge naming, ISIC_0000000.jpg with
// ISIC_0000000_segmentation.png, images and masks in one folder or two (the
// 2016-2018 releases ship ..._Input/ and ..._GroundTruth/ folders). By default
// the root and its direct subfolders are searched; data.images_dir and
// data.masks_dir pin them. *_superpixels.png files are ignored.
#include "datasets/dataset_adapter.h"

namespace seglab {

void register_isic_adapter(Registry<AdapterFactory>& registry);

}  // namespace seglab
