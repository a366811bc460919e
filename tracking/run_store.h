#pragma once
// The store: a folder with catalog.db and runs/<id>/ (resolved config, log,
// run.h5, outputs). Its location is --store, else $SEGLAB_STORE, else
// ./seglab-runs.
#include <memory>
#include <string>

#include "tracking/sqlite_catalog.h"

namespace seglab {

class RunStore {
 public:
  // `flag_value` is the --store argument ("" when not given).
  static std::string resolve_path(const std::string& flag_value);

  // Opens the store, creating the folder and catalog when missing.
  explicit RunStore(const std::string& root);

  const std::string& root() const { return root_; }
  SqliteCatalog& catalog() { return *catalog_; }
  const SqliteCatalog& catalog() const { return *catalog_; }

  // A fresh 8-hex-digit id not used in this store.
  std::string new_run_id() const;
  std::string run_dir(const std::string& id) const;
  std::string run_file(const std::string& id) const { return run_dir(id) + "/run.h5"; }

  // A fresh 8-hex-digit sweep id; sweeps/<id>/ holds its job configs and logs.
  std::string new_sweep_id() const;
  std::string sweep_dir(const std::string& id) const;

 private:
  std::string root_;
  std::unique_ptr<SqliteCatalog> catalog_;
};

}  // namespace seglab
