#pragma once
// The store: a catalog (see catalog.h) and the run files, runs/<id>/
// (resolved config, log, run.h5, outputs) and sweeps/<id>/. Its location is
// --store, else $SEGLAB_STORE, else ./seglab-runs: a folder (catalog.db in
// it) or postgresql://user@host:port/db?runs=/shared/path (see
// store_location.h).
#include <memory>
#include <string>

#include "tracking/catalog.h"
#include "tracking/store_location.h"

namespace seglab {

class RunStore {
 public:
  // `flag_value` is the --store argument ("" when not given).
  static std::string resolve_path(const std::string& flag_value);

  // Opens the store, creating the folder and catalog when missing.
  explicit RunStore(const std::string& location);

  // The folder that holds the run files (the store folder itself for SQLite).
  const std::string& root() const { return where_.files_root; }
  // The store as given (folder or URL): what child processes get as --store.
  const std::string& location() const { return where_.location; }
  // The store for messages (a URL without secrets, or the folder).
  const std::string& display() const { return where_.display; }
  bool postgres() const { return where_.postgres; }
  Catalog& catalog() { return *catalog_; }
  const Catalog& catalog() const { return *catalog_; }

  // A fresh 8-hex-digit id not used in this store.
  std::string new_run_id() const;
  std::string run_dir(const std::string& id) const;
  std::string run_file(const std::string& id) const { return run_dir(id) + "/run.h5"; }

  // A fresh 8-hex-digit sweep id; sweeps/<id>/ holds its job configs and logs.
  std::string new_sweep_id() const;
  std::string sweep_dir(const std::string& id) const;

 private:
  StoreLocation where_;
  std::unique_ptr<Catalog> catalog_;
};

}  // namespace seglab
