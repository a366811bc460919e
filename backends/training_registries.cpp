#include "backends/training_registries.h"

#include "backends/libtorch/libtorch_backend.h"
#include "backends/onednn/onednn_backend.h"

namespace seglab {

Registry<LossFactory>& loss_registry() {
  static Registry<LossFactory> registry("loss");
  return registry;
}

Registry<OptimizerFactory>& optimizer_registry() {
  static Registry<OptimizerFactory> registry("optimizer");
  return registry;
}

Registry<BackendFactory>& backend_registry() {
  static Registry<BackendFactory> registry("backend");
  return registry;
}

namespace {

void register_losses() {
  auto& r = loss_registry();
  OptionList smooth;
  smooth.add_real("dice_smooth", 1.0, "added to the Dice numerator and denominator").at_least(0);
  r.add({"bce", "binary cross-entropy on logits (binary)", {}}, [](const Config&) { return LossSpec{"bce", 1.0}; });
  r.add({"dice", "soft Dice loss, per image, averaged (foreground classes for multi-class)", smooth},
        [](const Config& c) { return LossSpec{"dice", c.get_real("train.dice_smooth")}; });
  r.add({"bce_dice", "binary cross-entropy + soft Dice (binary)", smooth},
        [](const Config& c) { return LossSpec{"bce_dice", c.get_real("train.dice_smooth")}; });
  r.add({"cross_entropy", "softmax cross-entropy (three or more classes)", {}},
        [](const Config&) { return LossSpec{"cross_entropy", 1.0}; });
}

OptionList adam_options(double default_weight_decay) {
  OptionList o;
  o.add_real("beta1", 0.9, "first-moment decay").range(0, 0.999999);
  o.add_real("beta2", 0.999, "second-moment decay").range(0, 0.999999);
  o.add_real("eps", 1e-8, "added to the denominator").at_least(0);
  o.add_real("weight_decay", default_weight_decay, "L2 penalty (adam) or decoupled decay (adamw)").at_least(0);
  return o;
}

OptimizerSpec adam_spec(const std::string& name, const Config& c) {
  OptimizerSpec s;
  s.name = name;
  s.beta1 = c.get_real("train.beta1");
  s.beta2 = c.get_real("train.beta2");
  s.eps = c.get_real("train.eps");
  s.weight_decay = c.get_real("train.weight_decay");
  return s;
}

void register_optimizers() {
  auto& r = optimizer_registry();
  OptionList sgd;
  sgd.add_real("momentum", 0.9, "momentum factor").range(0, 0.999999);
  sgd.add_real("weight_decay", 0.0, "L2 penalty added to the gradient").at_least(0);
  r.add({"sgd", "stochastic gradient descent with momentum", sgd}, [](const Config& c) {
    OptimizerSpec s;
    s.name = "sgd";
    s.momentum = c.get_real("train.momentum");
    s.weight_decay = c.get_real("train.weight_decay");
    return s;
  });
  r.add({"adam", "Adam (Kingma & Ba)", adam_options(0.0)}, [](const Config& c) { return adam_spec("adam", c); });
  r.add({"adamw", "Adam with decoupled weight decay (Loshchilov & Hutter)", adam_options(0.01)},
        [](const Config& c) { return adam_spec("adamw", c); });
}

}  // namespace

void register_backends() {
  if (!backend_registry().names().empty()) return;
  register_losses();
  register_optimizers();
  register_libtorch_backend(backend_registry());
  register_onednn_backend(backend_registry());
}

OptionList backend_section_options() {
  OptionList o;
  o.add_text("device", "auto", "auto picks CUDA when present").one_of({"auto", "cpu", "cuda"});
  o.add_text("precision", "fp32", "arithmetic precision").one_of({"fp32", "bf16", "fp16"});
  o.add_int("threads", 0, "CPU threads; 0 = all cores").range(0, 1024);
  o.add_text("layout", "auto",
             "LibTorch activation layout: nhwc (channels_last) or nchw; auto = nhwc on CUDA, nchw on the CPU, "
             "where LibTorch 1.13's fp32 channels_last weight gradients are inaccurate (docs/backends.md); "
             "oneDNN picks its own blocked layouts")
      .one_of({"auto", "nchw", "nhwc"});
  o.add_bool("tf32", true,
             "CUDA, fp32: convolutions on TF32 tensor cores, as PyTorch does by default (about 1e-3 relative "
             "error); false computes them in full fp32");
  return o;
}

std::unique_ptr<Backend> make_backend(const Config& config) {
  return backend_registry().factory(config.get_text("backend.name"), "backend.name")();
}

CompileOptions compile_options(const Config& config) {
  CompileOptions o;
  o.device = config.get_text("backend.device");
  o.precision = config.get_text("backend.precision");
  o.threads = static_cast<int>(config.get_int("backend.threads"));
  o.layout = config.get_text("backend.layout");
  o.tf32 = config.get_bool("backend.tf32");
  o.num_classes = config.get_int("model.num_classes");
  o.loss = loss_registry().factory(config.get_text("train.loss"), "train.loss")(config);
  o.optimizer = optimizer_registry().factory(config.get_text("train.optimizer"), "train.optimizer")(config);
  return o;
}

}  // namespace seglab
