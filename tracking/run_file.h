#pragma once
// run.h5: a run's checkpoints (weights and optimizer state by parameter name)
// and curves, in HDF5, readable with h5dump or h5py:
//
//   /                      attrs: format = "seglab-run", format_version, run_id
//   /checkpoints/last/     attrs: epoch, step, metric_name, metric_value
//       weights/<name>     float32, the parameter's shape
//       optimizer/<name>   float32 ("<param>.exp_avg", ..., "step")
//   /checkpoints/best      the same, or a soft link to last when last is best
//   /curves/<key>          float64 [N, 2]: epoch, value   (attr columns)
//
// The file is always written whole to run.h5.tmp, synced, then renamed over
// run.h5, so a crash mid-write leaves the previous file intact.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace seglab {

struct Checkpoint {
  int64_t epoch = 0;  // 1-based epoch after which it was taken
  int64_t step = 0;   // optimizer steps done
  std::string metric_name;
  double metric_value = 0;
  NamedTensors weights;
  NamedTensors optimizer;
};

struct Curve {
  std::vector<double> epochs;
  std::vector<double> values;
};

struct RunFileContents {
  std::string run_id;
  std::optional<Checkpoint> last;
  std::optional<Checkpoint> best;
  std::map<std::string, Curve> curves;
};

void write_run_file(const std::string& path, const RunFileContents& contents);
// `which` is "best" or "last"; throws StoreError naming the file when it is
// missing, truncated or lacks that checkpoint.
Checkpoint read_checkpoint(const std::string& path, const std::string& which);
std::map<std::string, Curve> read_curves(const std::string& path);

}  // namespace seglab
