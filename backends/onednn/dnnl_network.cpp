#include "backends/onednn/dnnl_network.h"

#include <cmath>

#include "backends/onednn/dnnl_loss.h"
#include "backends/weights_fit.h"
#include "core/error.h"

namespace seglab::onednn_backend {
namespace {

// Plans kept per mode before the least recently compiled one is dropped, so a
// changing last-batch size cannot grow memory without bound.
constexpr size_t kPlansPerMode = 3;

}  // namespace

DnnlNetwork::DnnlNetwork(const Graph& graph, const NamedTensors& initial_weights, const CompileOptions& options)
    : graph_(graph), options_(options), params_(context_, graph_.params()) {
  const auto& specs = graph_.params();
  std::vector<std::string> names;
  std::vector<std::vector<float>*> values, grads;
  std::vector<Shape> shapes;
  for (size_t i = 0; i < specs.size(); ++i) {
    if (!specs[i].trainable) continue;
    trainable_.push_back(i);
    names.push_back(specs[i].name);
    values.push_back(&params_.values[i]);
    grads.push_back(&params_.grads[i]);
    shapes.push_back(specs[i].shape);
  }
  load_weights(initial_weights);
  optimizer_ = std::make_unique<Optimizer>(options_.optimizer, names, values, grads, shapes);
}

Plan& DnnlNetwork::plan(bool training, const Tensor& images) {
  const int64_t channels = graph_.node(graph_.input()).channels;
  if (images.rank() != 4 || images.dim(1) != channels)
    throw BackendError("expected images N x " + std::to_string(channels) + " x H x W, got " +
                           shape_to_string(images.shape()),
                       "onednn backend input");
  const auto key = std::make_tuple(training, images.dim(0), images.dim(2), images.dim(3));
  auto it = plans_.find(key);
  if (it != plans_.end()) return *it->second;
  size_t same_mode = 0;
  for (const auto& [k, p] : plans_) same_mode += std::get<0>(k) == training;
  if (same_mode >= kPlansPerMode)
    for (auto p = plans_.begin(); p != plans_.end(); ++p)
      if (std::get<0>(p->first) == training) {
        plans_.erase(p);
        break;
      }
  // A training plan may move parameters into blocked layouts; the optimizer
  // state follows them, and plans built before hold the old layouts.
  const uint64_t layouts = params_.layout_version;
  const NamedTensors state = training ? optimizer_state() : NamedTensors{};
  auto created = std::make_unique<Plan>(graph_, params_, context_, options_, training, images.shape());
  if (params_.layout_version != layouts) {
    plans_.clear();
    load_optimizer_state(state);
  }
  return *plans_.emplace(key, std::move(created)).first->second;
}

float DnnlNetwork::train_step(const Tensor& images, const Tensor& targets, double lr) {
  Plan& p = plan(true, images);
  const std::vector<Tensor>& outputs = p.forward(images);
  // Deep supervision: the loss is the mean over the outputs, as in the LibTorch backend.
  logits_grads_.resize(outputs.size());
  float loss = 0;
  for (size_t k = 0; k < outputs.size(); ++k) loss += compute_loss(options_.loss, outputs[k], targets, logits_grads_[k]);
  if (outputs.size() > 1) {
    const float share = 1.0f / static_cast<float>(outputs.size());
    loss /= static_cast<float>(outputs.size());
    for (Tensor& grad : logits_grads_)
      for (float& v : grad.values()) v *= share;
  }
  p.backward(logits_grads_);
  optimizer_->step(lr);
  ++params_.version;
  return loss;
}

Tensor DnnlNetwork::logits(const Tensor& images) { return plan(false, images).forward(images).front(); }

Tensor DnnlNetwork::predict(const Tensor& images) {
  Tensor out = logits(images);
  const int64_t n = out.dim(0), k = out.dim(1), area = out.dim(2) * out.dim(3);
  if (k == 1) {
    for (auto& v : out.values()) v = 1.0f / (1.0f + std::exp(-v));
    return out;
  }
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = 0; i < area; ++i) {
      float* x = out.data() + b * k * area + i;
      float top = x[0];
      for (int64_t c = 1; c < k; ++c) top = std::max(top, x[c * area]);
      float sum = 0;
      for (int64_t c = 0; c < k; ++c) sum += (x[c * area] = std::exp(x[c * area] - top));
      for (int64_t c = 0; c < k; ++c) x[c * area] /= sum;
    }
  return out;
}

NamedTensors DnnlNetwork::gradients() const {
  NamedTensors out;
  for (size_t i : trainable_)
    out[graph_.params()[i].name] = Tensor(graph_.params()[i].shape, params_.to_plain(i, params_.grads[i]));
  return out;
}

NamedTensors DnnlNetwork::weights() const {
  NamedTensors out;
  for (size_t i = 0; i < graph_.params().size(); ++i)
    out[graph_.params()[i].name] = Tensor(graph_.params()[i].shape, params_.to_plain(i, params_.values[i]));
  return out;
}

void DnnlNetwork::load_weights(const NamedTensors& weights) {
  check_weights_fit(graph_, weights);
  // Copy in place: plans hold pointers to these buffers.
  for (size_t i = 0; i < graph_.params().size(); ++i) {
    const std::vector<float> stored = params_.from_plain(i, weights.at(graph_.params()[i].name).values());
    std::copy(stored.begin(), stored.end(), params_.values[i].begin());
  }
  ++params_.version;
}

Optimizer::Relayout DnnlNetwork::optimizer_to_plain() const {
  return [this](size_t i, const std::vector<float>& stored) { return params_.to_plain(trainable_[i], stored); };
}

Optimizer::Relayout DnnlNetwork::optimizer_from_plain() const {
  return [this](size_t i, const std::vector<float>& plain) { return params_.from_plain(trainable_[i], plain); };
}

NamedTensors DnnlNetwork::optimizer_state() const { return optimizer_->state(optimizer_to_plain()); }

void DnnlNetwork::load_optimizer_state(const NamedTensors& state) {
  optimizer_->load_state(state, optimizer_from_plain());
}

}  // namespace seglab::onednn_backend
