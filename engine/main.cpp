// seglab's entry point: signal handling, then the CLI.
#include "core/interrupt.h"
#include "engine/cli/cli.h"

int main(int argc, char** argv) {
  seglab::install_interrupt_handlers();
  return seglab::run_cli(argc, argv);
}
