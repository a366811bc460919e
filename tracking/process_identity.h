#pragma once
// Telling a live run from a dead one. A run records its host, pid and process
// identity (boot id + the process's start time in clock ticks), so a recycled
// pid or a reboot (power loss) is never mistaken for the run still going. On
// another host only the heartbeat can tell, so a run is presumed dead there
// once its heartbeat is older than kStaleHeartbeatSeconds.
#include <cstdint>
#include <string>

namespace seglab {

constexpr double kStaleHeartbeatSeconds = 600;

std::string this_host_name();
// "<boot id>:<start time>" of a process of this machine, "" when it does not
// exist or is a zombie.
std::string process_identity(int64_t pid);
std::string own_process_identity();

// True when the process that wrote the run can still be running.
bool run_process_alive(const std::string& host, int64_t pid, const std::string& identity, double heartbeat,
                       double now);

}  // namespace seglab
