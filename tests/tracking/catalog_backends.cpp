#include "tests/tracking/catalog_backends.h"

#include <sqlite3.h>

#include <stdexcept>

#include "tests/support/postgres_server.h"
#include "tracking/catalog_schema.h"
#include "tracking/postgres_catalog.h"
#include "tracking/sqlite_catalog.h"

namespace seglab::test {

std::string backend_name(const ::testing::TestParamInfo<CatalogBackend>& info) {
  return info.param == CatalogBackend::sqlite ? "SQLite" : "PostgreSQL";
}

void CatalogTest::SetUp() {
  if (postgres()) {
    PostgresServer& server = PostgresServer::shared();
    location_ = server.url(server.create_database("catalog"));
  } else {
    location_ = dir_ / "catalog.db";
  }
}

std::unique_ptr<Catalog> CatalogTest::open() const {
  if (postgres()) return std::make_unique<PostgresCatalog>(location_, location_);
  return std::make_unique<SqliteCatalog>(location_);
}

void CatalogTest::raw_sql(const std::string& sql) const {
  if (postgres()) {
    PostgresServer::shared().psql(location_.substr(location_.rfind('/') + 1), sql);
    return;
  }
  sqlite3* db = nullptr;
  sqlite3_open(location_.c_str(), &db);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  const std::string error = message ? message : "";
  sqlite3_free(message);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error("sqlite3_exec failed: " + error);
}

void CatalogTest::make_version_one() const {
  if (postgres())
    raw_sql(std::string(kPostgresCatalogMigrations[0]) +
            "; CREATE TABLE seglab_schema_version (version INTEGER NOT NULL); INSERT INTO seglab_schema_version VALUES (1);");
  else
    raw_sql(std::string(kCatalogMigrations[0]) + "; PRAGMA user_version = 1;");
}

int CatalogTest::schema_version() const {
  if (postgres())
    return std::stoi(PostgresServer::shared().psql(location_.substr(location_.rfind('/') + 1),
                                                   "SELECT max(version) FROM seglab_schema_version"));
  sqlite3* db = nullptr;
  sqlite3_open(location_.c_str(), &db);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr);
  sqlite3_step(s);
  const int version = sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return version;
}

}  // namespace seglab::test
