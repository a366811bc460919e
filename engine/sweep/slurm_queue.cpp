#include "engine/sweep/slurm_queue.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/text.h"
#include "engine/sweep/external_program.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

std::string not_found_remedy() {
  return "run seglab on a Slurm login node (with SLURM_CONF set if the cluster needs it)";
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!trim(line).empty()) lines.push_back(trim(line));
  return lines;
}

std::vector<std::string> split_on(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

}  // namespace

std::string slurm_submissions_path(const std::string& sweep_dir) { return sweep_dir + "/slurm/submissions.tsv"; }

void append_slurm_submission(const std::string& sweep_dir, const std::vector<SlurmTask>& tasks) {
  const std::string path = slurm_submissions_path(sweep_dir);
  fs::create_directories(fs::path(path).parent_path());
  std::ostringstream text;
  for (const auto& t : tasks) text << t.array_job_id << '\t' << t.task << '\t' << t.key << '\t' << t.submitted_at << '\n';
  // One write per submission: lines of two submissions never interleave.
  std::ofstream out(path, std::ios::app | std::ios::binary);
  out << text.str();
  out.flush();
  if (!out) throw StoreError("cannot record the Slurm job ids", path, "check that the store is writable");
}

std::vector<SlurmTask> read_slurm_submissions(const std::string& sweep_dir) {
  std::vector<SlurmTask> tasks;
  std::ifstream in(slurm_submissions_path(sweep_dir));
  std::string line;
  while (std::getline(in, line)) {
    const auto fields = split_on(line, '\t');
    if (fields.size() < 4) continue;  // a line cut short by a crash
    SlurmTask t;
    t.array_job_id = fields[0];
    try {
      t.task = std::stoi(fields[1]);
    } catch (const std::exception&) {
      continue;
    }
    t.key = fields[2];
    t.submitted_at = fields[3];
    tasks.push_back(std::move(t));
  }
  return tasks;
}

std::map<std::string, SlurmTask> latest_slurm_task_per_key(const std::vector<SlurmTask>& tasks) {
  std::map<std::string, SlurmTask> latest;
  for (const auto& t : tasks) latest[t.key] = t;
  return latest;
}

std::map<std::string, std::string> squeue_states(const std::vector<std::string>& array_job_ids) {
  std::map<std::string, std::string> states;
  if (array_job_ids.empty()) return states;
  // -r: one line per array task, also for pending ones (else "1234_[0-3]").
  const ProgramOutput q =
      run_program({"squeue", "--noheader", "--array", "--jobs=" + join(array_job_ids, ","), "--format=%F|%K|%T|%r"});
  if (!q.started) throw Error("cannot run squeue: not found in PATH", "sweep.launcher = slurm", not_found_remedy());
  if (q.exit_code != 0) {
    // Jobs that left the queue long ago are unknown to slurmctld: that is no error.
    if (q.message().find("Invalid job id") != std::string::npos) return states;
    throw Error("squeue failed: " + q.message(), "squeue", "check that slurmctld is reachable (sinfo)");
  }
  for (const auto& line : split_lines(q.out)) {
    const auto f = split_on(line, '|');
    if (f.size() < 4) continue;
    std::string state = f[2];
    if (f[3] != "None" && !f[3].empty() && state != "RUNNING") state += " (" + f[3] + ")";
    states[f[0] + "_" + f[1]] = state;
  }
  return states;
}

SlurmStates slurm_task_states(const std::vector<std::string>& array_job_ids) {
  SlurmStates result;
  if (array_job_ids.empty()) return result;
  try {
    result.state = squeue_states(array_job_ids);
  } catch (const Error& e) {
    result.note = e.reason();
    return result;
  }
  const ProgramOutput a = run_program({"sacct", "--noheader", "--parsable2", "--allocations",
                                       "--jobs=" + join(array_job_ids, ","), "--format=JobID,State,ExitCode"});
  if (!a.started || a.exit_code != 0) {
    result.note = "Slurm states from squeue only (sacct: " +
                  (a.started ? a.message() : std::string("not found")) +
                  "): tasks that left the queue show as \"not in queue\"";
    return result;
  }
  for (const auto& line : split_lines(a.out)) {
    const auto f = split_on(line, '|');
    if (f.size() < 3 || result.state.count(f[0])) continue;  // squeue is fresher
    std::string state = f[1];
    if (f[2] != "0:0") state += " (exit " + f[2] + ")";
    result.state[f[0]] = state;
  }
  return result;
}

void scancel_jobs(const std::vector<std::string>& job_ids) {
  if (job_ids.empty()) return;
  std::vector<std::string> argv{"scancel"};
  argv.insert(argv.end(), job_ids.begin(), job_ids.end());
  const ProgramOutput c = run_program(argv);
  if (!c.started) throw Error("cannot run scancel: not found in PATH", "seglab sweep cancel", not_found_remedy());
  if (c.exit_code != 0) throw Error("scancel failed: " + c.message(), "scancel " + join(job_ids, " "));
}

}  // namespace seglab
