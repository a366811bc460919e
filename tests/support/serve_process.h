#pragma once
// `seglab serve` as a child process of a test, on a free port (--port 0; the
// port is read from what the server prints), stopped with SIGTERM at scope
// exit or by stop().
#include <sys/types.h>

#include <string>

namespace seglab::test {

class ServeProcess {
 public:
  // Starts the server on `store`, its output going to the file `log`; waits
  // up to 30 s for it to say where it serves. port() is 0 when it did not.
  ServeProcess(const std::string& store, const std::string& log);
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // Stops the server and returns its exit status (128 + signal when killed);
  // -1 when it is not running.
  int stop();
  int port() const { return port_; }
  std::string log() const;

 private:
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace seglab::test
