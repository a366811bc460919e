#include "tests/support/slurm_cluster.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace seglab::test {
namespace {

std::string script() { return std::string(test::source_dir()) + "/tests/support/slurm_cluster.sh"; }

}  // namespace

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

SlurmCluster::SlurmCluster() {
  int ctld = free_loopback_port(), slurmd = free_loopback_port();
  while (slurmd == ctld) slurmd = free_loopback_port();
  const CommandResult started =
      run_command(script() + " start " + dir_.path() + " " + std::to_string(ctld) + " " + std::to_string(slurmd));
  started_ = true;  // stop whatever did start, even on failure
  if (started.exit_code != 0) {
    run_command(script() + " stop " + dir_.path());
    started_ = false;
    throw std::runtime_error("the test Slurm cluster did not start:\n" + started.output);
  }
  conf_ = dir_ / "slurm.conf";
  ::setenv("SLURM_CONF", conf_.c_str(), 1);
}

SlurmCluster::~SlurmCluster() {
  if (started_) run_command(script() + " stop " + dir_.path());
  ::unsetenv("SLURM_CONF");
}

std::string SlurmCluster::log_tail() const {
  return run_command("tail -n 20 " + (dir_ / "log/ctld.log") + " " + (dir_ / "log/d.log")).output;
}

}  // namespace seglab::test
