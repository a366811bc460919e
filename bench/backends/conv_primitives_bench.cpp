// What oneDNN's own convolution primitives reach on this CPU, fp32 against
// bf16, on the U-Net's 3x3 layer shapes: the bound for the backends
// benchmark's bf16 / fp32 ratio, since an inference step of the oneDNN backend
// is almost all convolutions (batch norm folded, activations fused). Every
// primitive runs in the layouts it picks (format_tag::any), as in the backend.
// This is the one program outside backends/onednn that includes oneDNN: it
// measures the library, not seglab.
//
//   build/bench/bench_conv_primitives [--size 256] [--batch 1] [--repeats 5]
#include <dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "bench/backends/cpu_peak.h"

namespace {

using memory = dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

struct Shape {
  int64_t channels_in, channels_out, size;
};

template <typename Run>
double median_seconds(int repeats, Run run) {
  run();
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    run();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// Seconds of one forward (inference) and one weight-gradient pass.
std::pair<double, double> time_conv(dnnl::engine& engine, dnnl::stream& stream, const Shape& s, int64_t batch,
                                    dt type, int repeats) {
  const memory::dims src{batch, s.channels_in, s.size, s.size}, dst{batch, s.channels_out, s.size, s.size},
      wei{s.channels_out, s.channels_in, 3, 3}, strides{1, 1}, pad{1, 1};
  const memory::desc src_md(src, type, tag::any), dst_md(dst, type, tag::any), wei_md(wei, type, tag::any);
  const dnnl::convolution_forward::desc fwd_d(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                              src_md, wei_md, dst_md, strides, pad, pad);
  const dnnl::convolution_forward::primitive_desc fwd_pd(fwd_d, engine);
  memory src_m(fwd_pd.src_desc(), engine), wei_m(fwd_pd.weights_desc(), engine), dst_m(fwd_pd.dst_desc(), engine);
  // Non-zero data: denormals or zeros could make either path look faster.
  for (memory* m : {&src_m, &wei_m}) {
    auto* bytes = static_cast<uint8_t*>(m->get_data_handle());
    for (size_t i = 0; i < m->get_desc().get_size(); ++i) bytes[i] = static_cast<uint8_t>(0x3c + (i % 3));
  }
  dnnl::convolution_forward fwd(fwd_pd);
  const double forward = median_seconds(repeats, [&] {
    fwd.execute(stream, {{DNNL_ARG_SRC, src_m}, {DNNL_ARG_WEIGHTS, wei_m}, {DNNL_ARG_DST, dst_m}});
    stream.wait();
  });
  // fp32 weight gradients, as the backend keeps them, from activations in `type`.
  const memory::desc dwei_md(wei, dt::f32, tag::any);
  const dnnl::convolution_backward_weights::desc bwd_d(dnnl::algorithm::convolution_direct, fwd_pd.src_desc(),
                                                       dwei_md, fwd_pd.dst_desc(), strides, pad, pad);
  const dnnl::convolution_backward_weights::primitive_desc bwd_pd(bwd_d, engine, fwd_pd);
  memory dwei_m(bwd_pd.diff_weights_desc(), engine), ddst_m(bwd_pd.diff_dst_desc(), engine);
  if (bwd_pd.diff_dst_desc() == dst_m.get_desc()) ddst_m = dst_m;
  dnnl::convolution_backward_weights bwd(bwd_pd);
  const double weights = median_seconds(repeats, [&] {
    bwd.execute(stream, {{DNNL_ARG_SRC, src_m}, {DNNL_ARG_DIFF_DST, ddst_m}, {DNNL_ARG_DIFF_WEIGHTS, dwei_m}});
    stream.wait();
  });
  return {forward, weights};
}

}  // namespace

int main(int argc, char** argv) {
  int64_t size = 256, batch = 1;
  int repeats = 5;
  for (int i = 1; i < argc; i += 2) {
    const std::string key = argv[i];
    if (i + 1 >= argc) {
      std::cerr << "bench_conv_primitives: " << key << " needs a value\n";
      return 2;
    }
    if (key == "--size") size = std::stoll(argv[i + 1]);
    else if (key == "--batch") batch = std::stoll(argv[i + 1]);
    else if (key == "--repeats") repeats = std::stoi(argv[i + 1]);
    else {
      std::cerr << "bench_conv_primitives: unknown option " << key
                << " (options: --size 256 --batch 1 --repeats 5)\n";
      return 2;
    }
  }
  dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  dnnl::stream stream(engine);
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const seglab::bench::CpuPeak peak = seglab::bench::measure_cpu_peak(threads);
  std::printf("peak (FMA / dpbf16 loops, %d threads): %.0f GFLOP/s fp32, %.0f bf16 (%.2fx)\n", threads,
              peak.fp32_gflops, peak.bf16_gflops, peak.fp32_gflops > 0 ? peak.bf16_gflops / peak.fp32_gflops : 0);
  std::printf("3x3 convolutions at batch %lld, median of %d; GFLOP/s (%% of the measured peak)\n\n",
              static_cast<long long>(batch), repeats);
  std::printf("%-16s %-20s %-20s %6s   %-20s %-20s %6s\n", "layer", "fwd fp32", "fwd bf16", "ratio", "wgrad fp32",
              "wgrad bf16", "ratio");
  double total[4] = {0, 0, 0, 0};
  double flop_total = 0;
  for (int64_t c = 64, s = size; c <= 1024 && s >= 8; c *= 2, s /= 2) {
    const Shape shape{c, c, s};
    const double flop = 2.0 * static_cast<double>(batch * c * c * 9 * s * s);
    const auto [f32_fwd, f32_w] = time_conv(engine, stream, shape, batch, dt::f32, repeats);
    const auto [bf_fwd, bf_w] = time_conv(engine, stream, shape, batch, dt::bf16, repeats);
    auto cell = [&](double seconds, double peak_gflops) {
      char text[32];
      std::snprintf(text, sizeof text, "%.0f (%.0f%%)", flop / seconds / 1e9, 100 * flop / seconds / 1e9 / peak_gflops);
      return std::string(text);
    };
    const std::string name = std::to_string(c) + "->" + std::to_string(c) + " " + std::to_string(s) + "^2";
    std::printf("%-16s %-20s %-20s %5.2fx   %-20s %-20s %5.2fx\n", name.c_str(), cell(f32_fwd, peak.fp32_gflops).c_str(),
                cell(bf_fwd, peak.bf16_gflops).c_str(), f32_fwd / bf_fwd, cell(f32_w, peak.fp32_gflops).c_str(),
                cell(bf_w, peak.bf16_gflops).c_str(), f32_w / bf_w);
    total[0] += f32_fwd, total[1] += bf_fwd, total[2] += f32_w, total[3] += bf_w;
    flop_total += flop;
    std::fflush(stdout);
  }
  std::printf("%-16s %-20.0f %-20.0f %5.2fx   %-20.0f %-20.0f %5.2fx\n", "all (GFLOP/s)", flop_total / total[0] / 1e9,
              flop_total / total[1] / 1e9, total[0] / total[1], flop_total / total[2] / 1e9,
              flop_total / total[3] / 1e9, total[2] / total[3]);

  return 0;
}
