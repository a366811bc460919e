#pragma once
// The losses of LossSpec with their gradients, on plain NCHW float arrays
// (internal to this folder; no oneDNN types). Same definitions as the LibTorch
// backend's torch_loss.cpp: targets equal to 255 are ignored, binary losses
// work on one logit channel, Dice is per image and class, then averaged.
#include "backends/backend.h"

namespace seglab::onednn_backend {

// logits: N x K x H x W; targets: N x 1 x H x W class indices. Writes
// d loss / d logits into `grad` (same shape as logits) and returns the loss.
float compute_loss(const LossSpec& spec, const Tensor& logits, const Tensor& targets, Tensor& grad);

}  // namespace seglab::onednn_backend
