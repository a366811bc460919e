#include "tracking/run_info.h"

#include <chrono>
#include <ctime>

#include "core/error.h"

namespace seglab {

const char* run_status_name(RunStatus status) {
  switch (status) {
    case RunStatus::running: return "running";
    case RunStatus::finished: return "finished";
    case RunStatus::failed: return "failed";
    case RunStatus::interrupted: return "interrupted";
  }
  return "?";
}

RunStatus parse_run_status(const std::string& text) {
  for (RunStatus s : {RunStatus::running, RunStatus::finished, RunStatus::failed, RunStatus::interrupted})
    if (text == run_status_name(s)) return s;
  throw StoreError("unknown run status '" + text + "'", "catalog");
}

std::string utc_now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

double unix_time_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace seglab
