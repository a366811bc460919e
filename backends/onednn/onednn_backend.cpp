#include "backends/onednn/onednn_backend.h"

#include <dnnl.hpp>
#include <omp.h>

#include <thread>

#include "backends/onednn/dnnl_network.h"
#include "core/error.h"

namespace seglab {
namespace {

// bf16 runs natively with AVX512-BF16 (or AMX). On AVX-512 without them
// oneDNN 2.6 emulates it with the same results, but slower than fp32 (the
// figures are in docs/benchmarks.md), so there bf16 would cost time and accuracy and
// buy nothing: refused, and eval of a bf16 run falls back to fp32. Below
// AVX-512, oneDNN has no bf16 at all.
enum class Bf16 { native, emulated, absent };

Bf16 cpu_bf16() {
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::avx512_core_bf16:
    case dnnl::cpu_isa::avx512_core_amx: return Bf16::native;
    case dnnl::cpu_isa::avx512_core:
    case dnnl::cpu_isa::avx512_core_vnni: return Bf16::emulated;
    default: return Bf16::absent;
  }
}

bool cpu_has_bf16() { return cpu_bf16() == Bf16::native; }

class OneDnnBackend final : public Backend {
 public:
  std::string name() const override { return "onednn"; }

  Capabilities capabilities() const override {
    Capabilities caps;
    caps.ops = all_ops();
    caps.devices = {"cpu"};
    caps.precisions = {"fp32"};
    if (cpu_has_bf16()) caps.precisions.push_back("bf16");
    caps.preferred_layout = "blocked";
    return caps;
  }

  std::unique_ptr<Network> compile(const Graph& graph, const NamedTensors& initial_weights,
                                   const CompileOptions& options) const override {
    if (options.precision == "bf16" && !cpu_has_bf16())
      throw BackendError("precision bf16 needs a CPU with AVX512-BF16 or AMX instructions, which this one lacks",
                         "backend.precision",
                         cpu_bf16() == Bf16::emulated
                             ? "use backend.precision = fp32 (oneDNN could only emulate bf16 here, slower than fp32)"
                             : "use backend.precision = fp32");
    check_supported(*this, graph, options);
    check_loss(options.loss, options.num_classes);
    for (const auto& node : graph.nodes())
      if (node.op == Op::upsample_bilinear && node.attrs.align_corners)
        throw BackendError("upsample_bilinear with align_corners = true is not supported by the onednn backend",
                           onednn_backend::node_label(node), "use backend.name = libtorch for this model");
    const int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
    omp_set_num_threads(std::max(1, threads));
    return std::make_unique<onednn_backend::DnnlNetwork>(graph, initial_weights, options);
  }

  std::map<std::string, std::string> library_versions() const override {
    const dnnl_version_t* v = dnnl_version();
    return {{"onednn", std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch)}};
  }
};

}  // namespace

void register_onednn_backend(Registry<BackendFactory>& registry) {
  registry.add({"onednn", "oneDNN primitives on the CPU: blocked layouts, fused post-ops, batch-norm folding", {}},
               [] { return std::make_unique<OneDnnBackend>(); });
}

}  // namespace seglab
