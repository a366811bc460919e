#include "tests/robustness/robustness_support.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>

#include "core/sha256.h"
#include "tests/support/time_limits.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab::test {

CaseRun run_seglab_limited(const std::string& arguments, int limit_s, const std::string& environment) {
  const auto start = std::chrono::steady_clock::now();
  // -k: a process that ignores SIGTERM is killed 5 s later.
  const CommandResult r = run_command("env " + environment + " timeout -k 5 " + std::to_string(scaled_seconds(limit_s)) + " " +
                                      std::string(test::seglab_binary()) + " " + arguments + " </dev/null");
  CaseRun run;
  run.exit_code = r.exit_code;
  run.timed_out = r.exit_code == 124 || r.exit_code == 137;
  run.output = r.output;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

std::string tiny_experiment(const std::string& data_section) {
  const std::string data = data_section.empty()
                               ? "[data]\nadapter = synthetic\nnum_samples = 8\nsynthetic_size = 32\nimage_size = 32\n"
                                 "val_ratio = 0.25\n"
                               : data_section;
  return "[experiment]\nname = tiny\nseed = 3\n" + data +
         "[model]\nbase_channels = 4\ndepth = 2\n[backend]\ndevice = cpu\nthreads = 1\n"
         "[train]\nepochs = 1\nbatch_size = 3\nlr = 0.01\n";
}

const BaselineStore& baseline_store() {
  static BaselineStore store;
  static std::once_flag once;
  std::call_once(once, [] {
    static TempDir dir;
    write_text_file(dir / "tiny.ini", tiny_experiment());
    store.template_dir = dir / "store";
    const CaseRun r = run_seglab_limited("train " + (dir / "tiny.ini") + " --store " + store.template_dir, 120);
    std::smatch match;
    if (r.exit_code != 0 || !std::regex_search(r.output, match, std::regex("run ([0-9a-f]{8})")))
      throw std::runtime_error("the baseline run did not train: " + r.output);
    store.run_id = match[1].str();
  });
  return store;
}

void copy_baseline_store(const std::string& destination) {
  fs::copy(baseline_store().template_dir, destination, fs::copy_options::recursive);
}

std::map<std::string, std::string> run_files_digest(const std::string& store) {
  std::map<std::string, std::string> digest;
  const fs::path runs = fs::path(store) / "runs";
  std::error_code ec;
  if (!fs::is_directory(runs, ec)) return digest;
  for (const auto& entry : fs::recursive_directory_iterator(runs))
    if (entry.is_regular_file()) {
      const std::string text = read_text_file(entry.path().string());
      digest[fs::relative(entry.path(), store).string()] = sha256_hex(text);
    }
  return digest;
}

std::vector<std::string> store_problems(const std::string& store, const std::map<std::string, std::string>& before,
                                        bool run_list_command) {
  std::vector<std::string> problems;
  std::error_code ec;
  if (!fs::exists(store, ec)) return problems;  // the command refused before creating one
  if (run_list_command) {
    const CaseRun list = run_seglab_limited("runs list --store " + store, 30);
    if (list.exit_code != 0) problems.push_back("`runs list` after the case failed:\n" + list.output);
  }
  try {
    RunStore runs(store);
    runs.catalog().mark_dead_runs();
    for (const auto& run : runs.catalog().list_runs())
      if (run.status == RunStatus::running) problems.push_back("run " + run.id + " left running");
  } catch (const std::exception& e) {
    problems.push_back(std::string("the catalog does not open after the case: ") + e.what());
  }
  for (const auto& entry : fs::recursive_directory_iterator(store)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp") != std::string::npos || name.find(".partial") != std::string::npos)
      problems.push_back("temporary file left: " + entry.path().string());
  }
  const auto after = run_files_digest(store);
  for (const auto& [path, digest] : before) {
    if (path.find("log.txt") != std::string::npos) continue;  // a run's log may grow (eval, resume)
    auto it = after.find(path);
    if (it == after.end())
      problems.push_back("file lost: " + path);
    else if (it->second != digest)
      problems.push_back("file changed: " + path);
  }
  return problems;
}

std::vector<std::string> refusal_problems(const CaseRun& run, const std::vector<std::string>& needles) {
  std::vector<std::string> problems;
  if (run.timed_out) problems.push_back("hung (killed after the time limit)");
  if (run.exit_code != 1 && run.exit_code != 2)
    problems.push_back("exit " + std::to_string(run.exit_code) + " (expected 1 or 2; 128+n is a signal)");
  for (const char* report : {"AddressSanitizer", "runtime error:", "LeakSanitizer", "terminate called", "Segmentation"})
    if (run.output.find(report) != std::string::npos) problems.push_back(std::string("output holds '") + report + "'");
  for (const auto& needle : needles)
    if (run.output.find(needle) == std::string::npos) problems.push_back("missing '" + needle + "' in the output");
  return problems;
}

}  // namespace seglab::test
