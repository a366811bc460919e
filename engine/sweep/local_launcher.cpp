#include "engine/sweep/local_launcher.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/error.h"
#include "tracking/run_info.h"

namespace seglab {
namespace {

using Clock = std::chrono::steady_clock;

// Signals received while runs are going; the loop forwards each new one.
std::atomic<int> signal_count{0};
std::atomic<int> last_signal{0};

void on_signal(int signal_number) {
  last_signal.store(signal_number);
  signal_count.fetch_add(1);
}

// Replaces the process's Ctrl-C/SIGTERM handlers for the lifetime of a launch:
// the sweep process must outlive its children to record how they ended, so a
// second Ctrl-C is forwarded too instead of killing it.
class SignalForwarding {
 public:
  SignalForwarding() {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~SignalForwarding() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

class BlockedSignals {
 public:
  BlockedSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, &old_);
  }
  ~BlockedSignals() { sigprocmask(SIG_SETMASK, &old_, nullptr); }
  const sigset_t& old() const { return old_; }

 private:
  sigset_t old_;
};

struct Running {
  size_t index;
  pid_t pid;
  Clock::time_point start;
};

}  // namespace

LocalLauncher::LocalLauncher(std::string executable, int jobs, int cores)
    : executable_(std::move(executable)), jobs_(std::max(1, jobs)), cores_(std::max(1, cores)) {}

int LocalLauncher::threads_per_run() const { return std::max(1, cores_ / jobs_); }

std::string LocalLauncher::describe() const {
  return "local, " + std::to_string(jobs_) + (jobs_ == 1 ? " run" : " runs") + " at once, " +
         std::to_string(threads_per_run()) + " CPU thread" + (threads_per_run() == 1 ? "" : "s") + " each (" +
         std::to_string(cores_) + " cores) unless backend.threads is set";
}

Launcher::Result LocalLauncher::run(const std::vector<LaunchJob>& jobs, const LaunchContext&, LaunchObserver& observer) {
  Result result;
  SignalForwarding forwarding;
  const int signals_before = signal_count.load();
  int forwarded = signals_before;
  std::vector<Running> running;
  size_t next = 0;

  auto start = [&](size_t index) {
    const LaunchJob& job = jobs[index];
    std::vector<std::string> args{executable_};
    args.insert(args.end(), job.train_args.begin(), job.train_args.end());
    if (!job.threads_set) {
      args.push_back("--set");
      args.push_back("backend.threads=" + std::to_string(threads_per_run()));
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    const int log = ::open(job.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0) throw StoreError(std::string("cannot write the run's log: ") + std::strerror(errno), job.log_path);
    const std::string header = "=== " + utc_now_iso() + " seglab";
    std::string line = header;
    for (size_t i = 1; i < args.size(); ++i) line += " " + args[i];
    line += "\n";
    (void)!::write(log, line.data(), line.size());

    pid_t pid;
    {
      // A signal between fork and exec must not be lost: hold it until the
      // child has its own process group and default handlers.
      BlockedSignals blocked;
      pid = ::fork();
      if (pid == 0) {
        ::setpgid(0, 0);
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        ::dup2(log, STDOUT_FILENO);
        ::dup2(log, STDERR_FILENO);
        const int null = ::open("/dev/null", O_RDONLY);
        if (null >= 0) ::dup2(null, STDIN_FILENO);
        sigprocmask(SIG_SETMASK, &blocked.old(), nullptr);
        ::execv(executable_.c_str(), argv.data());
        const std::string message = "error: cannot start " + executable_ + ": " + std::strerror(errno) + "\n";
        (void)!::write(STDERR_FILENO, message.data(), message.size());
        ::_exit(127);
      }
      if (pid > 0) ::setpgid(pid, pid);
    }
    ::close(log);
    if (pid < 0) throw Error(std::string("cannot start a run: fork failed: ") + std::strerror(errno), job.key);
    running.push_back({index, pid, Clock::now()});
    observer.started(job);
  };

  while (next < jobs.size() || !running.empty()) {
    const int count = signal_count.load();
    if (count != forwarded) {
      result.interrupted = true;
      for (const auto& r : running) ::kill(-r.pid, last_signal.load());
      forwarded = count;
    }
    if (result.interrupted) next = jobs.size();  // start nothing more
    while (next < jobs.size() && static_cast<int>(running.size()) < jobs_) start(next++);

    for (size_t i = 0; i < running.size();) {
      int status = 0;
      const pid_t done = ::waitpid(running[i].pid, &status, WNOHANG);
      if (done == 0 || (done < 0 && errno == EINTR)) {
        ++i;
        continue;
      }
      LaunchOutcome outcome;
      outcome.seconds = std::chrono::duration<double>(Clock::now() - running[i].start).count();
      if (done < 0) {
        outcome.exit_code = 1;
      } else if (WIFEXITED(status)) {
        outcome.exit_code = WEXITSTATUS(status);
      } else {
        const int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        outcome.exit_code = 128 + sig;
      }
      outcome.interrupted = outcome.exit_code == 130 || outcome.exit_code == 128 + SIGINT ||
                            outcome.exit_code == 128 + SIGTERM;
      observer.ended(jobs[running[i].index], outcome);
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
    }
    if (next < jobs.size() || !running.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return result;
}

void register_local_launcher(Registry<LauncherFactory>& registry) {
  OptionList options;
  options.add_int("jobs", 1, "runs at once on this machine (--jobs overrides); each gets cores / jobs threads")
      .range(1, 256);
  registry.add({"local", "fork `seglab train` processes on this machine", options}, [](const Config& controls) {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return std::make_unique<LocalLauncher>(seglab_executable(), static_cast<int>(controls.get_int("sweep.jobs")), cores);
  });
}

}  // namespace seglab
