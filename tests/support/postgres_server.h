#pragma once
// A throw-away PostgreSQL server for tests, from Debian's packages
// (scripts/setup.sh --tests): initdb in a fresh /tmp folder, listening on
// 127.0.0.1 at a free port and on a socket in that folder, trust auth,
// fsync off. As root, initdb and postgres run as the `postgres` user (they
// refuse root). A missing server is an error that fails the test, never a
// skip. Start one per test executable (shared()), a database per test.
#include <string>

namespace seglab::test {

class PostgresServer {
 public:
  // Starts a server; throws std::runtime_error (failing the test) when it cannot.
  PostgresServer();
  // Stops the server and removes its folder (only in the process that started it).
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // The server of this test executable, started on first use, stopped at exit.
  static PostgresServer& shared();

  // A fresh, empty database with a unique name; returns the name.
  std::string create_database(const std::string& prefix = "t");
  // postgresql://postgres@127.0.0.1:<port>/<database>
  std::string url(const std::string& database) const;
  // url(database) + "?runs=<runs_dir>": a seglab store location.
  std::string store_url(const std::string& database, const std::string& runs_dir) const;
  // Runs SQL through psql on `database`; returns its unaligned output, throws on error.
  std::string psql(const std::string& database, const std::string& sql) const;

  // For connection-loss tests: a fast shutdown, and a start on the same port.
  void stop();
  void start();
  // The postmaster is up: its pid file names a process that is not a zombie
  // (a daemon reaped late by PID 1 still answers kill -0).
  bool running() const;
  int port() const { return port_; }

 private:
  std::string as_server_user(const std::string& command) const;

  std::string dir_;
  std::string bin_;
  int port_ = 0;
  int owner_pid_ = 0;
  int databases_ = 0;
};

}  // namespace seglab::test
