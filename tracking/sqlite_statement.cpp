#include "tracking/sqlite_statement.h"

#include <cmath>

#include "core/error.h"

namespace seglab {

void throw_sqlite_error(sqlite3* db, const std::string& path, const std::string& doing) {
  const int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
  std::string remedy;
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    remedy = "another process holds the catalog locked; retry when it is done";
  else if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
    remedy = "the catalog file is damaged; restore it from a backup or start a new store with --store";
  else if ((code & 0xff) == SQLITE_FULL)
    remedy = "the disk is full; free space and retry";
  throw StoreError(doing + " failed: " + message, path, remedy);
}

SqliteStatement::SqliteStatement(sqlite3* db, const std::string& sql, const std::string& path)
    : db_(db), path_(path) {
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement_, nullptr) != SQLITE_OK)
    throw_sqlite_error(db_, path_, "preparing '" + sql.substr(0, 40) + "...'");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

SqliteStatement& SqliteStatement::bind(int index, const std::string& value) {
  sqlite3_bind_text(statement_, index, value.c_str(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, double value) {
  sqlite3_bind_double(statement_, index, value);
  return *this;
}

bool SqliteStatement::step() {
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_sqlite_error(db_, path_, "query");
}

void SqliteStatement::run() {
  while (step()) {
  }
  reset();
}

void SqliteStatement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

std::string SqliteStatement::text(int column) const {
  const unsigned char* value = sqlite3_column_text(statement_, column);
  return value ? reinterpret_cast<const char*>(value) : "";
}

int64_t SqliteStatement::integer(int column) const { return sqlite3_column_int64(statement_, column); }
double SqliteStatement::real(int column) const { return sqlite3_column_double(statement_, column); }

double SqliteStatement::real_or_nan(int column) const {
  if (sqlite3_column_type(statement_, column) == SQLITE_NULL) return std::nan("");
  return sqlite3_column_double(statement_, column);
}

}  // namespace seglab
