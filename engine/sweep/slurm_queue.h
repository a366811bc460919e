#pragma once
// What seglab knows of a sweep's Slurm jobs: every submission's array job id
// and which cell each array task runs, kept in <store>/sweeps/<id>/slurm/
// submissions.tsv (the store is on the shared filesystem anyway, and the
// catalog schema stays the same for every catalog backend), and Slurm's view
// of them from squeue -- or sacct once they have left the queue, where the
// cluster keeps accounting.
#include <map>
#include <string>
#include <vector>

namespace seglab {

struct SlurmTask {
  std::string array_job_id;  // "1234"
  int task = 0;              // SLURM_ARRAY_TASK_ID
  std::string key;           // the cell's job key
  std::string submitted_at;  // ISO 8601, UTC
  std::string id() const { return array_job_id + "_" + std::to_string(task); }
};

std::string slurm_submissions_path(const std::string& sweep_dir);
void append_slurm_submission(const std::string& sweep_dir, const std::vector<SlurmTask>& tasks);
std::vector<SlurmTask> read_slurm_submissions(const std::string& sweep_dir);  // oldest first; none: empty
// The latest submission of each key.
std::map<std::string, SlurmTask> latest_slurm_task_per_key(const std::vector<SlurmTask>& tasks);

struct SlurmStates {
  std::map<std::string, std::string> state;  // "1234_2" -> "PENDING (Priority)", "RUNNING", "COMPLETED"
  std::string note;                          // why some states are unknown, "" when none are
};

// Asks squeue for the tasks of these array jobs still in the queue; for the
// others, asks sacct (which fails without accounting storage: the note says so).
SlurmStates slurm_task_states(const std::vector<std::string>& array_job_ids);

// squeue's view only: "1234_2" -> state, for tasks pending or running. Throws
// Error when squeue cannot be run or fails.
std::map<std::string, std::string> squeue_states(const std::vector<std::string>& array_job_ids);

// scancel of the given job ids; throws Error with scancel's message on failure.
void scancel_jobs(const std::vector<std::string>& job_ids);

}  // namespace seglab
