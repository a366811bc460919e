#pragma once
// A sweep file is an experiment file with a [sweep] section. Keys with a dot
// name the config key they vary (`model.encoder = plain, resnet18`); keys
// without one control the sweep:
//   method = grid | random     trials = N (random)     seed = N (random sampling)
//   repeats = N                seeds = 1, 2, 3         (each configuration once per seed)
//   launcher = local           and the launcher's options (local: jobs = N)
//   launcher = slurm           with its options in a [slurm] section
// The rest of the file (without [slurm]) is the base experiment every run starts from.
#include <string>
#include <vector>

#include "core/config.h"
#include "core/config_schema.h"
#include "core/ini_reader.h"
#include "engine/sweep/sweep_dimension.h"

namespace seglab {

struct SweepSpec {
  RawConfig base;                          // the file without its [sweep] section
  std::vector<SweepDimension> dimensions;  // in file order
  RawConfig controls;                      // "sweep.method", "sweep.jobs", ... as written
};

// The first [sweep] entry of a config, or nullptr.
const RawEntry* find_sweep_entry(const RawConfig& raw);

// Splits a sweep file into base, dimensions and controls; throws ConfigError for
// a file without a [sweep] section and for malformed values.
SweepSpec split_sweep_file(const RawConfig& raw);

// The [sweep] control keys: their own options plus the chosen launcher's.
const ConfigSchema& sweep_control_schema();
// Resolves the controls (defaults filled in, values checked), after `overrides`
// such as {"sweep.jobs", "2"} from the command line.
Config resolve_sweep_controls(const SweepSpec& spec, const std::vector<RawEntry>& overrides = {});

}  // namespace seglab
