#include "tracking/process_identity.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace seglab {
namespace {

std::string boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

}  // namespace

std::string this_host_name() {
  char name[256] = {0};
  gethostname(name, sizeof name - 1);
  return name;
}

std::string process_identity(int64_t pid) {
  if (pid <= 0) return "";
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return "";
  // Fields after the command name, which is in parentheses and may hold spaces.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return "";
  std::istringstream fields(stat.substr(close + 2));
  std::string field, state, start;
  fields >> state;  // field 3
  if (state == "Z" || state == "X") return "";
  for (int i = 4; i <= 22 && fields >> field; ++i)
    if (i == 22) start = field;
  return start.empty() ? "" : boot_id() + ":" + start;
}

std::string own_process_identity() { return process_identity(static_cast<int64_t>(::getpid())); }

bool run_process_alive(const std::string& host, int64_t pid, const std::string& identity, double heartbeat,
                       double now) {
  if (host == this_host_name() && !identity.empty()) return process_identity(pid) == identity;
  return now - heartbeat < kStaleHeartbeatSeconds;
}

}  // namespace seglab
