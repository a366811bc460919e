#pragma once
// What the catalog knows about a run, and one metric point.
#include <cstdint>
#include <string>

namespace seglab {

enum class RunStatus { running, finished, failed, interrupted };

const char* run_status_name(RunStatus status);
RunStatus parse_run_status(const std::string& text);

struct RunInfo {
  std::string id;
  std::string name;
  RunStatus status = RunStatus::running;
  std::string created_at;  // ISO 8601, UTC
  std::string ended_at;    // "" while running
  std::string error;       // why it failed, "" otherwise
  std::string config_hash;
  std::string command;     // the command line that started it
  std::string host;
  int64_t pid = 0;
  std::string sweep_id;  // the sweep that launched it, "" for a plain run
  std::string job_key;   // its cell in that sweep
  std::string process_identity;  // boot id + process start time (see process_identity.h)
  double heartbeat = 0;          // Unix time of the last sign of life
  std::string parent_id;         // the run this one reproduces, "" otherwise
  int64_t resumes = 0;           // times it was resumed after an interruption
};

// A per-image score of a run (from validation or `seglab eval`).
struct ImageScore {
  std::string image_id;
  std::string metric;
  double value = 0;
};

// A file the run wrote into its folder, relative to it ("run.h5", "eval/val-best/per_image.csv").
struct Artifact {
  std::string path;
  std::string kind;  // "checkpoints", "config", "log", "eval", ...
  int64_t bytes = 0;
  std::string sha256;
  std::string created_at;
};

struct Note {
  std::string created_at;
  std::string text;
};

struct MetricPoint {
  std::string key;  // "train.loss", "val.dice"
  int64_t step = 0;
  int64_t epoch = 0;
  double value = 0;
  double wall_time = 0;  // seconds since the Unix epoch
};

// Current UTC time as "2026-11-25T04:52:29Z".
std::string utc_now_iso();
double unix_time_now();

}  // namespace seglab
