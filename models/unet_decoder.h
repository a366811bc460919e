#pragma once
// The U-Net expanding path shared by every encoder. From the deepest feature
// upward, each block upsamples x2 (transposed 2x2 conv halving the channels, or
// bilinear), concatenates the encoder feature of that resolution when there is
// one, and applies two 3x3 conv -> BN -> ReLU. Encoders whose shallowest feature
// is below input resolution (torchvision's, at stride 2) get extra blocks
// without skip until the input resolution is reached.
#include <vector>

#include "models/encoder.h"

namespace seglab {

struct DecoderOptions {
  bool transposed = true;             // else bilinear
  bool batch_norm = true;
  std::vector<int64_t> channels;      // one width per block; empty = automatic
};

// Returns the last decoder node (at input resolution).
int build_unet_decoder(GraphBuilder& builder, const EncoderFeatures& features, const DecoderOptions& options);

// Blocks the decoder needs for these features, and the automatic widths:
// the skip's channels where there is a skip, else half the previous width.
std::vector<int64_t> automatic_decoder_channels(const EncoderFeatures& features);

}  // namespace seglab
