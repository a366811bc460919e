#include "tests/support/tiny_experiment.h"

#include <gtest/gtest.h>

#include <regex>

namespace seglab::test {

std::string TinyExperiment::ini() const {
  return "[experiment]\nname = " + name + "\nseed = " + std::to_string(seed) +
         "\n[data]\nadapter = synthetic\nnum_samples = " + std::to_string(samples) +
         "\nsynthetic_size = 32\nimage_size = 32\nval_ratio = 0.25\n"
         "[model]\nbase_channels = 4\ndepth = 2\n"
         "[backend]\ndevice = cpu\n"
         "[train]\nepochs = " + std::to_string(epochs) + "\nbatch_size = " + std::to_string(batch_size) +
         "\nlr = " + lr + "\n" + extra;
}

std::string trained_run_id(const std::string& train_output, const std::string& name) {
  std::smatch match;
  const std::regex pattern("run ([0-9a-f]{8}) \"" + std::regex_replace(name, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") + "\"");
  if (!std::regex_search(train_output, match, pattern)) {
    ADD_FAILURE() << "no run named \"" << name << "\" in:\n" << train_output;
    return "";
  }
  return match[1].str();
}

}  // namespace seglab::test
