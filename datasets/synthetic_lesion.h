#pragma once
// Generates dermoscopy-like images with a known lesion mask from a seed: skin-
// toned background with uneven lighting, a dark vignette like a dermoscope's,
// an irregular pigmented lesion with internal texture and a soft border, and
// hairs crossing it. The default experiment trains on these, so seglab runs
// end to end with no download.
#include <cstdint>

#include "datasets/sample.h"

namespace seglab {

// `size` x `size` pixels; the same seed always gives the same sample.
LoadedSample generate_synthetic_lesion(uint64_t seed, int size);

}  // namespace seglab
