#include "engine/run_record.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <opencv2/core/version.hpp>
#include <thread>

#include "core/text.h"
#include "core/version.h"
#include "tracking/library_versions.h"

namespace seglab {

std::string host_name() {
  char name[256] = {0};
  gethostname(name, sizeof name - 1);
  return name;
}

std::map<std::string, std::string> make_run_record(const Config& config, const DatasetAdapter& dataset,
                                                   const Backend& backend, const Network& network,
                                                   const std::string& command_line) {
  std::map<std::string, std::string> r;
  r["seglab.version"] = seglab_version();
  r["seglab.git_commit"] = git_commit();
  r["seglab.git_dirty"] = git_dirty() ? "true" : "false";
  r["config.hash"] = config.hash();
  r["seed"] = std::to_string(config.get_int("experiment.seed"));
  r["data.fingerprint"] = dataset.fingerprint();
  r["data.description"] = dataset.describe();
  r["data.samples"] = std::to_string(dataset.size());
  r["backend.name"] = backend.name();
  r["backend.device"] = network.device();
  r["backend.precision"] = config.get_text("backend.precision");
  r["threads.configured"] = std::to_string(config.get_int("backend.threads"));
  r["threads.hardware"] = std::to_string(std::thread::hardware_concurrency());
  for (const char* variable : {"OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"})
    if (const char* value = std::getenv(variable)) r[std::string("env.") + variable] = value;
  for (const auto& [name, version] : backend.library_versions()) r["lib." + name] = version;
  r["lib.opencv"] = CV_VERSION;
  for (const auto& [name, version] : tracking_library_versions()) r["lib." + name] = version;
  // Under Slurm: which job and array task ran it (`sweep.launcher = slurm`, or srun/sbatch by hand).
  for (const auto& [variable, key] : {std::pair<const char*, const char*>{"SLURM_JOB_ID", "slurm.job_id"},
                                      {"SLURM_ARRAY_JOB_ID", "slurm.array_job_id"},
                                      {"SLURM_ARRAY_TASK_ID", "slurm.array_task_id"},
                                      {"SLURM_JOB_PARTITION", "slurm.partition"},
                                      {"SLURMD_NODENAME", "slurm.node"},
                                      {"SLURM_RESTART_COUNT", "slurm.restart_count"}})
    if (const char* value = std::getenv(variable)) r[key] = value;
  r["host"] = host_name();
  r["command"] = command_line;
  std::error_code ec;
  r["cwd"] = std::filesystem::current_path(ec).string();
  return r;
}

}  // namespace seglab
