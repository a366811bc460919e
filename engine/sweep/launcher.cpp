#include "engine/sweep/launcher.h"

#include <unistd.h>

#include "core/error.h"

#include "engine/sweep/local_launcher.h"
#include "engine/sweep/slurm_launcher.h"

namespace seglab {

Registry<LauncherFactory>& launcher_registry() {
  static Registry<LauncherFactory> registry("sweep launcher");
  return registry;
}

void register_launchers() {
  if (!launcher_registry().names().empty()) return;
  register_local_launcher(launcher_registry());
  register_slurm_launcher(launcher_registry());
}

std::unique_ptr<Launcher> make_launcher(const Config& controls) {
  register_launchers();
  const std::string name = controls.get_text("sweep.launcher");
  return launcher_registry().factory(name, "sweep.launcher")(controls);
}

std::string seglab_executable() {
  char path[4096];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) throw Error("cannot find the seglab executable (/proc/self/exe)", "sweep.launcher");
  return std::string(path, static_cast<size_t>(n));
}

}  // namespace seglab
