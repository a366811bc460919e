#include <iostream>

#include "core/error.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/data_check.h"
#include "engine/data_preview.h"
#include "engine/experiment.h"

namespace po = boost::program_options;

namespace seglab {

int data_command(const std::vector<std::string>& args) {
  std::string action, experiment, output;
  std::vector<std::string> overrides;
  PreviewOptions preview;
  po::options_description options("data options");
  options.add_options()("action", po::value<std::string>(&action), "check | preview")(
      "experiment", po::value<std::string>(&experiment), "experiment file (.ini)")(
      "set", po::value<std::vector<std::string>>(&overrides)->composing(), "override a key: --set data.root=...")(
      "output,o", po::value<std::string>(&output), "preview: folder for preview.png")(
      "samples", po::value<int>(&preview.samples)->default_value(6), "preview: training samples shown (rows)")(
      "variants", po::value<int>(&preview.variants)->default_value(4), "preview: augmented versions of each (epochs 1..n)");
  po::positional_options_description positional;
  positional.add("action", 1).add("experiment", 1);
  po::variables_map values;
  const char* usage = "data check|preview <experiment.ini> [-o dir] [--set section.key=value]...";
  if (!parse_command(args, usage, options, positional, values)) return 0;
  if (action != "check" && action != "preview")
    throw UsageError(action.empty() ? "what should be done with the data?" : "unknown action '" + action + "'",
                     "seglab data", "use: seglab data check <experiment.ini>, or seglab data preview <experiment.ini> -o dir");
  if (experiment.empty()) throw UsageError("no experiment file given", "seglab data " + action, "e.g. seglab data " + action + " experiments/ph2_unet.ini");
  const Config config = load_experiment(experiment, overrides);
  if (action == "check") {
    const DataCheckSummary summary = check_data(config, std::cout);
    return summary.bad > 0 && config.get_text("data.on_bad_sample") == "error" ? 1 : 0;
  }
  if (output.empty()) throw UsageError("no output folder", "seglab data preview", "give -o <dir>");
  if (preview.samples < 1 || preview.variants < 1)
    throw UsageError("--samples and --variants must be at least 1", "seglab data preview");
  preview.output_dir = output;
  write_preview(config, preview, std::cout);
  return 0;
}

}  // namespace seglab
