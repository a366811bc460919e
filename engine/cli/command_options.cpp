#include "engine/cli/command_options.h"

#include <iostream>

#include "core/error.h"

namespace po = boost::program_options;

namespace seglab {

bool parse_command(const std::vector<std::string>& args, const char* usage, po::options_description& options,
                   const po::positional_options_description& positional, po::variables_map& values,
                   const po::options_description* hidden) {
  options.add_options()("help,h", "show this help");
  po::options_description all;
  all.add(options);
  if (hidden) all.add(*hidden);
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), values);
  } catch (const po::error& e) {
    throw UsageError(e.what(), std::string("seglab ") + usage, "run it with --help for its options");
  }
  if (values.count("help")) {
    std::cout << "usage: seglab " << usage << "\n\n" << options << "\n";
    return false;
  }
  po::notify(values);
  return true;
}

void add_store_option(po::options_description& options, std::string& store) {
  options.add_options()("store", po::value<std::string>(&store),
                        "run store: a folder, or postgresql://user@host/db?runs=/shared/path (default: $SEGLAB_STORE, else ./seglab-runs)");
}

}  // namespace seglab
