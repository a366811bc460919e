#include <cstdio>
#include <iostream>

#include "backends/training_registries.h"
#include "core/error.h"
#include "core/text.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/cli/registry_listings.h"
#include "engine/registration.h"
#include "engine/sweep/sweep_spec.h"
#include "models/model_registry.h"

namespace po = boost::program_options;

namespace seglab {
namespace {


std::string option_line(const std::string& key, const OptionSpec& spec) {
  std::string text = "    " + key + " (" + option_type_name(spec.type) + ", default ";
  text += spec.default_value.empty() ? "\"\"" : spec.default_value;
  text += ")";
  if (spec.min || spec.max || !spec.choices.empty()) text += " " + spec.allowed_text();
  return text + "\n        " + spec.help + "\n";
}

std::string encoder_cost(const std::string& name) {
  RawConfig raw;
  raw.set("model.encoder", name, "seglab list");
  const Config config = experiment_schema().resolve(raw);
  Graph graph;
  GraphBuilder builder(graph);
  const int input = graph.add_input(3);
  const EncoderFeatures features = encoder_registry().factory(name)(builder, input, config);
  for (int node : features.nodes) graph.add_output(node);
  const Graph unet = build_model(config);  // with the default decoder
  char text[160];
  std::snprintf(text, sizeof text, "%.2f M parameters, %.2f GFLOP at 256x256 (U-Net: %.2f M, %.2f GFLOP)",
                static_cast<double>(graph.trainable_parameter_count()) / 1e6, graph.forward_flops(256, 256) / 1e9,
                static_cast<double>(unet.trainable_parameter_count()) / 1e6, unet.forward_flops(256, 256) / 1e9);
  return text;
}

void print_registry(const RegistryListing& listing) {
  std::cout << listing.name << " (" << listing.selector << ")\n";
  for (const auto& info : listing.registry.infos()) {
    std::cout << "  " << info.name << ": " << info.summary;
    if (std::string(listing.name) == "encoders") std::cout << "; " << encoder_cost(info.name);
    if (std::string(listing.name) == "backends") {
      const auto caps = backend_registry().factory(info.name)()->capabilities();
      std::cout << "; devices " << join(caps.devices, ", ") << "; precisions " << join(caps.precisions, ", ");
    }
    std::cout << "\n";
    for (const auto& spec : info.options.specs()) std::cout << option_line(listing.option_key(info.name, spec.name), spec);
    if (listing.entry_sections)
      if (const auto* own = listing.entry_sections->find_section(info.name))
        for (const auto& spec : own->options.specs()) std::cout << option_line(info.name + "." + spec.name, spec);
  }
}

}  // namespace

int list_command(const std::vector<std::string>& args) {
  std::string what;
  po::options_description options("list options");
  options.add_options()("what", po::value<std::string>(&what), "registry to list");
  po::positional_options_description positional;
  positional.add("what", 1);
  po::variables_map values;
  const char* usage = "list models|encoders|datasets|augmentations|backends|losses|optimizers|schedules|launchers|config";
  if (!parse_command(args, usage, options, positional, values)) return 0;
  const auto& listings = registry_listings();
  if (what == "config") {
    for (const auto& section : experiment_schema().sections()) {
      std::cout << "[" << section.name << "]  " << section.help << "\n";
      for (const auto& spec : section.options.specs()) std::cout << option_line(section.name + "." + spec.name, spec);
    }
    for (const auto& section : sweep_control_schema().sections()) {
      std::cout << "[" << section.name << "]  " << section.help << " (sweep files only; other keys name the config key they vary)\n";
      for (const auto& spec : section.options.specs()) std::cout << option_line(section.name + "." + spec.name, spec);
    }
    std::cout << "Options of the chosen entries: seglab list models|encoders|datasets|...\n";
    return 0;
  }
  std::vector<std::string> names{"config"};
  for (const auto& listing : listings) {
    names.push_back(listing.name);
    if (what == listing.name) {
      print_registry(listing);
      return 0;
    }
  }
  if (what.empty()) throw UsageError("what should be listed?", "seglab list", "one of: " + join(names, ", "));
  const std::string guess = closest_match(what, names);
  throw UsageError("nothing called '" + what + "' to list", "seglab list",
                   (guess.empty() ? std::string() : "did you mean '" + guess + "'? ") + "one of: " + join(names, ", "));
}

}  // namespace seglab
