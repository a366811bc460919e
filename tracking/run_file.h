#pragma once
// run.h5: a run's checkpoints (weights and optimizer state by parameter name,
// with the training state needed to resume), curves and per-image scores, in
// HDF5, readable with h5dump or h5py:
//
//   /                      attrs: format = "seglab-run", format_version, run_id, written_at
//   /checkpoints/last/     attrs: epoch, step, metric_name, metric_value, and the
//                          resume state: batches_into_epoch, epoch_loss_sum,
//                          epoch_images, rng_seed, rng_streams, lr_next
//       weights/<name>     float32, the parameter's shape (attr shape_convention)
//       optimizer/<name>   float32 ("<param>.exp_avg", ..., "step")
//   /checkpoints/best      the same, or a soft link to last when last is best
//   /checkpoints/epoch_0005  every train.checkpoint_every epochs, kept
//   /curves/<key>          float64 [N, 2]: epoch, value   (attrs columns, unit)
//   /per_image/<source>    float64 [images, metrics]   (attrs columns, epoch)
//   /per_image/<source>_ids  strings, the image ids of the rows
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
  // Resume state. Every random stream of a run is forked from its seed by
  // purpose and epoch (core/rng.h), so the seed and the position below restore
  // the data order, shuffling and augmentation exactly; the LR schedule is a
  // function of `step`.
  int64_t batches_into_epoch = 0;  // batches of epoch + 1 already trained (mid-epoch interrupt)
  double epoch_loss_sum = 0;       // their summed losses, to finish the epoch's mean bit for bit
  int64_t epoch_images = 0;
  uint64_t rng_seed = 0;
  std::string rng_streams;  // which streams derive from the seed, for readers
  double lr_next = 0;       // the rate of the next step, for readers
};

struct PerImageTable {
  int64_t epoch = 0;
  std::vector<std::string> ids;
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;  // [image][column]
};

struct Curve {
  std::vector<double> epochs;
  std::vector<double> values;
};

struct RunFileContents {
  std::string run_id;
  std::optional<Checkpoint> last;
  std::optional<Checkpoint> best;
  // Periodic checkpoints written with this file, by epoch ("epoch_0005").
  std::map<int64_t, Checkpoint> periodic;
  // Copy the periodic checkpoints already in the file being replaced, so they
  // need not be held in memory.
  bool keep_existing_periodic = true;
  std::map<std::string, Curve> curves;
  std::map<std::string, PerImageTable> per_image;  // by source ("val")
};

void write_run_file(const std::string& path, const RunFileContents& contents);
// `which` is "best" or "last"; throws StoreError naming the file when it is
// missing, truncated or lacks that checkpoint.
Checkpoint read_checkpoint(const std::string& path, const std::string& which);
std::map<std::string, Curve> read_curves(const std::string& path);
std::map<std::string, PerImageTable> read_per_image(const std::string& path);
// Names under /checkpoints ("best", "epoch_0005", "last"), sorted.
std::vector<std::string> list_checkpoints(const std::string& path);
// "epoch_0005" for 5.
std::string periodic_checkpoint_name(int64_t epoch);
// Unit of a curve by its key, for the `unit` attribute and tables.
std::string metric_unit(const std::string& key);

}  // namespace seglab
