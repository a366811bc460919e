#include "backends/onednn/dnnl_params.h"

namespace seglab::onednn_backend {

using memory = dnnl::memory;

ParamStore::ParamStore(Context& context, const std::vector<ParamSpec>& specs)
    : context_(context), plain_(specs.size()), blocked_(specs.size()) {
  values.resize(specs.size());
  grads.resize(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    values[i].assign(static_cast<size_t>(shape_numel(specs[i].shape)), 0.0f);
    if (specs[i].trainable) grads[i].assign(values[i].size(), 0.0f);
  }
}

bool ParamStore::adopt_layout(size_t i, const memory::desc& plain, const memory::desc& blocked) {
  if (!is_plain(i) || blocked == plain) return false;
  std::vector<float> stored(blocked.get_size() / sizeof(float), 0.0f);
  convert(plain, values[i].data(), blocked, stored.data());
  values[i].swap(stored);
  if (!grads[i].empty()) grads[i].assign(values[i].size(), 0.0f);
  plain_[i] = plain;
  blocked_[i] = blocked;
  ++layout_version;
  return true;
}

std::vector<float> ParamStore::to_plain(size_t i, const std::vector<float>& stored) const {
  if (is_plain(i)) return stored;
  std::vector<float> plain(plain_[i].get_size() / sizeof(float));
  convert(blocked_[i], stored.data(), plain_[i], plain.data());
  return plain;
}

std::vector<float> ParamStore::from_plain(size_t i, const std::vector<float>& plain) const {
  if (is_plain(i)) return plain;
  // Zeroed first, so that the blocked layout's padding is zero whatever the
  // reorder does there: the primitives and the optimizer rely on it.
  std::vector<float> stored(blocked_[i].get_size() / sizeof(float), 0.0f);
  convert(plain_[i], plain.data(), blocked_[i], stored.data());
  return stored;
}

void ParamStore::convert(const memory::desc& from_md, const float* from, const memory::desc& to_md, float* to) const {
  memory src(from_md, context_.engine, const_cast<float*>(from)), dst(to_md, context_.engine, to);
  dnnl::reorder(src, dst).execute(context_.stream, src, dst);
  context_.stream.wait();
}

}  // namespace seglab::onednn_backend
