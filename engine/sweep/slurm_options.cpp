#include "engine/sweep/slurm_options.h"

#include <regex>
#include <sstream>

#include "core/error.h"
#include "core/text.h"

namespace seglab {
namespace {

OptionList build_options() {
  OptionList o;
  o.add_text("partition", "", "partition (queue) to submit to; empty: the cluster's default");
  o.add_text("time", "", "time limit of each run: minutes, H:MM:SS or D-HH:MM:SS; empty: the partition's default");
  o.add_int("cpus_per_task", 1, "CPUs of each task; also the run's backend.threads unless its config sets them")
      .range(1, 1024);
  o.add_text("mem", "", "memory of each task, e.g. 8G or 500M; empty: the cluster's default");
  o.add_text("gres", "", "generic resources of each task, e.g. gpu:1 or gpu:a100:1");
  o.add_text("account", "", "account to charge; empty: your default account");
  o.add_text("extra_args", "", "more sbatch arguments, separated by spaces, e.g. --qos=long --constraint=avx2");
  o.add_int("signal_seconds", 120,
            "SIGTERM this many seconds before the time limit, so the run checkpoints and is marked interrupted")
      .range(0, 65535);
  o.add_bool("requeue", false, "let Slurm requeue a task after preemption or node failure; it resumes from its checkpoint");
  o.add_int("max_parallel", 0, "at most this many tasks of the array at once (array throttle %N); 0: no limit")
      .range(0, 100000);
  o.add_bool("wait", false, "wait until every task has left the queue and print the result (default: submit and return)");
  return o;
}

void check_format(const Config& controls, const std::string& name, const std::regex& pattern, const std::string& what,
                  const std::string& examples) {
  const std::string key = "slurm." + name;
  const std::string& value = controls.get_text(key);
  if (value.empty() || std::regex_match(value, pattern)) return;
  throw ConfigError("[slurm] " + name + " = '" + value + "' is not " + what, key, "use " + examples);
}

// Flags seglab writes itself: the array, its log files, the signal, the script.
const std::vector<std::string>& reserved_flags() {
  static const std::vector<std::string> flags{"-a", "--array", "-o", "--output", "-e", "--error", "--wrap",
                                              "--parsable", "--wait", "-W", "--signal", "--requeue",
                                              "--no-requeue", "-p", "--partition", "-t", "--time", "-c",
                                              "--cpus-per-task", "--mem", "--gres", "-A", "--account"};
  return flags;
}

}  // namespace

const OptionList& slurm_options() {
  static const OptionList options = build_options();
  return options;
}

SlurmSettings slurm_settings(const Config& controls) {
  static const std::regex name_pattern("[A-Za-z0-9_.+-]+");
  static const std::regex time_pattern(
      "[0-9]+|[0-9]+:[0-9]{1,2}|[0-9]+:[0-9]{1,2}:[0-9]{1,2}|[0-9]+-[0-9]{1,2}|[0-9]+-[0-9]{1,2}:[0-9]{1,2}|"
      "[0-9]+-[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}|UNLIMITED|INFINITE");
  static const std::regex mem_pattern("[0-9]+[KMGT]?");
  static const std::regex gres_pattern("[A-Za-z0-9_]+(:[A-Za-z0-9_.-]+)*(,[A-Za-z0-9_]+(:[A-Za-z0-9_.-]+)*)*");
  check_format(controls, "partition", name_pattern, "a partition name", "letters, digits and . _ + - (see sinfo)");
  check_format(controls, "time", time_pattern, "a Slurm time limit",
               "minutes, M:SS, H:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 90, 1:30:00, 2-00:00:00)");
  check_format(controls, "mem", mem_pattern, "a memory size", "a number with an optional K, M, G or T suffix (e.g. 8G)");
  check_format(controls, "gres", gres_pattern, "a gres list", "e.g. gpu:1 or gpu:a100:2,shard:1");
  check_format(controls, "account", name_pattern, "an account name", "letters, digits and . _ + - (see sacctmgr)");

  SlurmSettings s;
  s.partition = controls.get_text("slurm.partition");
  s.time = controls.get_text("slurm.time");
  s.cpus_per_task = static_cast<int>(controls.get_int("slurm.cpus_per_task"));
  s.mem = controls.get_text("slurm.mem");
  s.gres = controls.get_text("slurm.gres");
  s.account = controls.get_text("slurm.account");
  s.signal_seconds = static_cast<int>(controls.get_int("slurm.signal_seconds"));
  s.requeue = controls.get_bool("slurm.requeue");
  s.max_parallel = static_cast<int>(controls.get_int("slurm.max_parallel"));
  s.wait = controls.get_bool("slurm.wait");

  std::istringstream words(controls.get_text("slurm.extra_args"));
  std::string word;
  while (words >> word) {
    if (word.find_first_of("'\"\\$`;|&<>") != std::string::npos)
      throw ConfigError("[slurm] extra_args: '" + word + "' has quotes or shell characters", "slurm.extra_args",
                        "give plain sbatch arguments separated by spaces, e.g. --qos=long --constraint=avx2");
    if (s.extra.empty() && word[0] != '-')
      throw ConfigError("[slurm] extra_args must start with an sbatch option, not '" + word + "'", "slurm.extra_args",
                        "e.g. extra_args = --qos=long --constraint=avx2");
    const std::string flag = word.substr(0, word.find('='));
    for (const auto& reserved : reserved_flags()) {
      if (flag != reserved) continue;
      throw ConfigError("[slurm] extra_args: seglab sets " + flag + " itself", "slurm.extra_args",
                        "use the [slurm] keys partition, time, cpus_per_task, mem, gres, account, requeue, "
                        "signal_seconds or max_parallel instead");
    }
    s.extra.push_back(word);
  }
  return s;
}

std::vector<std::string> slurm_flags(const SlurmSettings& s) {
  std::vector<std::string> flags;
  if (!s.partition.empty()) flags.push_back("--partition=" + s.partition);
  if (!s.time.empty()) flags.push_back("--time=" + s.time);
  flags.push_back("--cpus-per-task=" + std::to_string(s.cpus_per_task));
  if (!s.mem.empty()) flags.push_back("--mem=" + s.mem);
  if (!s.gres.empty()) flags.push_back("--gres=" + s.gres);
  if (!s.account.empty()) flags.push_back("--account=" + s.account);
  // B: signals the batch shell, which is seglab itself (the script execs it).
  if (s.signal_seconds > 0) flags.push_back("--signal=B:TERM@" + std::to_string(s.signal_seconds));
  flags.push_back(s.requeue ? "--requeue" : "--no-requeue");
  return flags;
}

}  // namespace seglab
