#pragma once
// The robustness corpus: every case writes a malformed input by code, runs the
// real seglab binary on it under a time limit, and checks what a user would
// see: a non-zero exit (no signal, no hang), an error naming the file and the
// fault, and a store left as it was (catalog opens, `runs list` works, no run
// left running, no temporary files, the files of earlier runs unchanged).
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace seglab::test {

struct CaseRun {
  int exit_code = -1;
  bool timed_out = false;
  std::string output;
  double seconds = 0;
};

// Runs `seglab <arguments>` with `environment` ("NAME=value ...") under
// coreutils timeout; the process gets `limit_s` seconds, times the build's
// time limit scale (tests/support/time_limits.h).
CaseRun run_seglab_limited(const std::string& arguments, int limit_s = 30, const std::string& environment = {});

// A store holding one finished tiny run, made once per process (seconds)
// and copied for every case so that no case sees another's damage.
struct BaselineStore {
  std::string template_dir;  // never touched by a case
  std::string run_id;
};
const BaselineStore& baseline_store();
void copy_baseline_store(const std::string& destination);

// The tiny experiment the baseline run was trained with (synthetic data,
// 32x32, two-level U-Net with 4 base channels), with `data_section`
// replacing its [data] section when given.
std::string tiny_experiment(const std::string& data_section = {});

// SHA-256 of every file under runs/ (the run folders), by relative path.
std::map<std::string, std::string> run_files_digest(const std::string& store);

// The store checks shared by every case, as a list of problems (empty: fine).
// `before` is run_files_digest taken before the command: each of those files
// must be unchanged. `run_list_command`: also run `seglab runs list` (the
// catalog is opened and listed in process either way).
std::vector<std::string> store_problems(const std::string& store, const std::map<std::string, std::string>& before,
                                        bool run_list_command);

// What a refused case must show: exit 1 or 2, no signal, no timeout, no
// sanitizer report, and every needle in the output.
std::vector<std::string> refusal_problems(const CaseRun& run, const std::vector<std::string>& needles);

}  // namespace seglab::test
