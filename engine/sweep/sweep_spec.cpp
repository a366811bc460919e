#include "engine/sweep/sweep_spec.h"

#include "core/error.h"
#include "core/text.h"
#include "engine/sweep/launcher.h"
#include "engine/sweep/slurm_options.h"

namespace seglab {

const RawEntry* find_sweep_entry(const RawConfig& raw) {
  for (const auto& entry : raw.entries)
    if (starts_with(entry.key, "sweep.")) return &entry;
  return nullptr;
}

SweepSpec split_sweep_file(const RawConfig& raw) {
  const std::string file = raw.source.empty() ? std::string("sweep file") : raw.source;
  if (!find_sweep_entry(raw))
    throw ConfigError("no [sweep] section: nothing to vary", file,
                      "add a [sweep] section (e.g. model.encoder = plain, resnet18), or run it with `seglab train`");
  SweepSpec spec;
  spec.base.source = raw.source;
  spec.controls.source = raw.source;
  for (const auto& entry : raw.entries) {
    // [slurm] says where runs go, not what they are: a control, outside every job key.
    if (starts_with(entry.key, "slurm.")) {
      spec.controls.entries.push_back(entry);
      continue;
    }
    if (!starts_with(entry.key, "sweep.")) {
      spec.base.entries.push_back(entry);
      continue;
    }
    const std::string key = entry.key.substr(6);
    if (key.find('.') == std::string::npos)
      spec.controls.entries.push_back(entry);
    else
      spec.dimensions.push_back(parse_sweep_dimension(key, entry.value, entry.origin));
  }
  return spec;
}

namespace {

ConfigSchema build_control_schema() {
  register_launchers();
  ConfigSchema schema;
  OptionList sweep;
  sweep.add_text("method", "grid", "grid: every combination of the lists; random: sweep.trials samples")
      .one_of({"grid", "random"});
  sweep.add_int("trials", 0, "configurations drawn by random search (required for method = random)").range(0, 100000);
  sweep.add_int("seed", 0, "seed of random search; the same seed draws the same trials").at_least(0);
  sweep.add_int("repeats", 1, "runs of each configuration, with experiment.seed, +1, +2, ...").range(1, 1000);
  sweep.add_list("seeds", "", "experiment.seed values to run each configuration with (instead of repeats)");
  schema.add_section("sweep", "how the runs of a sweep are chosen and launched", sweep);
  schema.add_selector("sweep.launcher", launcher_registry(), "local", "where runs are started (seglab list launchers)");
  schema.add_section("slurm", "what each Slurm array task asks for (sweep.launcher = slurm)", slurm_options());
  return schema;
}

}  // namespace

const ConfigSchema& sweep_control_schema() {
  static const ConfigSchema schema = build_control_schema();
  return schema;
}

Config resolve_sweep_controls(const SweepSpec& spec, const std::vector<RawEntry>& overrides) {
  RawConfig controls = spec.controls;
  for (const auto& entry : overrides) controls.set(entry.key, entry.value, entry.origin);
  Config resolved = sweep_control_schema().resolve(controls);
  const std::string launcher = resolved.get_text("sweep.launcher");
  if (launcher != "slurm") {
    for (const auto& entry : controls.entries)
      if (starts_with(entry.key, "slurm."))
        throw ConfigError("[slurm] options apply only to sweep.launcher = slurm, and this sweep uses " + launcher,
                          entry.origin + " " + entry.key, "set launcher = slurm in [sweep], or remove the [slurm] section");
  } else {
    try {
      slurm_settings(resolved);  // formats Slurm would only refuse at submission
    } catch (const ConfigError& e) {
      const RawEntry* entry = controls.find(e.input());
      if (!entry) throw;
      throw ConfigError(e.reason(), entry->origin + " " + entry->key, e.remedy());
    }
  }
  return resolved;
}

}  // namespace seglab
