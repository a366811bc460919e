#pragma once
// The training progress display: epoch, step/steps, images/s, loss and ETA on
// one redrawn line in a terminal; one plain line per epoch (and every ~10 % of a
// long epoch) when the output is a file or a pipe, so logs stay readable.
#include <chrono>
#include <ostream>
#include <string>

namespace seglab {

class ProgressBar {
 public:
  // `total_steps` covers the whole run, for the ETA.
  ProgressBar(std::ostream& out, bool interactive, int epochs, long long total_steps);

  void start_epoch(int epoch, int steps_in_epoch);
  void step(int step_in_epoch, int images, double loss);
  // Ends the epoch's line with a summary ("val dice 0.912").
  void finish_epoch(const std::string& summary);

  // True when stdout is a terminal.
  static bool stdout_is_terminal();

 private:
  std::string line(bool final) const;
  double elapsed_seconds() const;

  std::ostream& out_;
  bool interactive_;
  int epochs_;
  long long total_steps_;
  long long steps_done_ = 0;
  int epoch_ = 0;
  int steps_in_epoch_ = 0;
  int step_ = 0;
  long long epoch_images_ = 0;
  double loss_sum_ = 0.0;
  int last_reported_decile_ = 0;
  std::chrono::steady_clock::time_point run_start_, epoch_start_, last_draw_;
  size_t last_width_ = 0;
};

}  // namespace seglab
