#include "core/error.h"

namespace seglab {
namespace {
std::string first_line(const std::string& what, const std::string& input) {
  return input.empty() ? what : input + ": " + what;
}
}  // namespace

Error::Error(const std::string& what, std::string input, std::string remedy)
    : std::runtime_error(first_line(what, input)),
      reason_(what),
      input_(std::move(input)),
      remedy_(std::move(remedy)) {}

std::string Error::describe() const {
  std::string text = std::runtime_error::what();
  if (!remedy_.empty()) text += "\n  " + remedy_;
  return text;
}

}  // namespace seglab
