#pragma once
// Reading PyTorch checkpoints without PyTorch: the zip format that torch.save
// writes since 1.6 (`<name>/data.pkl` plus one raw little-endian storage file
// per tensor under `<name>/data/`). Backend-neutral, so every backend imports
// torchvision weights the same way. Tensors are rebuilt from their storage,
// offset, sizes and strides, and converted to float32 (num_batches_tracked
// and other integers included); the original dtype is kept for `weights inspect`.
#include <string>
#include <vector>

#include "core/tensor.h"

namespace seglab {

struct PthTensor {
  std::string name;   // state_dict key ("layer1.0.conv1.weight")
  std::string dtype;  // "float32", "int64", "float16", ...
  Tensor values;      // converted to float32, shape as saved
};

struct PthFile {
  std::string path;
  std::vector<PthTensor> tensors;  // in the file's order
  std::string note;                // e.g. "tensors read from the 'state_dict' entry"

  NamedTensors named() const;
};

// Throws WeightsError naming the file: missing, legacy (pre-1.6, not zip)
// format, unsupported pickle content, or a tensor that reads past its storage;
// each says how to re-save the file.
PthFile read_pth(const std::string& path);

}  // namespace seglab
