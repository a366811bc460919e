#pragma once
// Runs a program (sbatch, squeue, scancel, sacct) with an argument vector -- no
// shell, so no quoting -- and captures its stdout and stderr separately.
#include <string>
#include <vector>

namespace seglab {

struct ProgramOutput {
  bool started = false;  // false: the program was not found or could not be run
  int exit_code = -1;    // 128 + signal when it was killed
  std::string out;
  std::string err;
  // stderr's text, or stdout's when stderr is empty, trimmed: for messages.
  std::string message() const;
};

// argv[0] is looked up in PATH.
ProgramOutput run_program(const std::vector<std::string>& argv);

}  // namespace seglab
