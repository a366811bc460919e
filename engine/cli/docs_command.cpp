// `seglab docs cli|config [-o file]`: the reference pages docs/cli.md and
// docs/config.md, printed by the binary itself so they cannot drift from it.
#include <iostream>

#include "core/atomic_file.h"
#include "core/error.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/cli/reference_docs.h"

namespace po = boost::program_options;

namespace seglab {

int docs_command(const std::vector<std::string>& args) {
  std::string what, output;
  po::options_description options("docs options");
  options.add_options()("output,o", po::value<std::string>(&output), "write the page to this file instead of stdout");
  po::options_description hidden;
  hidden.add_options()("what", po::value<std::string>(&what), "");
  po::positional_options_description positional;
  positional.add("what", 1);
  po::variables_map values;
  if (!parse_command(args, "docs cli|config [-o file]", options, positional, values, &hidden)) return 0;
  std::string page;
  if (what == "cli") {
    page = cli_reference_markdown();
  } else if (what == "config") {
    page = config_reference_markdown();
  } else {
    throw UsageError(what.empty() ? "which reference?" : "no reference called '" + what + "'", "seglab docs",
                     "one of: cli (docs/cli.md), config (docs/config.md)");
  }
  if (output.empty()) {
    std::cout << page;
  } else {
    write_file_atomically(output, page);
  }
  return 0;
}

}  // namespace seglab
