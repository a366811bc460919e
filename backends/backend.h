#pragma once
// The whole contract between the engine and a compute backend.
//
// A Backend says what it can run (ops, devices, precisions, preferred memory
// layout) and compiles a model graph with initial weights into a Network. A
// Network trains one batch at a time (forward, loss, backward, optimizer step),
// predicts, and exports/imports its weights and optimizer state by parameter
// name, so a run can move between backends. Nothing outside a backend's folder
// sees its tensor types or devices. Modelled on ggml-backend.h and ONNX
// Runtime's IExecutionProvider.
//
// Thread safety: a Network is used by one thread at a time.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "models/graph.h"

namespace seglab {

struct Capabilities {
  std::vector<Op> ops;
  std::vector<std::string> devices;     // "cpu", "cuda"
  std::vector<std::string> precisions;  // "fp32", "bf16", "fp16"
  std::string preferred_layout;         // "NCHW", "NHWC", "blocked"
};

// Loss: bce | dice | bce_dice (binary) | cross_entropy | dice (multi-class).
// Targets equal to 255 are ignored.
struct LossSpec {
  std::string name = "bce_dice";
  double dice_smooth = 1.0;
};

// Optimizer: sgd (momentum) | adam | adamw, with PyTorch's update rules.
struct OptimizerSpec {
  std::string name = "adamw";
  double momentum = 0.9;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
};

struct CompileOptions {
  std::string device = "auto";  // auto | cpu | cuda
  std::string precision = "fp32";
  int threads = 0;  // 0 = all cores
  std::string layout = "auto";  // auto | nchw | nhwc: LibTorch's activation layout
  bool tf32 = true;             // CUDA fp32 convolutions on TF32 tensor cores (LibTorch: process-wide)
  int64_t num_classes = 2;
  LossSpec loss;
  OptimizerSpec optimizer;
};

class Network {
 public:
  virtual ~Network() = default;

  // One optimisation step. images: N x C x H x W; targets: N x 1 x H x W with
  // class indices (0/1 for binary), 255 = ignore. Returns the batch loss. A
  // graph with several outputs (deep supervision: every output has the
  // prediction's shape) is trained on the mean of the loss over its outputs.
  virtual float train_step(const Tensor& images, const Tensor& targets, double lr) = 0;
  // The same step, queued: returns once the step's work is queued on the
  // device, with a reader that waits for this step alone and returns its loss.
  // The trainer reads a step's loss after queueing the next one, so on CUDA the
  // GPU never waits for the host between steps. The default runs train_step.
  virtual std::function<float()> queue_train_step(const Tensor& images, const Tensor& targets, double lr);
  // Class probabilities of the first output: N x 1 x H x W (sigmoid) for
  // binary, N x K x H x W (softmax) otherwise.
  virtual Tensor predict(const Tensor& images) = 0;

  // Optional. Raw values of the given graph nodes (no sigmoid/softmax) for
  // `images`, in inference mode: an encoder's features, for tests and
  // inspection. The default throws BackendError.
  virtual std::vector<Tensor> node_values(const Tensor& images, const std::vector<int>& nodes);
  // Optional. Trainable parameters named here get no updates from train_step
  // (batch-norm running statistics still update, as in PyTorch with
  // requires_grad = false) until the next call; an empty list unfreezes all.
  // Used by train.freeze_encoder_epochs. The default throws BackendError.
  virtual void set_frozen(const std::vector<std::string>& parameter_names);
  // Raw outputs (logits, N x K x H x W) in inference mode, and the gradients of
  // the trainable parameters from the last train_step by name: what parity
  // checks between backends compare. Optional; the defaults throw BackendError.
  virtual Tensor logits(const Tensor& images);
  virtual NamedTensors gradients() const;

  // Parameters and buffers by name (batch-norm running statistics included).
  virtual NamedTensors weights() const = 0;
  // Throws BackendError naming every missing or wrongly shaped tensor.
  virtual void load_weights(const NamedTensors& weights) = 0;
  // Optimizer state by "<param>.<slot>" (exp_avg, exp_avg_sq, momentum_buffer) and "step".
  virtual NamedTensors optimizer_state() const = 0;
  virtual void load_optimizer_state(const NamedTensors& state) = 0;

  // The device actually used ("cpu", "cuda:0").
  virtual std::string device() const = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  virtual Capabilities capabilities() const = 0;
  // Throws BackendError (naming the op, device or precision) when the graph or
  // options are unsupported, before any work is done.
  virtual std::unique_ptr<Network> compile(const Graph& graph, const NamedTensors& initial_weights,
                                           const CompileOptions& options) const = 0;
  // Library name -> version, for the run record ("libtorch" -> "1.13.1").
  virtual std::map<std::string, std::string> library_versions() const = 0;
};

// Refuses, with the op's name, a graph that uses ops the backend lacks, and an
// unsupported device or precision.
void check_supported(const Backend& backend, const Graph& graph, const CompileOptions& options);

// Refuses loss/class-count combinations that make no sense (bce with 5 classes).
void check_loss(const LossSpec& loss, int64_t num_classes);

}  // namespace seglab
