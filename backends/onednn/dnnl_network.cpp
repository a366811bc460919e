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
    : graph_(graph), options_(options) {
  const auto& specs = graph_.params();
  params_.values.resize(specs.size());
  params_.grads.resize(specs.size());
  std::vector<std::string> names;
  std::vector<std::vector<float>*> values, grads;
  std::vector<Shape> shapes;
  for (size_t i = 0; i < specs.size(); ++i) {
    params_.values[i].assign(static_cast<size_t>(shape_numel(specs[i].shape)), 0.0f);
    if (!specs[i].trainable) continue;
    params_.grads[i].assign(params_.values[i].size(), 0.0f);
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
  auto created = std::make_unique<Plan>(graph_, params_, context_, options_, training, images.shape());
  return *plans_.emplace(key, std::move(created)).first->second;
}

float DnnlNetwork::train_step(const Tensor& images, const Tensor& targets, double lr) {
  Plan& p = plan(true, images);
  const Tensor& logits = p.forward(images);
  const float loss = compute_loss(options_.loss, logits, targets, logits_grad_);
  p.backward(logits_grad_);
  optimizer_->step(lr);
  ++params_.version;
  return loss;
}

Tensor DnnlNetwork::logits(const Tensor& images) { return plan(false, images).forward(images); }

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
  for (size_t i = 0; i < graph_.params().size(); ++i)
    if (graph_.params()[i].trainable) out[graph_.params()[i].name] = Tensor(graph_.params()[i].shape, params_.grads[i]);
  return out;
}

NamedTensors DnnlNetwork::weights() const {
  NamedTensors out;
  for (size_t i = 0; i < graph_.params().size(); ++i)
    out[graph_.params()[i].name] = Tensor(graph_.params()[i].shape, params_.values[i]);
  return out;
}

void DnnlNetwork::load_weights(const NamedTensors& weights) {
  check_weights_fit(graph_, weights);
  // Copy in place: plans hold pointers to these buffers.
  for (size_t i = 0; i < graph_.params().size(); ++i) {
    const Tensor& t = weights.at(graph_.params()[i].name);
    std::copy(t.values().begin(), t.values().end(), params_.values[i].begin());
  }
  ++params_.version;
}

NamedTensors DnnlNetwork::optimizer_state() const { return optimizer_->state(); }

void DnnlNetwork::load_optimizer_state(const NamedTensors& state) { optimizer_->load_state(state); }

}  // namespace seglab::onednn_backend
