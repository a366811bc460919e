#include "core/interrupt.h"

#include <atomic>
#include <csignal>

namespace seglab {
namespace {

std::atomic<int> received{0};

void on_signal(int signal_number) {
  if (received.exchange(signal_number) != 0) {
    // Second signal: the user means it.
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
  }
}

}  // namespace

void install_interrupt_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

bool interrupt_requested() { return received.load() != 0; }
int interrupt_signal() { return received.load(); }
void clear_interrupt() { received.store(0); }

}  // namespace seglab
