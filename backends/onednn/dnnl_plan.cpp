#include "backends/onednn/dnnl_plan.h"

#include <cstdlib>
#include <cstring>

#include "backends/onednn/dnnl_layers.h"
#include "core/error.h"

namespace seglab::onednn_backend {

std::string node_label(const Node& node) {
  return std::string(op_name(node.op)) + " node " + std::to_string(node.id) +
         (node.scope.empty() ? "" : " (" + node.scope + ")");
}

void DiffSink::init(Plan& plan, int value, const memory::desc& computed_md, bool accumulate) {
  Value& v = plan.values[value];
  direct_ = !accumulate && computed_md == v.md;
  if (direct_) {
    target_ = v.diff;
    return;
  }
  target_ = plan.backward_buffer(computed_md);
  dnnl::primitive_attr attr;
  if (accumulate) {
    dnnl::post_ops ops;
    ops.append_sum(1.0f);
    attr.set_post_ops(ops);
  }
  move_ = dnnl::reorder(dnnl::reorder::primitive_desc(target_, v.diff, attr));
  move_args_ = {{DNNL_ARG_FROM, target_}, {DNNL_ARG_TO, v.diff}};
}

void DiffSink::flush(Plan& plan) {
  if (!direct_) plan.exec(move_, move_args_);
}

void SourceView::init(Plan& plan, int value, const memory::desc& wanted) {
  Value& v = plan.values[value];
  direct_ = wanted == v.md;
  if (direct_) {
    mem_ = v.mem;
    return;
  }
  mem_ = plan.forward_buffer(wanted);
  reorder_ = dnnl::reorder(v.mem, mem_);
  args_ = {{DNNL_ARG_FROM, v.mem}, {DNNL_ARG_TO, mem_}};
}

const memory& SourceView::update(Plan& plan) {
  if (!direct_) plan.exec(reorder_, args_);
  return mem_;
}

Plan::Plan(const Graph& graph_in, ParamStore& params_in, Context& context_in, const CompileOptions& options_in,
           bool training_in, const Shape& input_shape)
    : graph(graph_in),
      params(params_in),
      context(context_in),
      options(options_in),
      training(training_in),
      act_dt(options_in.precision == "bf16" ? dt::bf16 : dt::f32) {
  build(input_shape);
}

int Plan::add_value(const memory::desc& md, bool needs_grad) {
  Value v;
  v.md = md;
  v.needs_grad = training && needs_grad;
  v.producer = needs_grad ? current_layer_ : -1;
  // Lifetimes are set in place_in_arena(), once every reader is known; the
  // graph input has its own buffer.
  v.mem = needs_grad ? arena_.add(md, context.engine, 0, kLastStep) : memory(md, context.engine);
  if (v.needs_grad) v.diff = arena_.add(md, context.engine, 0, kLastStep);
  values.push_back(v);
  return static_cast<int>(values.size()) - 1;
}

memory Plan::forward_buffer(const memory::desc& md) {
  const int step = forward_step(current_layer_);
  return arena_.add(md, context.engine, step, training ? backward_step(current_layer_) : step);
}

memory Plan::weights_buffer(const memory::desc& md) {
  if (!training) return memory(md, context.engine);
  return forward_scratch(md);
}

memory Plan::forward_scratch(const memory::desc& md) {
  const int step = forward_step(current_layer_);
  return arena_.add(md, context.engine, step, step);
}

memory Plan::backward_buffer(const memory::desc& md) {
  const int step = backward_step(current_layer_);
  return arena_.add(md, context.engine, step, step);
}

void Plan::place_in_arena() {
  // Activations: in inference from their producer to their last reader; in
  // training for the whole step, since backward passes read them.
  std::vector<int> last_read(values.size(), -1);
  for (size_t i = 0; i < layers_.size(); ++i)
    for (int v : layers_[i]->inputs) last_read[v] = static_cast<int>(i);
  for (int out : output_values_) last_read[out] = kLossStep;
  for (size_t v = 0; v < values.size(); ++v) {
    const Value& value = values[v];
    if (value.producer < 0) continue;
    const int first = forward_step(value.producer);
    arena_.set_lifetime(value.mem, first, training ? kLastStep : std::max(first, last_read[v]));
  }
  if (training) {
    // Gradients: from the backward step of the first writer to that of the producer.
    std::vector<int> first_write(values.size(), -1);
    for (int out : output_values_) first_write[out] = kLossStep;
    for (int i = static_cast<int>(layers_.size()) - 1; i >= 0; --i)
      for (int v : layers_[i]->inputs)
        if (first_write[v] < 0) first_write[v] = backward_step(i);
    for (size_t v = 0; v < values.size(); ++v)
      if (values[v].needs_grad)
        arena_.set_lifetime(values[v].diff, first_write[v], backward_step(values[v].producer));
  }
  arena_.finish();
}

dnnl::primitive_attr Plan::attr() const {
  dnnl::primitive_attr a;
  a.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return a;
}

void Plan::add_scratchpad(const memory::desc& md, Args& args) {
  if (md.get_size() == 0) return;
  memory view(md, context.engine, DNNL_MEMORY_NONE);
  scratch_views_.push_back(view);
  args[DNNL_ARG_SCRATCHPAD] = view;
}

void Plan::finish_scratchpad() {
  size_t size = 64;
  for (const auto& view : scratch_views_) size = std::max(size, view.get_desc().get_size());
  scratchpad_.assign(size + 64, 0);
  // oneDNN wants the scratchpad 64-byte aligned.
  char* aligned = scratchpad_.data() + (64 - reinterpret_cast<uintptr_t>(scratchpad_.data()) % 64) % 64;
  for (auto& view : scratch_views_) view.set_data_handle(aligned);
}

namespace {

bool is_activation(Op op) { return op == Op::relu || op == Op::relu6 || op == Op::silu || op == Op::sigmoid; }

}  // namespace

void Plan::build(const Shape& input_shape) {
  const ShapeMap shapes = graph.infer_shapes(input_shape[0], input_shape[2], input_shape[3]);
  const auto& nodes = graph.nodes();
  // Training computes every output (deep supervision averages the loss over
  // them); inference only the first, so auxiliary heads are left out.
  std::vector<int> outputs = graph.outputs();
  if (!training) outputs.resize(1);
  std::vector<bool> needed(nodes.size(), false);
  for (int out : outputs) needed[out] = true;
  for (int id = static_cast<int>(nodes.size()) - 1; id >= 0; --id)
    if (needed[id])
      for (int in : nodes[id].inputs) needed[in] = true;
  std::vector<std::vector<int>> consumers(nodes.size());
  for (const auto& n : nodes)
    if (needed[n.id])
      for (int in : n.inputs) consumers[in].push_back(n.id);
  std::vector<bool> is_output(nodes.size(), false);
  for (int out : outputs) is_output[out] = true;
  // The only reader of `id`, or -1.
  auto sole_consumer = [&](int id) {
    return consumers[id].size() == 1 && !is_output[id] ? consumers[id][0] : -1;
  };

  std::vector<int> value_of(nodes.size(), -1);
  std::vector<bool> fused(nodes.size(), false);
  for (const auto& node : nodes) {
    if (fused[node.id] || !needed[node.id]) continue;
    current_layer_ = static_cast<int>(layers_.size());
    auto in = [&](size_t k) { return value_of[node.inputs[k]]; };
    std::unique_ptr<Layer> layer;
    int last = node.id;          // the last node of the chain this layer runs
    std::vector<int> absorbed;   // nodes after `node` that it runs too
    try {
      switch (node.op) {
        case Op::input:
          input_value_ = add_value(memory::desc(shapes[node.id], dt::f32, tag::nchw), /*needs_grad=*/false);
          value_of[node.id] = input_value_;
          continue;
        case Op::conv2d:
        case Op::conv_transpose2d: {
          const Node* bn = nullptr;
          const Node* act = nullptr;
          if (!training) {
            const int next = sole_consumer(node.id);
            if (node.op == Op::conv2d && next >= 0 && nodes[next].op == Op::batch_norm) {
              bn = &nodes[next];
              last = next;
              absorbed.push_back(next);
            }
            const int after = sole_consumer(last);
            if (after >= 0 && is_activation(nodes[after].op)) {
              act = &nodes[after];
              last = after;
              absorbed.push_back(after);
            }
          }
          const Shape& in_shape = shapes[node.inputs[0]];
          if (runs_as_upconv(node, in_shape, shapes[node.id]))
            layer = make_upconv_layer(*this, node, act, in(0), in_shape, shapes[node.id]);
          else
            layer = make_conv_layer(*this, node, bn, act, in(0), in_shape, shapes[node.id]);
          break;
        }
        case Op::batch_norm: {
          const int next = sole_consumer(node.id);
          const bool fuse_relu = next >= 0 && nodes[next].op == Op::relu;
          if (fuse_relu) absorbed.push_back(next);
          layer = make_batch_norm_layer(*this, node, fuse_relu, in(0));
          break;
        }
        case Op::relu:
        case Op::relu6:
        case Op::silu:
        case Op::sigmoid: layer = make_eltwise_layer(*this, node, in(0)); break;
        case Op::max_pool:
        case Op::avg_pool:
        case Op::global_avg_pool:
          layer = make_pool_layer(*this, node, in(0), shapes[node.inputs[0]], shapes[node.id]);
          break;
        case Op::upsample_bilinear: layer = make_resample_layer(*this, node, in(0), shapes[node.id]); break;
        case Op::concat: {
          std::vector<int> ins;
          std::vector<Shape> in_shapes;
          for (size_t k = 0; k < node.inputs.size(); ++k) {
            ins.push_back(in(k));
            in_shapes.push_back(shapes[node.inputs[k]]);
          }
          layer = make_concat_layer(*this, node, ins, in_shapes);
          break;
        }
        case Op::add: layer = make_add_layer(*this, node, in(0), in(1)); break;
        case Op::mul:
          layer = make_mul_layer(*this, node, in(0), in(1), shapes[node.inputs[0]], shapes[node.inputs[1]]);
          break;
      }
    } catch (const dnnl::error& e) {
      throw BackendError(std::string("oneDNN cannot run this op: ") + e.what(), node_label(node),
                         "use backend.name = libtorch for this model");
    }
    value_of[node.id] = layer->output;
    for (int id : absorbed) {
      fused[id] = true;
      value_of[id] = layer->output;
    }
    layer->label = node_label(node);
    layers_.push_back(std::move(layer));
  }
  logits_.reserve(outputs.size());  // the memories below point into these tensors
  logits_grads_.reserve(outputs.size());
  for (int out : outputs) {
    const int value = value_of[out];
    output_values_.push_back(value);
    logits_.emplace_back(shapes[out]);
    const memory::desc plain(shapes[out], dt::f32, tag::nchw);
    logits_mem_.push_back(wrap(plain, logits_.back().data()));
    to_logits_.push_back(dnnl::reorder(values[value].mem, logits_mem_.back()));
    if (!training) continue;
    logits_grads_.emplace_back(shapes[out]);
    logits_grad_mem_.push_back(wrap(plain, logits_grads_.back().data()));
    from_logits_grad_.push_back(dnnl::reorder(logits_grad_mem_.back(), values[value].diff));
  }

  if (training) {
    // Backward runs the layers in reverse: the loss writes the output's
    // gradient first, then the first layer to reach a value writes its
    // gradient and every later one adds to it.
    std::vector<bool> written(values.size(), false);
    for (int out : output_values_) written[out] = true;
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
      Layer& layer = **it;
      layer.accumulate.assign(layer.inputs.size(), false);
      for (size_t k = 0; k < layer.inputs.size(); ++k) {
        const int v = layer.inputs[k];
        if (!values[v].needs_grad) continue;
        layer.accumulate[k] = written[v];
        written[v] = true;
      }
    }
    for (auto& layer : layers_) {
      current_layer_ = static_cast<int>(&layer - layers_.data());
      try {
        layer->prepare_backward(*this);
      } catch (const dnnl::error& e) {
        throw BackendError(std::string("oneDNN cannot run the backward pass of this op: ") + e.what(), layer->label,
                           "use backend.name = libtorch for this model");
      }
    }
  }
  finish_scratchpad();
  place_in_arena();
}

const std::vector<Tensor>& Plan::forward(const Tensor& images) {
  Value& in = values[input_value_];
  std::memcpy(in.mem.get_data_handle(), images.data(), sizeof(float) * static_cast<size_t>(images.numel()));
  if (!training && refreshed_version_ != params.version) {
    for (auto& layer : layers_) layer->refresh_weights(*this);
    refreshed_version_ = params.version;
  }
  for (auto& layer : layers_) layer->forward(*this);
  for (size_t k = 0; k < output_values_.size(); ++k)
    exec(to_logits_[k], {{DNNL_ARG_FROM, values[output_values_[k]].mem}, {DNNL_ARG_TO, logits_mem_[k]}});
  context.stream.wait();
  return logits_;
}

void Plan::backward(const std::vector<Tensor>& logits_grads) {
  if (!training) throw BackendError("backward pass on an inference plan", "onednn backend");
  if (logits_grads.size() != output_values_.size())
    throw BackendError("backward pass with " + std::to_string(logits_grads.size()) + " output gradients for " +
                           std::to_string(output_values_.size()) + " outputs",
                       "onednn backend");
  for (size_t k = 0; k < output_values_.size(); ++k) {
    const Tensor& grad = logits_grads[k];
    std::memcpy(logits_grads_[k].data(), grad.data(), sizeof(float) * static_cast<size_t>(grad.numel()));
    exec(from_logits_grad_[k], {{DNNL_ARG_FROM, logits_grad_mem_[k]}, {DNNL_ARG_TO, values[output_values_[k]].diff}});
  }
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) (*it)->backward(*this);
  context.stream.wait();
}

}  // namespace seglab::onednn_backend
