// seglab weights inspect <file.pth>: what a PyTorch checkpoint holds, read by
// seglab's own reader (the same one model.encoder_weights uses).
#include <cstdio>
#include <iostream>
#include <map>

#include "core/error.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "models/pth/pth_file.h"
#include "reports/text_table.h"

namespace po = boost::program_options;

namespace seglab {

int weights_command(const std::vector<std::string>& args) {
  std::string action, file;
  po::options_description options("weights options");
  options.add_options()("action", po::value<std::string>(&action), "inspect")(
      "file", po::value<std::string>(&file), "a .pth file saved with torch.save(model.state_dict(), path)");
  po::positional_options_description positional;
  positional.add("action", 1).add("file", 1);
  po::variables_map values;
  const char* usage = "weights inspect <file.pth>";
  if (!parse_command(args, usage, options, positional, values)) return 0;
  if (action != "inspect") throw UsageError("unknown action '" + action + "'", "seglab weights", std::string("use: seglab ") + usage);
  if (file.empty()) throw UsageError("which file?", "seglab weights inspect", std::string("use: seglab ") + usage);

  const PthFile pth = read_pth(file);
  TextTable table({"name", "dtype", "shape", "values"});
  std::map<std::string, int> dtypes;
  int64_t total = 0;
  for (const auto& t : pth.tensors) {
    table.add_row({t.name, t.dtype, shape_to_string(t.values.shape()), std::to_string(t.values.numel())});
    ++dtypes[t.dtype];
    total += t.values.numel();
  }
  std::string kinds;
  for (const auto& [dtype, count] : dtypes) kinds += (kinds.empty() ? "" : ", ") + dtype + " " + std::to_string(count);
  char summary[64];
  std::snprintf(summary, sizeof summary, "%.2f M values", static_cast<double>(total) / 1e6);
  std::cout << file << ": " << pth.tensors.size() << " tensors, " << summary << " (" << kinds << ")"
            << (pth.note.empty() ? "" : "; " + pth.note) << "\n"
            << table.render();
  return 0;
}

}  // namespace seglab
