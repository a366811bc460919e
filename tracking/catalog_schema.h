#pragma once
// The catalog's schema as a list of migrations (internal to tracking/).
// Migration i brings a catalog from version i to i + 1 (PRAGMA user_version).
// Never edit a shipped migration: append a new one.
namespace seglab {

extern const char* const kCatalogMigrations[];
extern const int kCatalogMigrationCount;

}  // namespace seglab
