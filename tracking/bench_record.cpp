#include "tracking/bench_record.h"

namespace seglab {

std::string BenchRecord::machine() const {
  // The GPU decides the number when the model ran on one; the CPU otherwise.
  const bool on_gpu = device.rfind("cuda", 0) == 0 && !gpu.empty();
  std::string text = on_gpu ? gpu : (cpu.empty() ? std::string("unknown CPU") : cpu) + " (" + std::to_string(cores) + " cores)";
  return text + ", " + std::to_string(threads) + (threads == 1 ? " thread" : " threads");
}

}  // namespace seglab
