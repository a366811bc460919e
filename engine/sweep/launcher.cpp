#include "engine/sweep/launcher.h"

#include "engine/sweep/local_launcher.h"

namespace seglab {

Registry<LauncherFactory>& launcher_registry() {
  static Registry<LauncherFactory> registry("sweep launcher");
  return registry;
}

void register_launchers() {
  if (!launcher_registry().names().empty()) return;
  register_local_launcher(launcher_registry());
}

std::unique_ptr<Launcher> make_launcher(const Config& controls) {
  register_launchers();
  const std::string name = controls.get_text("sweep.launcher");
  return launcher_registry().factory(name, "sweep.launcher")(controls);
}

}  // namespace seglab
