// `seglab store copy <from> <to>`: moves a store between SQLite (a folder) and
// PostgreSQL (postgresql://...?runs=/shared/path), rows and run files.
#include <filesystem>
#include <iostream>

#include "core/error.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "tracking/run_store.h"
#include "tracking/store_copy.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace seglab {

int store_command(const std::vector<std::string>& args) {
  std::string action, from, to;
  po::options_description options("store options");
  po::options_description hidden;
  hidden.add_options()("action", po::value<std::string>(&action), "")("from", po::value<std::string>(&from), "")(
      "to", po::value<std::string>(&to), "");
  po::positional_options_description positional;
  positional.add("action", 1).add("from", 1).add("to", 1);
  po::variables_map values;
  if (!parse_command(args, "store copy <from> <to>   (each a store folder or postgresql://user@host/db?runs=/path)",
                     options, positional, values, &hidden))
    return 0;
  if (action != "copy") throw UsageError("unknown store action '" + action + "'", "seglab store", "use: store copy <from> <to>");
  if (from.empty() || to.empty())
    throw UsageError("store copy needs a source and a destination", "seglab store copy", "seglab store copy <from> <to>");
  // A source folder without a catalog is a typo, not an empty store to create.
  if (!is_postgres_location(from) && !fs::exists(fs::path(from) / "catalog.db"))
    throw StoreError("no store here (no catalog.db)", from, "give the folder that holds catalog.db");
  const RunStore source(from);
  RunStore destination(to);
  const StoreCopyCounts counts = copy_store(source, destination);
  std::cout << "copied " << counts.runs << " runs and " << counts.sweeps << " sweeps (" << counts.rows
            << " catalog rows, " << counts.files << " files) from " << source.display() << " to "
            << destination.display() << "; row counts verified\n";
  return 0;
}

}  // namespace seglab
