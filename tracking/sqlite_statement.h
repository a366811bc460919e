#pragma once
// RAII for a prepared SQLite statement, with errors that name the catalog file
// (internal to tracking/).
#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace seglab {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, const std::string& sql, const std::string& path);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  SqliteStatement& bind(int index, const std::string& value);
  SqliteStatement& bind(int index, int64_t value);
  SqliteStatement& bind(int index, double value);

  // Advances; true while a row is available.
  bool step();
  // Runs a statement that returns no rows, then resets it for reuse.
  void run();
  void reset();

  std::string text(int column) const;
  int64_t integer(int column) const;
  double real(int column) const;
  // NaN for NULL (SQLite stores a bound NaN as NULL).
  double real_or_nan(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
  std::string path_;
};

// Throws StoreError with SQLite's message for a failed call.
[[noreturn]] void throw_sqlite_error(sqlite3* db, const std::string& path, const std::string& doing);

}  // namespace seglab
