#pragma once
// The error family of weights files: a PyTorch checkpoint cannot be read, or
// does not fit the model. Kept beside its only sources (the .pth reader and
// the encoder weight import) rather than in core/error.h.
#include "core/error.h"

namespace seglab {

class WeightsError : public Error { using Error::Error; };

}  // namespace seglab
