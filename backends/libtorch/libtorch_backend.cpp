#include "backends/libtorch/libtorch_backend.h"

#include <ATen/Parallel.h>
#include <ATen/Context.h>
#include <ATen/Version.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <regex>
#include <thread>

#include "backends/libtorch/torch_network.h"
#include "core/error.h"

namespace seglab {
namespace {

class LibTorchBackend final : public Backend {
 public:
  std::string name() const override { return "libtorch"; }

  Capabilities capabilities() const override {
    Capabilities caps;
    caps.ops = all_ops();
    caps.devices = {"cpu"};
    if (torch::cuda::is_available()) caps.devices.push_back("cuda");
    caps.precisions = {"fp32"};
    // Mixed precision (autocast, with loss scaling for fp16) on CUDA only: on the
    // CPU, bf16 belongs to the onednn backend.
    if (torch::cuda::is_available()) caps.precisions.insert(caps.precisions.end(), {"fp16", "bf16"});
    caps.preferred_layout = "NCHW";
    return caps;
  }

  std::unique_ptr<Network> compile(const Graph& graph, const NamedTensors& initial_weights,
                                   const CompileOptions& options) const override {
    const bool cuda = options.device == "cuda" || (options.device == "auto" && torch::cuda::is_available());
    if (!cuda && options.precision != "fp32")
      throw BackendError("precision " + options.precision +
                             " runs on CUDA only in the libtorch backend, and this run is on the CPU",
                         "backend.precision",
                         "use backend.precision = fp32, or backend.name = onednn for bf16 on the CPU");
    check_supported(*this, graph, options);
    check_loss(options.loss, options.num_classes);
    const int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
    at::set_num_threads(std::max(1, threads));
    if (cuda) {
      at::globalContext().setBenchmarkCuDNN(true);  // autotune convolution algorithms per shape
      at::globalContext().setAllowTF32CuDNN(options.tf32);
    }
    const at::Device device = cuda ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
    return std::make_unique<torch_backend::TorchNetwork>(graph, initial_weights, options, device);
  }

  std::map<std::string, std::string> library_versions() const override {
    std::map<std::string, std::string> versions{{"libtorch", TORCH_VERSION}};
    // The oneDNN (MKL-DNN) build inside LibTorch decides CPU convolution numerics.
    static const std::string config = at::show_config();
    std::smatch match;
    if (std::regex_search(config, match, std::regex("(?:MKL-DNN|oneDNN) v([0-9][^ \\n(]*)")))
      versions["onednn"] = match[1].str();
    return versions;
  }
};

}  // namespace

void register_libtorch_backend(Registry<BackendFactory>& registry) {
  registry.add({"libtorch", "LibTorch ops and autograd; CPU, or CUDA when present", {}},
               [] { return std::make_unique<LibTorchBackend>(); });
}

}  // namespace seglab
