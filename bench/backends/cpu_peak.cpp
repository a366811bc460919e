#include "cpu_peak.h"

#include <immintrin.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace seglab::bench {
namespace {

// 12 independent accumulator chains cover FMA latency (4 cycles) times two
// FMA pipes with room to spare; the result is kept so nothing is optimised away.
constexpr int kChains = 12;
constexpr long kInnerIterations = 1 << 16;

__attribute__((target("avx512f"))) float fma_loop_avx512(long outer) {
  __m512 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_ps(0.001f * static_cast<float>(c));
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long o = 0; o < outer; ++o)
    for (long i = 0; i < kInnerIterations; ++i)
      for (int c = 0; c < kChains; ++c) acc[c] = _mm512_fmadd_ps(acc[c], a, b);
  __m512 sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = _mm512_add_ps(sum, acc[c]);
  return _mm512_reduce_add_ps(sum);
}

__attribute__((target("avx512f,avx512bf16"))) float dpbf16_loop(long outer) {
  __m512 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_ps(0.001f * static_cast<float>(c));
  const __m512bh a = _mm512_cvtne2ps_pbh(_mm512_set1_ps(1e-3f), _mm512_set1_ps(1e-3f));
  const __m512bh b = _mm512_cvtne2ps_pbh(_mm512_set1_ps(1e-3f), _mm512_set1_ps(1e-3f));
  for (long o = 0; o < outer; ++o)
    for (long i = 0; i < kInnerIterations; ++i)
      for (int c = 0; c < kChains; ++c) acc[c] = _mm512_dpbf16_ps(acc[c], a, b);
  __m512 sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = _mm512_add_ps(sum, acc[c]);
  return _mm512_reduce_add_ps(sum);
}

__attribute__((target("avx2,fma"))) float fma_loop_avx2(long outer) {
  __m256 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm256_set1_ps(0.001f * static_cast<float>(c));
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long o = 0; o < outer; ++o)
    for (long i = 0; i < kInnerIterations; ++i)
      for (int c = 0; c < kChains; ++c) acc[c] = _mm256_fmadd_ps(acc[c], a, b);
  float lanes[8];
  __m256 sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = _mm256_add_ps(sum, acc[c]);
  _mm256_storeu_ps(lanes, sum);
  return lanes[0] + lanes[7];
}

// FLOP/s of `loop` run on `threads` threads at once, each for about `seconds`.
template <typename Loop>
double all_threads_gflops(int threads, double seconds, Loop loop, double flop_per_inner_iteration) {
  // Calibrate the outer count on one thread, then run all threads together.
  long outer = 1;
  for (;;) {
    const auto start = std::chrono::steady_clock::now();
    volatile float sink = loop(outer);
    (void)sink;
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > seconds / 8) break;
    outer *= 2;
  }
  outer *= 8;
  std::atomic<int> ready{0};
  std::vector<double> rates(static_cast<size_t>(threads));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < threads) std::this_thread::yield();
      const auto start = std::chrono::steady_clock::now();
      volatile float sink = loop(outer);
      (void)sink;
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      rates[static_cast<size_t>(t)] = static_cast<double>(outer) * kInnerIterations * flop_per_inner_iteration / s;
    });
  for (auto& thread : pool) thread.join();
  double total = 0;
  for (double r : rates) total += r;
  return total / 1e9;
}

}  // namespace

CpuPeak measure_cpu_peak(int threads, double seconds) {
  CpuPeak peak;
  if (__builtin_cpu_supports("avx512f")) {
    peak.isa = "avx512";
    peak.fp32_gflops = all_threads_gflops(threads, seconds, fma_loop_avx512, kChains * 16 * 2.0);
    if (__builtin_cpu_supports("avx512bf16"))
      peak.bf16_gflops = all_threads_gflops(threads, seconds, dpbf16_loop, kChains * 16 * 4.0);
  } else {
    peak.isa = "avx2";
    peak.fp32_gflops = all_threads_gflops(threads, seconds, fma_loop_avx2, kChains * 8 * 2.0);
  }
  return peak;
}

}  // namespace seglab::bench
