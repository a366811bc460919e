#include <iostream>

#include "core/error.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/predictor.h"

namespace po = boost::program_options;

namespace seglab {

int predict_command(const std::vector<std::string>& args) {
  std::string run_id, input, store;
  PredictOptions predict;
  po::options_description options("predict options");
  options.add_options()("run", po::value<std::string>(&run_id), "run id (or a unique prefix)")(
      "input", po::value<std::string>(&input), "an image, or a folder of images")(
      "output,o", po::value<std::string>(&predict.output_dir), "folder for <stem>_mask.png and <stem>_overlay.png")(
      "checkpoint", po::value<std::string>(&predict.checkpoint)->default_value("best"), "best | last")(
      "threshold", po::value<double>(&predict.threshold)->default_value(-1),
      "lesion probability threshold (default: the run's eval.threshold)");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("run", 1).add("input", 1);
  po::variables_map values;
  if (!parse_command(args, "predict <run-id> <image or folder> -o <dir>", options, positional, values)) return 0;
  if (run_id.empty() || input.empty())
    throw UsageError("expected a run id and an image or folder", "seglab predict",
                     "e.g. seglab predict 3f9a1c2e photo.jpg -o out/");
  RunStore run_store(RunStore::resolve_path(store));
  predict_images(run_store, run_id, input, predict, std::cout);
  return 0;
}

}  // namespace seglab
