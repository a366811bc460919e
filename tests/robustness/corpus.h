#pragma once
// The cases of the robustness corpus, one list per kind of input. A case
// writes its malformed input into its own folder and says which seglab command
// a user would run on it and what the error must name.
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace seglab::test {

struct CaseContext {
  std::string dir;     // the case's own folder
  std::string store;   // dir/store: a copy of the baseline store
  std::string run_id;  // the finished run in that store
};

struct Invocation {
  Invocation(std::string arguments_ = {}, std::vector<std::string> needles_ = {})
      : arguments(std::move(arguments_)), needles(std::move(needles_)) {}
  std::string arguments;             // seglab's arguments (the case adds --store where the command takes it)
  std::vector<std::string> needles;  // the file and the fault, as the error must name them
  // A valid input in an unusual form (grey, 16-bit, CMYK): it must be read
  // correctly and the command must succeed.
  bool accepted = false;
  // The case damaged the catalog itself: it still refuses to open after the
  // command, which must leave it byte for byte as it was.
  bool catalog_damaged = false;
  std::string environment;  // "NAME=value ..." for the command
  int limit_s = 30;
  // Extra checks after the command: a problem, or "" when all is well. It may
  // also hold what the case holds during the command (a catalog lock).
  std::function<std::string(const std::string& output)> also;
};

struct Case {
  std::string name;   // [A-Za-z0-9_], the test's name
  std::string input;  // image, mask, labelme, ini, catalog, run.h5, weights
  std::function<Invocation(const CaseContext&)> make;
};

std::vector<Case> image_cases();
std::vector<Case> labelme_cases();
std::vector<Case> ini_cases();
std::vector<Case> store_cases();
std::vector<Case> weights_cases();

}  // namespace seglab::test
