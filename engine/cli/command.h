#pragma once
// A CLI verb: its name, a one-line summary and the function that runs it with
// the arguments after the verb. Each verb parses its own options with
// Boost.Program_options.
#include <string>
#include <vector>

namespace seglab {

struct Command {
  const char* name;
  const char* usage;    // "train <experiment.ini> [--set section.key=value]..."
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
  // Actions with options of their own (`runs show --help`), for the command reference.
  std::vector<const char*> actions_with_help = {};
};

int train_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int eval_command(const std::vector<std::string>& args);
int bench_command(const std::vector<std::string>& args);
int predict_command(const std::vector<std::string>& args);
int runs_command(const std::vector<std::string>& args);
int list_command(const std::vector<std::string>& args);
int resume_command(const std::vector<std::string>& args);
int reproduce_command(const std::vector<std::string>& args);

// Shared by `resume` and `train --resume`.
int resume_run(const std::string& run_id, const std::string& store);
int report_command(const std::vector<std::string>& args);
int data_command(const std::vector<std::string>& args);
int weights_command(const std::vector<std::string>& args);
int serve_command(const std::vector<std::string>& args);
int labelme2seg_command(const std::vector<std::string>& args);
int store_command(const std::vector<std::string>& args);
int docs_command(const std::vector<std::string>& args);

const std::vector<Command>& commands();

// The command line as one string, for run records.
std::string& command_line();

}  // namespace seglab
