#pragma once
// data.adapter = ph2: the PH2 dermoscopy database in either of its layouts:
//   release: [<root>/PH2 Dataset images/]IMD004/IMD004_Dermoscopic_Image/IMD004.bmp
//                                         IMD004/IMD004_lesion/IMD004_lesion.bmp
//   flat:    <root>/images/IMD004.bmp and <root>/masks/IMD004_lesion.bmp
// The layout is detected from what is in the root.
#include "datasets/dataset_adapter.h"

namespace seglab {

void register_ph2_adapter(Registry<AdapterFactory>& registry);

}  // namespace seglab
