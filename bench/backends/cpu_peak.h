#pragma once
// The CPU's arithmetic peak, measured rather than assumed: every thread runs a
// loop of independent fused multiply-adds at once (AVX-512 when the CPU has it,
// else AVX2), so the figure reflects this CPU's vector width, FMA pipes and
// the clock it really runs at under an all-core load. The assumed formula
// (cores x GHz x FLOP/cycle) needs the FLOP/cycle, which differs by
// generation: Zen 4 splits a 512-bit FMA into two 256-bit halves (32 fp32
// FLOP/cycle/core), Zen 5 does not (64).

namespace seglab::bench {

struct CpuPeak {
  double fp32_gflops = 0;  // vfmadd231ps
  double bf16_gflops = 0;  // vdpbf16ps (2 products + 2 adds per fp32 lane); 0 without AVX512-BF16
  const char* isa = "";    // "avx512" or "avx2"
};

// Runs `threads` threads for about `seconds` each and sums their rates.
CpuPeak measure_cpu_peak(int threads, double seconds = 0.5);

}  // namespace seglab::bench
