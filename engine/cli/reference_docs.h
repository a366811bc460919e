#pragma once
// The reference pages that must not drift from the binary: docs/cli.md from
// every verb's own --help, and docs/config.md from the config schema and the
// registries. `seglab docs cli|config` writes them; a test compares the
// committed pages with what the binary prints. Nothing machine-dependent goes
// in (no CUDA availability, no core counts), so every machine prints the same.
#include <string>

namespace seglab {

std::string cli_reference_markdown();
std::string config_reference_markdown();

}  // namespace seglab
