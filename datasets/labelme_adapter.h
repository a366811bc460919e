#pragma once
// data.adapter = labelme: trains straight from a folder of LabelMe JSON files
// (data.root), drawing each mask on load as `seglab labelme2seg` would.
// data.classes picks the labels to learn (empty = every label found, in order
// of first appearance across the files sorted by name):
// - model.num_classes = 2: the listed labels together are the foreground (1);
// - model.num_classes = N + 1 for N listed labels: label i is class i, for a
//   multi-class run (train.loss = cross_entropy).
// Other labels and `_background_` are background (0); `__ignore__` regions are
// 255, excluded from loss and metrics.
#include "datasets/dataset_adapter.h"

namespace seglab {

void register_labelme_adapter(Registry<AdapterFactory>& registry);

}  // namespace seglab
