#pragma once
// Shared option parsing for CLI verbs (internal to engine/cli).
#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace seglab {

// Parses `args` against `options` and `positional`; `--help` prints usage and
// returns false. Throws UsageError for unknown options. `hidden` options are
// parsed but not shown in --help (internal flags, e.g. those a sweep passes).
bool parse_command(const std::vector<std::string>& args, const char* usage,
                   boost::program_options::options_description& options,
                   const boost::program_options::positional_options_description& positional,
                   boost::program_options::variables_map& values,
                   const boost::program_options::options_description* hidden = nullptr);

// Adds --store to a verb's options.
void add_store_option(boost::program_options::options_description& options, std::string& store);

}  // namespace seglab
