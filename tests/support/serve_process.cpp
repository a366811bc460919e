#include "tests/support/serve_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <regex>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

extern char** environ;

namespace seglab::test {

ServeProcess::ServeProcess(const std::string& store, const std::string& log) : log_(log) {
  const std::string binary = seglab_binary();
  std::vector<std::string> args = {binary, "serve", "--store", store, "--port", "0"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  if (posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
  posix_spawn_file_actions_destroy(&actions);
  const std::regex serving("at http://127\\.0\\.0\\.1:([0-9]+)/");
  for (int i = 0; i < 600 && pid_ > 0 && port_ == 0; ++i) {
    std::smatch match;
    const std::string text = read_text_file(log);
    if (std::regex_search(text, match, serving)) port_ = std::stoi(match[1]);
    else std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

ServeProcess::~ServeProcess() { stop(); }

int ServeProcess::stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ServeProcess::log() const { return read_text_file(log_); }

}  // namespace seglab::test
