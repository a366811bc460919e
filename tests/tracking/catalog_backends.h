#pragma once
// Every catalog test runs against both implementations: value-parameterised
// GoogleTest suites over CatalogBackend. Each test gets a fresh, empty
// catalog (a catalog.db in a temporary folder, or a new database on the test
// executable's PostgreSQL server, see tests/support/postgres_server.h).
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>

#include "tests/support/test_support.h"
#include "tracking/catalog.h"

namespace seglab::test {

enum class CatalogBackend { sqlite, postgres };

class CatalogTest : public ::testing::TestWithParam<CatalogBackend> {
 protected:
  void SetUp() override;

  // Opens (or reopens) this test's catalog.
  std::unique_ptr<Catalog> open() const;
  // Runs SQL on the catalog's database directly (sqlite3 or psql).
  void raw_sql(const std::string& sql) const;
  // Creates the version-1 schema (the first migration) and marks it version 1.
  void make_version_one() const;
  // The schema version the database records.
  int schema_version() const;

  bool postgres() const { return GetParam() == CatalogBackend::postgres; }
  TempDir dir_;
  std::string location_;  // catalog.db path or postgresql:// URL
};

inline void PrintTo(CatalogBackend backend, std::ostream* out) {
  *out << (backend == CatalogBackend::sqlite ? "SQLite" : "PostgreSQL");
}
std::string backend_name(const ::testing::TestParamInfo<CatalogBackend>& info);

}  // namespace seglab::test

#define SEGLAB_CATALOG_BACKENDS(Suite)                                                                             \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                                        \
                           ::testing::Values(::seglab::test::CatalogBackend::sqlite,                               \
                                             ::seglab::test::CatalogBackend::postgres),                            \
                           ::seglab::test::backend_name)
