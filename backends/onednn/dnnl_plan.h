#pragma once
// One compiled execution plan: the graph lowered to oneDNN primitives for one
// input shape and one mode (training or inference), internal to this folder.
// Every primitive, activation, gradient and the shared scratchpad is created
// once here and reused by every step with that shape; activations stay in the
// layouts the primitives chose (blocked on AVX-512), with a reorder only where
// a consumer wants another one.
#include <dnnl.hpp>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "backends/backend.h"
#include "backends/onednn/dnnl_arena.h"
#include "backends/onednn/dnnl_params.h"

namespace seglab::onednn_backend {

using memory = dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;
using Args = std::unordered_map<int, memory>;

// The output of one node, or of a fused chain of nodes.
struct Value {
  memory::desc md;
  memory mem;
  memory diff;  // the loss gradient, same descriptor; training plans only
  bool needs_grad = false;
  int producer = -1;  // index of the layer that writes it; -1 for the graph input
};

class Plan;

// Moves a computed input gradient into a value's gradient buffer: the backward
// primitive writes into target(); flush() reorders it into place, or adds it
// when another consumer of the value wrote its share first.
class DiffSink {
 public:
  void init(Plan& plan, int value, const memory::desc& computed_md, bool accumulate);
  const memory& target() const { return target_; }
  void flush(Plan& plan);

 private:
  memory target_;
  dnnl::primitive move_;
  Args move_args_;
  bool direct_ = true;
};

// A value in the descriptor a primitive wants: the value's own memory when the
// descriptors match, else a reordered copy refreshed by update().
class SourceView {
 public:
  void init(Plan& plan, int value, const memory::desc& wanted);
  const memory& update(Plan& plan);
  const memory& current() const { return mem_; }

 private:
  memory mem_;
  dnnl::primitive reorder_;
  Args args_;
  bool direct_ = true;
};

class Layer {
 public:
  virtual ~Layer() = default;
  virtual void forward(Plan& plan) = 0;
  // Creates the backward primitives once the gradient flow (accumulate) is known.
  virtual void prepare_backward(Plan& plan) {}
  virtual void backward(Plan& plan) {}
  // Inference: re-derives reordered or batch-norm-folded weights after a change.
  virtual void refresh_weights(Plan& plan) {}

  std::vector<int> inputs;       // value indices
  int output = -1;               // value index
  std::vector<bool> accumulate;  // per input: another consumer already wrote its gradient
  std::string label;             // "conv2d node 5 (decoder.block0.conv1)", for errors
};

class Plan {
 public:
  Plan(const Graph& graph, ParamStore& params, Context& context, const CompileOptions& options, bool training,
       const Shape& input_shape);
  Plan(const Plan&) = delete;
  Plan& operator=(const Plan&) = delete;

  // Runs the graph; returns the logits N x K x H x W of every graph output in
  // training, of the first one in inference (valid until the next call).
  const std::vector<Tensor>& forward(const Tensor& images);
  // Back-propagates d loss / d logits of each output into the parameter gradients.
  void backward(const std::vector<Tensor>& logits_grads);

  // For layers.
  int add_value(const memory::desc& md, bool needs_grad = true);
  // Arena buffers of the layer being built or prepared: one written in its
  // forward pass (and, in training, kept for its backward pass), one used only
  // within its backward pass.
  memory forward_buffer(const memory::desc& md);
  memory backward_buffer(const memory::desc& md);
  // A buffer used only within the layer's forward step (an intermediate result).
  memory forward_scratch(const memory::desc& md);
  // Compute-format weights, derived from the fp32 master weights: in training
  // a buffer live only during the layer's forward step (its backward pass
  // derives its own copy, so the copies of all layers are never held at
  // once); in inference memory of its own, kept between steps.
  memory weights_buffer(const memory::desc& md);
  // Bytes of the activation arena, and what the buffers would take unshared.
  size_t arena_bytes() const { return arena_.bytes(); }
  size_t arena_requested_bytes() const { return arena_.requested_bytes(); }
  dnnl::primitive_attr attr() const;  // user-managed scratchpad
  // Scratchpad argument of a primitive, a view into the plan's one shared buffer.
  void add_scratchpad(const memory::desc& md, Args& args);
  memory wrap(const memory::desc& md, float* data) const { return memory(md, context.engine, data); }
  void exec(const dnnl::primitive& p, const Args& args) { p.execute(context.stream, args); }

  const Graph& graph;
  ParamStore& params;
  Context& context;
  const CompileOptions& options;
  const bool training;
  const dt act_dt;  // activations and compute weights: f32, or bf16 (fp32 master weights)
  std::vector<Value> values;

 private:
  void build(const Shape& input_shape);
  void finish_scratchpad();
  void place_in_arena();
  // Step numbers, in execution order: forward of layer i, the loss, backward of layer i.
  static int forward_step(int layer) { return layer; }
  static constexpr int kLossStep = 1 << 19;
  static int backward_step(int layer) { return (1 << 20) - layer; }
  static constexpr int kLastStep = (1 << 20) + 1;

  Arena arena_;
  int current_layer_ = 0;  // the layer being built or prepared

  std::vector<std::unique_ptr<Layer>> layers_;
  int input_value_ = -1;
  // Per output the plan computes (deep supervision has several in training).
  std::vector<int> output_values_;
  std::vector<Tensor> logits_, logits_grads_;
  std::vector<memory> logits_mem_, logits_grad_mem_;
  std::vector<dnnl::primitive> to_logits_, from_logits_grad_;
  std::vector<memory> scratch_views_;
  std::vector<char> scratchpad_;
  uint64_t refreshed_version_ = 0;
};

// "conv2d node 5 (decoder.block0.conv1)"
std::string node_label(const Node& node);

}  // namespace seglab::onednn_backend
