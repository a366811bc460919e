#pragma once
// One libpq connection with the retry policy of the PostgreSQL catalog
// (internal to tracking/). A lost connection (server restarted, network
// gone) is reopened with exponential backoff for up to `retry_seconds`
// ($SEGLAB_PG_RETRY_SECONDS, default 60); serialization failures and
// deadlocks rerun the whole transaction. Errors name the server as
// `display` (postgresql://user@host:port/db), never the password.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace seglab {

using PgValue = std::optional<std::string>;  // nullopt is SQL NULL
PgValue pg_value(const std::string& text);
PgValue pg_value(const char* text);
PgValue pg_value(int64_t number);
PgValue pg_value(double number);  // exact round trip; NaN as 'NaN'
PgValue pg_nullable(double number);  // NaN as NULL

// The rows of one statement.
class PgResult {
 public:
  explicit PgResult(pg_result* result) : result_(result) {}
  ~PgResult();
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  int rows() const;
  int64_t affected() const;  // rows changed by INSERT/UPDATE/DELETE
  std::string text(int row, int column) const;
  int64_t integer(int row, int column) const;
  double real(int row, int column) const;
  double real_or_nan(int row, int column) const;  // NaN for NULL
  pg_result* raw() const { return result_; }

 private:
  pg_result* result_;
};

class PgConnection {
 public:
  PgConnection(std::string conninfo, std::string display);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // One statement; throws StoreError naming the server on failure.
  PgResult exec(const std::string& sql, const std::vector<PgValue>& params = {});
  // `body` inside BEGIN ... COMMIT, rerun on serialization failure, deadlock
  // or a lost connection (reconnecting with backoff).
  void transaction(const std::function<void()>& body);
  // `body` (reads outside a transaction), rerun after a lost connection.
  void read(const std::function<void()>& body);

  const std::string& display() const { return display_; }

 private:
  void retrying(bool in_transaction, const std::function<void()>& body);
  void connect_with_backoff();

  std::string conninfo_;
  std::string display_;
  double retry_seconds_;
  pg_conn* connection_ = nullptr;
};

}  // namespace seglab
