#pragma once
// Where a store lives. A plain folder holds everything: catalog.db (SQLite)
// and the run files (runs/<id>/, sweeps/<id>/, cache/). A URL
//   postgresql://user@host:port/db?runs=/shared/path
// puts the catalog on a PostgreSQL server and the run files under `runs`, a
// folder every machine that trains or reads runs must see at the same path.
// Credentials come only from libpq's environment (PGPASSWORD, PGUSER, ...)
// and ~/.pgpass: a URL with a password is refused, so none ends up in shell
// history, process lists, sweep job files or logs.
#include <string>

namespace seglab {

struct StoreLocation {
  std::string location;    // as given: the folder or the URL
  bool postgres = false;
  std::string files_root;  // the folder of the run files
  std::string conninfo;    // postgres: the URL for libpq, without seglab's `runs`
  std::string display;     // postgres: postgresql://user@host:port/db (never a password); else the folder
};

bool is_postgres_location(const std::string& location);
// Throws StoreError for a URL with a password, without `runs`, or that libpq
// cannot parse; the message never repeats the URL's userinfo.
StoreLocation parse_store_location(const std::string& location);

}  // namespace seglab
