#include "core/progress_bar.h"

#include <unistd.h>

#include <cstdio>

#include "core/text.h"

namespace seglab {

using Clock = std::chrono::steady_clock;

ProgressBar::ProgressBar(std::ostream& out, bool interactive, int epochs, long long total_steps)
    : out_(out), interactive_(interactive), epochs_(epochs), total_steps_(total_steps) {
  run_start_ = Clock::now();
}

bool ProgressBar::stdout_is_terminal() { return isatty(STDOUT_FILENO) == 1; }

double ProgressBar::elapsed_seconds() const {
  return std::chrono::duration<double>(Clock::now() - epoch_start_).count();
}

void ProgressBar::start_epoch(int epoch, int steps_in_epoch) {
  epoch_ = epoch;
  steps_in_epoch_ = steps_in_epoch;
  step_ = 0;
  epoch_images_ = 0;
  loss_sum_ = 0.0;
  last_reported_decile_ = 0;
  epoch_start_ = last_draw_ = Clock::now();
}

std::string ProgressBar::line(bool final) const {
  const double seconds = elapsed_seconds();
  const double images_per_second = seconds > 0 ? epoch_images_ / seconds : 0.0;
  const double mean_loss = step_ > 0 ? loss_sum_ / step_ : 0.0;
  const double run_seconds = std::chrono::duration<double>(Clock::now() - run_start_).count();
  const double per_step = steps_done_ > 0 ? run_seconds / steps_done_ : 0.0;
  const double eta = per_step * static_cast<double>(total_steps_ - steps_done_);

  char head[64];
  std::snprintf(head, sizeof head, "epoch %*d/%d ", static_cast<int>(std::to_string(epochs_).size()), epoch_, epochs_);
  std::string text = head;
  if (interactive_ && !final) {
    const int width = 20;
    const int filled = steps_in_epoch_ > 0 ? width * step_ / steps_in_epoch_ : width;
    text += "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
  }
  char tail[160];
  std::snprintf(tail, sizeof tail, "%d/%d steps  %.1f img/s  loss %.4f  %s %s", step_, steps_in_epoch_,
                images_per_second, mean_loss, final ? "took" : "ETA",
                format_duration(final ? seconds : eta).c_str());
  return text + tail;
}

void ProgressBar::step(int step_in_epoch, int images, double loss) {
  step_ = step_in_epoch;
  ++steps_done_;
  epoch_images_ += images;
  loss_sum_ += loss;
  if (interactive_) {
    const auto now = Clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(100) && step_ < steps_in_epoch_) return;
    last_draw_ = now;
    const std::string text = line(false);
    out_ << "\r" << text;
    if (text.size() < last_width_) out_ << std::string(last_width_ - text.size(), ' ');
    last_width_ = text.size();
    out_.flush();
    return;
  }
  // Files and pipes: a line at every tenth of a long epoch, none for short ones.
  if (steps_in_epoch_ >= 50) {
    const int decile = 10 * step_ / steps_in_epoch_;
    if (decile > last_reported_decile_ && step_ < steps_in_epoch_) {
      last_reported_decile_ = decile;
      out_ << line(false) << "\n";
      out_.flush();
    }
  }
}

void ProgressBar::finish_epoch(const std::string& summary) {
  std::string text = line(true);
  if (!summary.empty()) text += "  " + summary;
  if (interactive_) {
    out_ << "\r" << text;
    if (text.size() < last_width_) out_ << std::string(last_width_ - text.size(), ' ');
    last_width_ = 0;
  } else {
    out_ << text;
  }
  out_ << "\n";
  out_.flush();
}

}  // namespace seglab
