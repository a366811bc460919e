#pragma once
// One `seglab bench` measurement as the catalog keeps it: the inference
// latency of a run's model at one batch size, with everything that decides the
// number (machine, backend, device, precision, threads) so a figure or a
// reader can say where it was measured. Latencies are per batch, in ms; the
// per-image values are derived, never stored twice.
#include <cstdint>
#include <string>

namespace seglab {

struct BenchRecord {
  int64_t id = 0;  // assigned by the catalog
  std::string run_id;
  std::string created_at;  // ISO 8601, UTC
  std::string checkpoint;  // best | last
  std::string backend;     // libtorch | onednn
  std::string device;      // as the network reports it: cpu, cuda:0
  std::string precision;   // fp32 | bf16 | fp16
  int64_t threads = 0;     // the thread count the backend ran with (never 0 = "all")
  int64_t batch = 1;
  int64_t image_size = 0;  // square input side in pixels (the run's data.image_size)
  int64_t warmup = 0;
  int64_t repeats = 0;
  double median_ms = 0;    // per batch
  double min_ms = 0;
  double p90_ms = 0;
  std::string cpu;         // model name from /proc/cpuinfo
  int64_t cores = 0;       // logical cores online
  std::string gpu;         // CUDA device name, "" on CPU
  std::string host;
  std::string seglab_version;
  std::string seglab_commit;

  double median_ms_per_image() const { return batch > 0 ? median_ms / static_cast<double>(batch) : 0; }
  double min_ms_per_image() const { return batch > 0 ? min_ms / static_cast<double>(batch) : 0; }
  double p90_ms_per_image() const { return batch > 0 ? p90_ms / static_cast<double>(batch) : 0; }
  // "Intel Xeon ... (16 cores), 4 threads" or the GPU when the model ran on one.
  std::string machine() const;
};

}  // namespace seglab
