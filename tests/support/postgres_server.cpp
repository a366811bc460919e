#include "tests/support/postgres_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "tests/support/test_support.h"

namespace fs = std::filesystem;

namespace seglab::test {
namespace {

// The newest /usr/lib/postgresql/<version>/bin with initdb in it.
std::string server_bin_dir() {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec))
    if (fs::exists(entry.path() / "bin/initdb")) found.push_back((entry.path() / "bin").string());
  if (found.empty())
    throw std::runtime_error(
        "PostgreSQL server is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/setup.sh --tests");
  std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
    return std::stoi(fs::path(a).parent_path().filename().string()) <
           std::stoi(fs::path(b).parent_path().filename().string());
  });
  return found.back();
}

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error("no free loopback port for PostgreSQL");
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string PostgresServer::as_server_user(const std::string& command) const {
  if (::geteuid() != 0) return command;
  return "setpriv --reuid=postgres --regid=postgres --init-groups -- " + command;
}

PostgresServer::PostgresServer() : bin_(server_bin_dir()), owner_pid_(::getpid()) {
  std::string pattern = "/tmp/seglab-pg-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for the PostgreSQL folder");
  dir_ = pattern;
  if (::geteuid() == 0) {
    const CommandResult chown = run_command("chown postgres: " + shell_quoted(dir_));
    if (chown.exit_code != 0) throw std::runtime_error("cannot hand " + dir_ + " to the postgres user: " + chown.output);
  }
  const CommandResult init = run_command(as_server_user(bin_ + "/initdb -D " + shell_quoted(dir_ + "/data") +
                                                        " -U postgres --auth=trust -E UTF8 --no-sync"));
  if (init.exit_code != 0) throw std::runtime_error("initdb failed: " + init.output);
  port_ = free_loopback_port();
  start();
}

void PostgresServer::start() {
  const std::string options = "-p " + std::to_string(port_) + " -k " + dir_ +
                              " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                              "-c full_page_writes=off -c max_connections=200";
  const CommandResult started = run_command(as_server_user(bin_ + "/pg_ctl -D " + shell_quoted(dir_ + "/data") + " -l " +
                                                           shell_quoted(dir_ + "/log") + " -o " + shell_quoted(options) + " -w start"));
  if (started.exit_code != 0)
    throw std::runtime_error("PostgreSQL did not start: " + started.output + read_text_file(dir_ + "/log"));
}

void PostgresServer::stop() {
  run_command(as_server_user(bin_ + "/pg_ctl -D " + shell_quoted(dir_ + "/data") + " -m fast -w stop"));
}

bool PostgresServer::running() const {
  const std::string pid_file = read_text_file(dir_ + "/data/postmaster.pid");
  if (pid_file.empty()) return false;
  const std::string pid = pid_file.substr(0, pid_file.find('\n'));
  const CommandResult state = run_command("ps -o stat= -p " + pid);
  return state.exit_code == 0 && !state.output.empty() && state.output[0] != 'Z';
}

PostgresServer::~PostgresServer() {
  if (::getpid() != owner_pid_) return;  // a forked test process: the server is not its own
  if (running()) stop();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

PostgresServer& PostgresServer::shared() {
  static PostgresServer server;
  return server;
}

std::string PostgresServer::psql(const std::string& database, const std::string& sql) const {
  const std::string file = dir_ + "/query-" + std::to_string(::getpid()) + ".sql";
  write_text_file(file, sql);
  const CommandResult result = run_command(bin_ + "/psql -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p " +
                                           std::to_string(port_) + " -U postgres -d " + shell_quoted(database) + " -f " + shell_quoted(file));
  fs::remove(file);
  if (result.exit_code != 0) throw std::runtime_error("psql failed: " + result.output);
  return result.output;
}

std::string PostgresServer::create_database(const std::string& prefix) {
  const std::string name = prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(++databases_);
  psql("postgres", "CREATE DATABASE " + name);
  return name;
}

std::string PostgresServer::url(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::store_url(const std::string& database, const std::string& runs_dir) const {
  return url(database) + "?runs=" + runs_dir;
}

}  // namespace seglab::test
