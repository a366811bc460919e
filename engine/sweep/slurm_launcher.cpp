#include "engine/sweep/slurm_launcher.h"

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/text.h"
#include "engine/sweep/external_program.h"
#include "engine/sweep/slurm_queue.h"
#include "tracking/run_info.h"
#include "tracking/store_location.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

// For the shell: 'text' with embedded quotes escaped.
std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void require_absolute(const std::string& path, const std::string& what) {
  if (!fs::path(path).is_absolute())
    throw Error(what + " must be an absolute path for Slurm jobs: " + path, "sweep.launcher = slurm");
}

// The next free array-N.sh in the sweep's slurm folder.
std::string next_script_path(const std::string& sweep_dir) {
  for (int n = 1;; ++n) {
    const std::string path = sweep_dir + "/slurm/array-" + std::to_string(n) + ".sh";
    if (!fs::exists(path)) return path;
  }
}

// "1234" from sbatch --parsable's "1234" or "1234;cluster".
std::string parse_job_id(const std::string& out) {
  const std::string id = trim(out.substr(0, out.find(';')));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) return "";
  return id;
}

}  // namespace

SlurmLauncher::SlurmLauncher(std::string executable, SlurmSettings settings)
    : executable_(std::move(executable)), settings_(std::move(settings)) {}

std::string SlurmLauncher::describe() const {
  const SlurmSettings& s = settings_;
  std::string text = "slurm, one job array, partition " + (s.partition.empty() ? "(default)" : s.partition) + ", " +
                     std::to_string(s.cpus_per_task) + " CPU" + (s.cpus_per_task == 1 ? "" : "s") + " per task";
  if (!s.mem.empty()) text += ", " + s.mem + " memory";
  if (!s.gres.empty()) text += ", gres " + s.gres;
  const bool minutes = !s.time.empty() && s.time.find_first_not_of("0123456789") == std::string::npos;
  text += ", time limit " + (s.time.empty() ? std::string("(partition default)") : s.time + (minutes ? " min" : ""));
  if (s.signal_seconds > 0) text += ", SIGTERM " + std::to_string(s.signal_seconds) + " s before it";
  text += s.requeue ? ", requeued on preemption" : ", not requeued";
  if (s.max_parallel > 0) text += ", at most " + std::to_string(s.max_parallel) + " at once";
  return text;
}

std::string slurm_batch_script(const SlurmSettings& settings, const LaunchContext& context,
                               const std::vector<std::string>& keys, const std::string& executable) {
  require_absolute(executable, "the seglab binary");
  if (!is_postgres_location(context.store_root)) require_absolute(context.store_root, "the store");
  require_absolute(context.sweep_dir, "the sweep folder");
  std::string s = "#!/bin/bash\n";
  s += "# Written by `seglab sweep` for sweep " + context.sweep_id + " (" + context.name + "): array task i trains\n"
       "# cell keys[i] into the store below. `seglab sweep status " + context.sweep_id + "` shows where they stand.\n";
  s += "#SBATCH --job-name=seglab-" + context.sweep_id + "\n";
  for (const auto& flag : slurm_flags(settings)) s += "#SBATCH " + flag + "\n";
  s += "set -eu\n";
  s += "keys=(" + join(keys, " ") + ")\n";
  s += "key=${keys[$SLURM_ARRAY_TASK_ID]}\n";
  s += "log=" + shell_quote(context.sweep_dir + "/logs/") + "\"$key.log\"\n";
  s += "echo \"=== $(date -u +%Y-%m-%dT%H:%M:%SZ) Slurm job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on $(hostname)\" "
       ">> \"$log\"\n";
  s += "# exec: seglab becomes the batch shell, so the time-limit signal (--signal=B:TERM@N)\n"
       "# and scancel's SIGTERM reach the trainer, which checkpoints and marks the run interrupted.\n";
  s += "exec " + shell_quote(executable) + " sweep run-cell " + context.sweep_id + " \"$key\" --store " +
       shell_quote(context.store_root) + " >> \"$log\" 2>&1\n";
  return s;
}

std::vector<std::string> sbatch_arguments(const SlurmSettings& settings, const LaunchContext& context,
                                          size_t task_count, const std::string& script_path) {
  std::string array = "--array=0-" + std::to_string(task_count - 1);
  if (settings.max_parallel > 0) array += "%" + std::to_string(settings.max_parallel);
  // On the command line, not in #SBATCH lines: those take no quoting, and the store path may have spaces.
  std::vector<std::string> args{"sbatch", "--parsable", array, "--output=" + context.sweep_dir + "/slurm/slurm-%A_%a.out"};
  args.insert(args.end(), settings.extra.begin(), settings.extra.end());
  args.push_back(script_path);
  return args;
}

Launcher::Result SlurmLauncher::run(const std::vector<LaunchJob>& jobs, const LaunchContext& context, LaunchObserver&) {
  Result result;
  result.queued = true;
  if (jobs.empty()) {
    result.summary = "nothing to submit";
    return result;
  }

  // A cell whose latest task is still pending or running is not submitted twice.
  const auto latest = latest_slurm_task_per_key(read_slurm_submissions(context.sweep_dir));
  std::set<std::string> earlier_ids;
  for (const auto& job : jobs) {
    auto it = latest.find(job.key);
    if (it != latest.end()) earlier_ids.insert(it->second.array_job_id);
  }
  const auto live = squeue_states({earlier_ids.begin(), earlier_ids.end()});
  std::vector<std::string> keys, queued;
  for (const auto& job : jobs) {
    auto it = latest.find(job.key);
    if (it != latest.end() && live.count(it->second.id()))
      queued.push_back(job.key + " (" + it->second.id() + " " + live.at(it->second.id()) + ")");
    else
      keys.push_back(job.key);
  }
  std::string already;
  if (!queued.empty()) already = std::to_string(queued.size()) + " still queued, not submitted again: " + join(queued, ", ");
  if (keys.empty()) {
    result.summary = already;
    return result;
  }

  fs::create_directories(context.sweep_dir + "/slurm");
  fs::create_directories(context.sweep_dir + "/logs");
  const std::string script_path = next_script_path(context.sweep_dir);
  write_file_atomically(script_path, slurm_batch_script(settings_, context, keys, executable_));
  fs::permissions(script_path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);

  const std::vector<std::string> args = sbatch_arguments(settings_, context, keys.size(), script_path);
  const ProgramOutput sbatch = run_program(args);
  if (!sbatch.started)
    throw Error("cannot run sbatch: not found in PATH", "sweep.launcher = slurm",
                "run the sweep on a Slurm login node, or use launcher = local");
  const std::string job_id = parse_job_id(sbatch.out);
  if (sbatch.exit_code != 0 || job_id.empty())
    throw Error("sbatch refused the job array: " + (sbatch.message().empty() ? "exit " + std::to_string(sbatch.exit_code)
                                                                          : sbatch.message()),
                join(args, " "), "check the [slurm] section (partition, account, time, gres, extra_args) against `sinfo`");

  std::vector<SlurmTask> tasks;
  const std::string now = utc_now_iso();
  for (size_t i = 0; i < keys.size(); ++i) tasks.push_back({job_id, static_cast<int>(i), keys[i], now});
  append_slurm_submission(context.sweep_dir, tasks);
  const std::string task_range =
      keys.size() == 1 ? "task " + job_id + "_0" : "tasks " + job_id + "_0.." + std::to_string(keys.size() - 1);
  result.summary = "submitted " + std::to_string(keys.size()) + (keys.size() == 1 ? " cell" : " cells") +
                   " as Slurm job array " + job_id + " (" + task_range + ", script " + script_path + ")";
  if (!already.empty()) result.summary += "\n" + already;
  if (!settings_.wait) return result;

  // [slurm] wait: poll squeue until no task of the array is left (a failing
  // squeue is retried for a while: slurmctld may be busy).
  int failures = 0;
  while (true) {
    try {
      if (squeue_states({job_id}).empty()) break;
      failures = 0;
    } catch (const Error&) {
      if (++failures >= 30) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  result.queued = false;
  result.waited = true;
  return result;
}

void register_slurm_launcher(Registry<LauncherFactory>& registry) {
  registry.add({"slurm", "submit the cells as one Slurm job array with sbatch (options in the [slurm] section)", {}},
               [](const Config& controls) {
                 return std::make_unique<SlurmLauncher>(seglab_executable(), slurm_settings(controls));
               });
}

}  // namespace seglab
