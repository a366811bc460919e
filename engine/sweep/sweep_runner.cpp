#include "engine/sweep/sweep_runner.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/ini_reader.h"
#include "core/text.h"
#include "engine/registration.h"
#include "engine/sweep/launcher.h"
#include "engine/sweep/slurm_queue.h"
#include "engine/sweep/sweep_state.h"
#include "engine/sweep/sweep_test_part.h"
#include "reports/text_table.h"
#include "tracking/store_location.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

std::string read_sweep_text(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))  // opens as an empty stream on Linux
    throw ConfigError("cannot open sweep file: it is a folder", path, "give the sweep .ini file inside it");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("cannot open sweep file", path, "check the path; sweep files live in experiments/");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string runs_text(size_t n) { return std::to_string(n) + (n == 1 ? " run" : " runs"); }

std::string display_value(const std::string& value) {
  return value.empty() || value.find(',') != std::string::npos ? "[" + value + "]" : value;
}

// A changed base experiment would give every cell a new key, so none of the
// sweep's runs would be reused: refuse, and say what changed.
void check_compatible(const SweepInfo& existing, const LoadedSweep& sweep, const std::string& source) {
  const SweepSpec old = split_sweep_file(parse_ini_text(existing.spec, existing.file));
  std::map<std::string, std::string> before, after;
  for (const auto& e : old.base.entries) before[e.key] = e.value;
  for (const auto& e : sweep.spec.base.entries) after[e.key] = e.value;
  std::vector<std::string> changes;
  for (const auto& [key, value] : before) {
    auto it = after.find(key);
    if (it == after.end()) changes.push_back(key + " removed (was " + value + ")");
    else if (it->second != value) changes.push_back(key + ": " + value + " -> " + it->second);
  }
  for (const auto& [key, value] : after)
    if (!before.count(key)) changes.push_back(key + " = " + value + " added");
  if (changes.empty()) return;
  throw ConfigError("the base experiment changed since sweep " + existing.id + " started (" + join(changes, "; ") +
                        "), so none of its runs would be reused",
                    source, "restore those keys to resume it, or pass --new to start a new sweep");
}

// `slurm`, when given, adds a column: each cell's latest Slurm task and its state.
TextTable plan_table(const SweepPlan& plan, const std::vector<JobStatus>* statuses, const Catalog* catalog,
                     const std::map<std::string, std::string>* slurm = nullptr) {
  std::vector<std::string> headers{"#", "job"};
  for (const auto& key : plan.varied_keys) headers.push_back(key);
  std::string monitor;
  if (statuses) {
    monitor = plan.jobs.empty() ? std::string("val.dice") : plan.jobs.front().config.get_text("train.monitor");
    for (const char* h : {"state", "run", "runs"}) headers.push_back(h);
    headers.push_back(monitor);
    if (slurm) headers.push_back("slurm");
  }
  TextTable table(headers);
  for (size_t i = 0; i < plan.jobs.size(); ++i) {
    const SweepJob& job = plan.jobs[i];
    std::vector<std::string> row{std::to_string(i + 1), job.key};
    for (const auto& [key, value] : job.assignments) row.push_back(display_value(value));
    if (statuses) {
      const JobStatus& s = (*statuses)[i];
      const bool has_run = s.state != JobState::not_started;
      row.push_back(job_state_name(s.state));
      row.push_back(has_run ? s.latest.id : "-");
      row.push_back(std::to_string(s.attempts));
      row.push_back(has_run && catalog ? format_metric(best_monitor_value(*catalog, s.latest, monitor)) : "-");
      if (slurm) {
        auto it = slurm->find(job.key);
        row.push_back(it == slurm->end() ? "-" : it->second);
      }
    }
    table.add_row(row);
  }
  return table;
}

std::string describe_best(const Catalog& catalog, const std::vector<JobStatus>& statuses) {
  const SweepBest best = best_so_far(catalog, statuses);
  if (!best.status) return "no scores yet";
  return "best " + best.monitor + " " + format_metric(best.value) + ": run " + best.status->latest.id + " (" +
         best.status->job->label() + ")";
}

// Prints one line when a run starts and one when it ends.
class PrintingObserver : public LaunchObserver {
 public:
  PrintingObserver(std::ostream& out, const Catalog& catalog, std::string sweep_id, size_t total)
      : out_(out), catalog_(catalog), sweep_id_(std::move(sweep_id)), total_(total) {}

  void started(const LaunchJob& job) override {
    const size_t n = ++started_;
    number_[job.key] = n;
    runs_before_[job.key] = runs_of(job.key).size();
    out_ << prefix(n) << "started     " << job.key << "  " << job.label << "\n";
    out_.flush();
  }

  void ended(const LaunchJob& job, const LaunchOutcome& outcome) override {
    // Only a run this attempt recorded; a failure before recording leaves none.
    const auto runs = runs_of(job.key);
    const RunInfo* run = runs.size() > runs_before_[job.key] ? &runs.back() : nullptr;
    const std::string id = run ? "run " + run->id : "no run recorded";
    std::string line = prefix(number_[job.key]);
    if (outcome.exit_code == 0) {
      const std::string monitor = run ? catalog_.params(run->id)["train.monitor"] : "";
      const double best = run ? best_monitor_value(catalog_, *run, monitor) : NAN;
      line += "finished    " + job.key + "  " + id + " in " + format_duration(outcome.seconds);
      if (!std::isnan(best)) line += ", best " + monitor + " " + format_metric(best);
    } else if (outcome.interrupted) {
      ++interrupted_;
      line += "interrupted " + job.key + "  " + id;
    } else {
      ++failed_;
      std::string why = run && run->status == RunStatus::failed ? run->error : last_error_line(job.log_path);
      if (why.find('\n') != std::string::npos) why = why.substr(0, why.find('\n'));
      line += "failed      " + job.key + "  " + id + " (exit " + std::to_string(outcome.exit_code) + "): " + why +
              "\n             log: " + job.log_path;
    }
    out_ << line << "\n";
    out_.flush();
  }

  int failed() const { return failed_; }

 private:
  std::string prefix(size_t n) const {
    const std::string total = std::to_string(total_);
    std::string number = std::to_string(n);
    return "[" + std::string(total.size() - std::min(total.size(), number.size()), ' ') + number + "/" + total + "] ";
  }

  std::vector<RunInfo> runs_of(const std::string& key) const {
    std::vector<RunInfo> out;
    for (auto& r : catalog_.sweep_runs(sweep_id_))
      if (r.job_key == key) out.push_back(std::move(r));
    return out;
  }

  static std::string last_error_line(const std::string& log_path) {
    std::ifstream in(log_path);
    std::string line, last;
    while (std::getline(in, line))
      if (starts_with(line, "error:")) last = line.substr(6);
    return last.empty() ? "see the log" : trim(last);
  }

  std::ostream& out_;
  const Catalog& catalog_;
  std::string sweep_id_;
  size_t total_;
  size_t started_ = 0;
  int failed_ = 0, interrupted_ = 0;
  std::map<std::string, size_t> number_;
  std::map<std::string, size_t> runs_before_;
};

}  // namespace

LoadedSweep load_sweep(const std::string& text, const std::string& source, std::optional<int> jobs, bool wait) {
  LoadedSweep sweep;
  sweep.text = text;
  sweep.spec = split_sweep_file(parse_ini_text(text, source));
  std::vector<RawEntry> overrides;
  if (jobs) overrides.push_back({"sweep.jobs", std::to_string(*jobs), "--jobs"});
  if (wait) overrides.push_back({"slurm.wait", "true", "--wait"});
  sweep.controls = resolve_sweep_controls(sweep.spec, overrides);
  sweep.plan = expand_sweep(sweep.spec, sweep.controls, experiment_schema());
  return sweep;
}

int run_sweep(const SweepRequest& request) {
  std::ostream& out = request.out ? *request.out : std::cout;
  std::unique_ptr<RunStore> store;
  std::optional<SweepInfo> existing;
  std::string text, source, file;
  if (!request.resume_id.empty()) {
    store = std::make_unique<RunStore>(request.store);
    existing = store->catalog().find_sweep(request.resume_id);
    text = existing->spec;
    source = existing->file;
    file = existing->file;
  } else {
    text = read_sweep_text(request.file);
    source = request.file;
    file = fs::weakly_canonical(fs::absolute(request.file)).string();
  }

  // Everything the user wrote is checked before the store is touched.
  const LoadedSweep sweep = load_sweep(text, source, request.jobs, request.wait);
  const std::unique_ptr<Launcher> launcher = make_launcher(sweep.controls);
  const std::string test_sha256 = check_shared_test_part(sweep.plan);

  if (!store && (!request.dry_run || is_postgres_location(request.store) ||
                 fs::exists(fs::path(request.store) / "catalog.db")))
    store = std::make_unique<RunStore>(request.store);
  if (store && !existing && !request.new_sweep) {
    const auto earlier = store->catalog().sweeps_for_file(file);
    if (!earlier.empty()) existing = earlier.front();
  }
  if (existing && request.resume_id.empty()) check_compatible(*existing, sweep, source);

  std::vector<RunInfo> runs;
  if (existing) runs = store->catalog().sweep_runs(existing->id);
  std::vector<JobStatus> statuses = job_statuses(sweep.plan, runs);
  const SweepCounts before = count_states(statuses);
  const std::string name = sweep.plan.jobs.front().config.get_text("experiment.name");
  const size_t to_run = static_cast<size_t>(before.not_started + before.failed + before.interrupted);
  std::string counts = runs_text(sweep.plan.jobs.size());
  if (sweep.plan.duplicates_dropped)
    counts += " (" + std::to_string(sweep.plan.duplicates_dropped) + " repeated random draws dropped)";

  if (request.dry_run) {
    out << "sweep " << (existing ? existing->id : std::string("(new)")) << " \"" << name << "\" from " << source
        << "\n"
        << counts << ": " << before.describe() << "; " << to_run << " would run\n"
        << "launcher: " << launcher->describe() << "\n"
        << plan_table(sweep.plan, existing ? &statuses : nullptr, existing ? &store->catalog() : nullptr).render();
    return 0;
  }

  Catalog& catalog = store->catalog();
  if (!existing) {
    SweepInfo info{store->new_sweep_id(), name, file, text, utc_now_iso()};
    catalog.create_sweep(info);
    existing = info;
  } else if (existing->spec != text) {
    catalog.update_sweep_spec(existing->id, text);
  }
  const std::string sweep_id = existing->id;
  // Runs whose process died without recording it (SIGKILL, power loss).
  for (const auto& s : statuses)
    if (s.state == JobState::interrupted && s.latest.status == RunStatus::running)
      catalog.set_status(s.latest.id, RunStatus::interrupted, "its process ended without recording how the run ended");

  out << "sweep " << sweep_id << " \"" << name << "\" from " << source << "\n"
      << counts << ": " << before.describe() << "; " << to_run << " to run\n"
      << "launcher: " << launcher->describe() << "\n";
  if (!test_sha256.empty()) out << "every run holds out the same test part (SHA-256 " << test_sha256.substr(0, 12) << ")\n";
  out.flush();

  const std::string dir = store->sweep_dir(sweep_id);
  fs::create_directories(dir + "/jobs");
  fs::create_directories(dir + "/logs");
  std::vector<LaunchJob> jobs;
  for (const auto& s : statuses) {
    if (s.state == JobState::finished || s.state == JobState::running) continue;
    LaunchJob job;
    job.key = s.job->key;
    job.label = s.job->label();
    const std::string config_path = dir + "/jobs/" + job.key + ".ini";
    write_file_atomically(config_path, s.job->config.canonical_text());
    job.train_args = {"train", config_path, "--store", store->location(), "--sweep-id", sweep_id, "--job-key", job.key};
    job.threads_set = s.job->config.get_int("backend.threads") != 0;
    job.log_path = dir + "/logs/" + job.key + ".log";
    jobs.push_back(std::move(job));
  }

  PrintingObserver observer(out, catalog, sweep_id, jobs.size());
  // Jobs may run elsewhere (Slurm): a folder store by its absolute path, a
  // PostgreSQL catalog by its URL (its run files are on the shared `runs` path).
  const std::string job_store =
      is_postgres_location(store->location()) ? store->location() : fs::absolute(store->root()).string();
  const LaunchContext context{sweep_id, fs::absolute(dir).string(), job_store, name};
  const Launcher::Result result = launcher->run(jobs, context, observer);
  if (!result.summary.empty()) out << result.summary << "\n";
  if (result.queued) {
    out << "follow it with `seglab sweep status " << sweep_id << "`; `seglab sweep cancel " << sweep_id
        << "` cancels it\n";
    return 0;
  }

  statuses = job_statuses(sweep.plan, catalog.sweep_runs(sweep_id));
  const SweepCounts after = count_states(statuses);
  out << "sweep " << sweep_id << ": " << after.describe() << "\n"
      << describe_best(catalog, statuses) << "\n";
  // A queueing launcher cannot see interruptions: the runs' records tell.
  if (result.waited && after.failed == 0 && after.interrupted + after.not_started > 0) {
    out << "some runs did not finish; `seglab sweep resume " << sweep_id << "` runs what is missing\n";
    return 130;
  }
  if (result.interrupted) {
    out << "interrupted; `seglab sweep resume " << sweep_id << "` runs what is missing\n";
    return 130;
  }
  if (observer.failed() > 0 || after.failed > 0) {
    out << "some runs failed; fix the cause and run the sweep again: finished runs are kept\n";
    return 1;
  }
  return 0;
}

void print_sweep_status(RunStore& store, const std::string& sweep_id_or_prefix, std::ostream& out) {
  const SweepInfo info = store.catalog().find_sweep(sweep_id_or_prefix);
  const LoadedSweep sweep = load_sweep(info.spec, info.file);
  const auto runs = store.catalog().sweep_runs(info.id);
  const std::vector<JobStatus> statuses = job_statuses(sweep.plan, runs);
  std::map<std::string, int> keys;
  for (const auto& job : sweep.plan.jobs) keys[job.key] = 1;
  int outside = 0;
  for (const auto& run : runs) outside += keys.count(run.job_key) ? 0 : 1;

  // Slurm's view of the cells that are not finished, when the sweep went to Slurm.
  std::map<std::string, std::string> slurm;
  std::string slurm_note;
  bool unknown = false;
  const auto tasks = latest_slurm_task_per_key(read_slurm_submissions(store.sweep_dir(info.id)));
  if (!tasks.empty()) {
    std::set<std::string> ids;
    for (const auto& s : statuses)
      if (s.state != JobState::finished && tasks.count(s.job->key)) ids.insert(tasks.at(s.job->key).array_job_id);
    const SlurmStates states = slurm_task_states({ids.begin(), ids.end()});
    slurm_note = states.note;
    for (const auto& s : statuses) {
      auto task = tasks.find(s.job->key);
      if (task == tasks.end()) continue;
      const std::string id = task->second.id();
      auto state = states.state.find(id);
      slurm[s.job->key] = s.state == JobState::finished ? id
                          : state == states.state.end() ? id + " not in queue"
                                                        : id + " " + state->second;
      if (s.state != JobState::finished && state == states.state.end()) unknown = true;
    }
  }
  if (!unknown) slurm_note.clear();  // the note only matters for tasks squeue no longer lists

  out << "sweep " << info.id << " \"" << info.name << "\" from " << info.file << ", created " << info.created_at << "\n"
      << plan_table(sweep.plan, &statuses, &store.catalog(), tasks.empty() ? nullptr : &slurm).render()
      << runs_text(sweep.plan.jobs.size()) << ": " << count_states(statuses).describe() << "\n";
  if (outside) out << outside << " earlier runs belong to cells no longer in the sweep file\n";
  if (!slurm_note.empty()) out << slurm_note << "\n";
  out << describe_best(store.catalog(), statuses) << "\n";
}

int cancel_sweep(RunStore& store, const std::string& sweep_id_or_prefix, std::ostream& out) {
  const SweepInfo info = store.catalog().find_sweep(sweep_id_or_prefix);
  const auto tasks = read_slurm_submissions(store.sweep_dir(info.id));
  if (tasks.empty())
    throw UsageError("sweep " + info.id + " has no Slurm jobs to cancel", info.file,
                     "a sweep with launcher = local stops with Ctrl-C in its terminal");
  std::set<std::string> ids;
  for (const auto& t : tasks) ids.insert(t.array_job_id);
  const auto live = squeue_states({ids.begin(), ids.end()});
  std::map<std::string, int> pending, running;
  for (const auto& [task, state] : live) {
    const std::string array = task.substr(0, task.find('_'));
    (starts_with(state, "RUNNING") ? running : pending)[array] += 1;
  }
  std::vector<std::string> queued;
  for (const auto& id : ids)
    if (pending.count(id) || running.count(id)) queued.push_back(id);
  if (queued.empty()) {
    out << "sweep " << info.id << ": no Slurm task is pending or running (job arrays " << join({ids.begin(), ids.end()}, ", ")
        << ")\n";
    return 0;
  }
  scancel_jobs(queued);
  for (const auto& id : queued)
    out << "cancelled Slurm job array " << id << ": " << pending[id] << " pending, " << running[id]
        << " running (those checkpoint and are marked interrupted)\n";
  out << "`seglab sweep resume " << info.id << "` submits what is not finished; interrupted runs continue from their "
         "checkpoints\n";
  return 0;
}

}  // namespace seglab
