#pragma once
// The U-Net expanding path shared by every encoder. From the deepest feature
// upward, each block upsamples x2 (transposed 2x2 conv halving the channels, or
// bilinear), concatenates the encoder feature of that resolution when there is
// one (optionally through an attention gate), and applies two 3x3 conv -> BN ->
// ReLU (optionally followed by an scSE block). Encoders whose shallowest
// feature is below input resolution (torchvision's, at stride 2) get extra
// blocks without skip until the input resolution is reached.
#include <vector>

#include "models/encoder.h"

namespace seglab {

struct DecoderOptions {
  bool transposed = true;             // else bilinear
  bool batch_norm = true;
  std::vector<int64_t> channels;      // one width per block; empty = automatic
  // Attention U-Net (Oktay et al. 2018): the skip is multiplied by a gate
  // sigmoid(psi(relu(W_g g + W_x x))) computed from the upsampled decoder
  // feature g and the skip x, one coefficient per pixel. Scope
  // "decoder.block<i>.attention".
  bool attention = false;
  // Concurrent spatial and channel squeeze-excitation (Roy et al. 2018) after
  // each block: x * cSE(x) + x * sSE(x), reduction 16. Scope "decoder.block<i>.scse".
  bool scse = false;
};

struct DecoderOutput {
  int last = -1;                      // the last block's output, at input resolution
  std::vector<int> blocks;            // every block's output, deepest first
};

DecoderOutput build_unet_decoder(GraphBuilder& builder, const EncoderFeatures& features, const DecoderOptions& options);

// Blocks the decoder needs for these features, and the automatic widths:
// the skip's channels where there is a skip, else half the previous width.
std::vector<int64_t> automatic_decoder_channels(const EncoderFeatures& features);

}  // namespace seglab
