#pragma once
// `seglab sweep <file>`, `sweep resume <id>`, `sweep status <id>`, `sweep
// cancel <id>`: loads and checks the whole sweep before anything runs, finds or
// creates its catalog entry, and hands the cells that are not finished to the
// launcher.
#include <optional>
#include <ostream>
#include <string>

#include "core/config.h"
#include "engine/sweep/sweep_expansion.h"
#include "engine/sweep/sweep_spec.h"
#include "tracking/run_store.h"

namespace seglab {

// A sweep file's text, split, its controls resolved and its runs expanded and
// validated. Throws ConfigError for any bad key or value.
struct LoadedSweep {
  std::string text;
  SweepSpec spec;
  Config controls;
  SweepPlan plan;
};
// `jobs` (--jobs) sets sweep.jobs; `wait` (--wait) sets slurm.wait.
LoadedSweep load_sweep(const std::string& text, const std::string& source, std::optional<int> jobs = std::nullopt,
                       bool wait = false);

struct SweepRequest {
  std::string file;          // the sweep file (`seglab sweep <file>`), or
  std::string resume_id;     // a sweep id or prefix (`seglab sweep resume <id>`)
  std::optional<int> jobs;   // --jobs
  bool wait = false;         // --wait: the Slurm launcher waits for its job array
  bool dry_run = false;      // print the runs, launch nothing, write nothing
  bool new_sweep = false;    // --new: do not resume the file's earlier sweep
  std::string store;         // store folder
  std::ostream* out = nullptr;
};

// Returns the exit status: 0 when every cell is finished, 1 when some failed,
// 130 when interrupted.
int run_sweep(const SweepRequest& request);

// Prints every cell with its state and run, the counts and the best run so far.
// With the Slurm launcher, also each cell's Slurm task and its state.
void print_sweep_status(RunStore& store, const std::string& sweep_id_or_prefix, std::ostream& out);

// `seglab sweep cancel <id>`: scancel of the sweep's job arrays still queued.
int cancel_sweep(RunStore& store, const std::string& sweep_id_or_prefix, std::ostream& out);

}  // namespace seglab
