#include "core/crash_point.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>

namespace seglab {
namespace {

struct Armed {
  std::string name;
  long passage = 1;  // which passage through the point kills
  long seen = 0;
  int signal = SIGKILL;
};

Armed* armed_point() {
  static Armed* armed = [] () -> Armed* {
    const char* spec = std::getenv("SEGLAB_CRASH_AT");
    if (!spec || !*spec) return nullptr;
    auto* a = new Armed;
    const std::string text = spec;
    const auto colon = text.find(':');
    if (colon != std::string::npos && text.substr(colon + 1) == "TERM") a->signal = SIGTERM;
    const std::string point = text.substr(0, colon);
    const auto hash = point.find('#');
    a->name = point.substr(0, hash);
    if (hash != std::string::npos) a->passage = std::strtol(point.c_str() + hash + 1, nullptr, 10);
    return a;
  }();
  return armed;
}

}  // namespace

void crash_point(const char* name) {
  Armed* armed = armed_point();
  if (!armed || armed->name != name) return;
  if (++armed->seen == armed->passage) std::raise(armed->signal);
}

}  // namespace seglab
