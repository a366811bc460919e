#include "tracking/run_store.h"

#include <cstdlib>
#include <filesystem>
#include <random>

#include "core/error.h"
#include "tracking/postgres_catalog.h"
#include "tracking/sqlite_catalog.h"

namespace fs = std::filesystem;

namespace seglab {

std::string RunStore::resolve_path(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("SEGLAB_STORE"); env && *env) return env;
  return "seglab-runs";
}

RunStore::RunStore(const std::string& location) : where_(parse_store_location(location)) {
  std::error_code ec;
  fs::create_directories(fs::path(root()) / "runs", ec);
  if (ec)
    throw StoreError("cannot create the " + std::string(postgres() ? "run files folder" : "store folder") + ": " +
                         ec.message(),
                     root(), postgres() ? "choose another ?runs= folder" : "choose another --store");
  if (postgres())
    catalog_ = std::make_unique<PostgresCatalog>(where_.conninfo, where_.display);
  else
    catalog_ = std::make_unique<SqliteCatalog>((fs::path(root()) / "catalog.db").string());
}

std::string RunStore::new_run_id() const {
  std::random_device device;
  std::mt19937_64 generator((static_cast<uint64_t>(device()) << 32) ^ device());
  for (;;) {
    char id[16];
    std::snprintf(id, sizeof id, "%08x", static_cast<unsigned>(generator() & 0xffffffffu));
    if (!catalog_->has_run(id) && !fs::exists(run_dir(id))) return id;
  }
}

std::string RunStore::new_sweep_id() const {
  std::random_device device;
  std::mt19937_64 generator((static_cast<uint64_t>(device()) << 32) ^ device());
  for (;;) {
    char id[16];
    std::snprintf(id, sizeof id, "%08x", static_cast<unsigned>(generator() & 0xffffffffu));
    if (!catalog_->has_sweep(id) && !fs::exists(sweep_dir(id))) return id;
  }
}

std::string RunStore::sweep_dir(const std::string& id) const { return (fs::path(root()) / "sweeps" / id).string(); }

std::string RunStore::run_dir(const std::string& id) const { return (fs::path(root()) / "runs" / id).string(); }

}  // namespace seglab
