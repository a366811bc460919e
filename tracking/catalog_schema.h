#pragma once
// The catalog's schema as a list of migrations (internal to tracking/), one
// list per database with the same tables, columns and versions. Migration i
// brings a catalog from version i to i + 1 (SQLite: PRAGMA user_version;
// PostgreSQL: the seglab_schema_version table). Never edit a shipped
// migration: append a new one to both lists.
namespace seglab {

extern const char* const kCatalogMigrations[];
extern const int kCatalogMigrationCount;

// PostgreSQL spelling: DOUBLE PRECISION for REAL, BIGINT for INTEGER, identity
// columns for AUTOINCREMENT, and an explicit `rowid` (insertion order) where
// SQLite's implicit one orders rows.
extern const char* const kPostgresCatalogMigrations[];
extern const int kPostgresCatalogMigrationCount;

}  // namespace seglab
