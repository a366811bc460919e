#pragma once
// Ctrl-C and SIGTERM handling. The first signal only sets a flag that the
// trainer checks between steps, so it can write a checkpoint and mark the run
// interrupted; a second one ends the process at once.
namespace seglab {

void install_interrupt_handlers();
bool interrupt_requested();
int interrupt_signal();  // the signal number received, 0 if none
// For tests and for commands that handle one run after another.
void clear_interrupt();

}  // namespace seglab
