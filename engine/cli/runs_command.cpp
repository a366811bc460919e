#include <iostream>

#include "core/error.h"
#include "core/text.h"
#include "engine/cli/command.h"
#include "engine/cli/runs_actions.h"

namespace seglab {

int runs_command(const std::vector<std::string>& args) {
  struct Action {
    const char* name;
    const char* usage;
    int (*run)(const std::vector<std::string>&);
  };
  static const Action actions[] = {
      {"list", "runs list [--where key=value]... [--sort key] [--reverse]", runs_list},
      {"show", "runs show <id>", runs_show},
      {"compare", "runs compare <id> <id>...", runs_compare},
      {"tag", "runs tag <id> <tag>... [--remove]", runs_tag},
      {"note", "runs note <id> <text>", runs_note},
      {"delete", "runs delete <id>... [--yes]", runs_delete},
      {"export", "runs export <id> -o <dir>", runs_export},
  };
  std::vector<std::string> names;
  for (const auto& a : actions) names.push_back(a.name);
  // `seglab runs` and `seglab runs --store x` list.
  if (args.empty() || starts_with(args[0], "--")) {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
      std::cout << "usage:\n";
      for (const auto& a : actions) std::cout << "  seglab " << a.usage << "\n";
      return 0;
    }
    return runs_list(args);
  }
  for (const auto& a : actions)
    if (args[0] == a.name) return a.run(std::vector<std::string>(args.begin() + 1, args.end()));
  const std::string guess = closest_match(args[0], names);
  throw UsageError("unknown action '" + args[0] + "'", "seglab runs",
                   (guess.empty() ? std::string() : "did you mean '" + guess + "'? ") + "actions: " + join(names, ", "));
}

}  // namespace seglab
