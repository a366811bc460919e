#include "tracking/pg_connection.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include "core/error.h"

namespace seglab {
namespace {

constexpr double kDefaultRetrySeconds = 60;
constexpr int kConflictAttempts = 30;
constexpr int kLostConnectionAttempts = 10;

// A failed statement; `sqlstate` tells a conflict worth rerunning from a real error.
class PgStatementError : public StoreError {
 public:
  PgStatementError(const std::string& what, const std::string& input, std::string sqlstate, bool lost)
      : StoreError(what, input), sqlstate_(std::move(sqlstate)), lost_(lost) {}
  bool conflict() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }
  bool lost() const { return lost_; }

 private:
  std::string sqlstate_;
  bool lost_;
};

std::string first_line(const char* message) {
  std::string text = message ? message : "";
  const size_t end = text.find('\n');
  if (end != std::string::npos) text.resize(end);
  return text;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void ignore_notice(void*, const char*) {}

}  // namespace

PgValue pg_value(const std::string& text) { return text; }
PgValue pg_value(const char* text) { return std::string(text); }
PgValue pg_value(int64_t number) { return std::to_string(number); }
PgValue pg_value(double number) {
  if (std::isnan(number)) return std::string("NaN");
  if (std::isinf(number)) return std::string(number > 0 ? "Infinity" : "-Infinity");
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", number);
  return std::string(text);
}
PgValue pg_nullable(double number) { return std::isnan(number) ? PgValue() : pg_value(number); }

PgResult::~PgResult() { PQclear(result_); }
int PgResult::rows() const { return PQntuples(result_); }
int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(result_);
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}
std::string PgResult::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column), static_cast<size_t>(PQgetlength(result_, row, column)));
}
int64_t PgResult::integer(int row, int column) const { return std::strtoll(PQgetvalue(result_, row, column), nullptr, 10); }
double PgResult::real(int row, int column) const { return std::strtod(PQgetvalue(result_, row, column), nullptr); }
double PgResult::real_or_nan(int row, int column) const {
  return PQgetisnull(result_, row, column) ? std::nan("") : real(row, column);
}

PgConnection::PgConnection(std::string conninfo, std::string display)
    : conninfo_(std::move(conninfo)), display_(std::move(display)), retry_seconds_(kDefaultRetrySeconds) {
  if (const char* env = std::getenv("SEGLAB_PG_RETRY_SECONDS"); env && *env) retry_seconds_ = std::atof(env);
  connect_with_backoff();
}

PgConnection::~PgConnection() { PQfinish(connection_); }

void PgConnection::connect_with_backoff() {
  const auto start = std::chrono::steady_clock::now();
  double delay = 0.1;
  for (int attempt = 1;; ++attempt) {
    PQfinish(connection_);
    // The URL is expanded by libpq; the keywords after it add to it. The
    // password, if any, comes from PGPASSWORD or ~/.pgpass, never from here.
    const char* keywords[] = {"dbname", "connect_timeout", "application_name", nullptr};
    const char* values[] = {conninfo_.c_str(), "10", "seglab", nullptr};
    connection_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
    if (PQstatus(connection_) == CONNECTION_OK) {
      PQsetNoticeProcessor(connection_, ignore_notice, nullptr);
      return;
    }
    const std::string message = first_line(PQerrorMessage(connection_));
    // A server that answers but refuses us (password, missing database) will
    // not change its mind: say so at once.
    const PGPing ping = PQpingParams(keywords, values, 1);
    const bool unreachable = ping == PQPING_NO_RESPONSE || ping == PQPING_REJECT;
    const double elapsed = seconds_since(start);
    if (!unreachable)
      throw StoreError("cannot open the PostgreSQL catalog: " + message, display_,
                       "check the user and database; the password comes from PGPASSWORD or ~/.pgpass");
    if (elapsed + delay > retry_seconds_) {
      char tried[96];
      std::snprintf(tried, sizeof tried, " (%d attempts over %.1f s)", attempt, elapsed);
      throw StoreError("cannot reach the PostgreSQL catalog: " + message + tried, display_,
                       "check that the server is up and reachable, then run the command again");
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    delay = std::min(delay * 2, 5.0);
  }
}

PgResult PgConnection::exec(const std::string& sql, const std::vector<PgValue>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  // Without parameters, PQexec: it also runs several statements (a migration).
  PgResult result(values.empty() ? PQexec(connection_, sql.c_str())
                                 : PQexecParams(connection_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                                values.data(), nullptr, nullptr, 0));
  pg_result* raw = result.raw();
  const ExecStatusType status = PQresultStatus(raw);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  const bool lost = PQstatus(connection_) != CONNECTION_OK || sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" ||
                    sqlstate == "57P02" || sqlstate == "57P03";
  std::string shown;  // the statement's start, on one line
  for (char c : sql.substr(0, 60))
    if (!std::isspace(static_cast<unsigned char>(c)) || (!shown.empty() && shown.back() != ' ')) shown += std::isspace(static_cast<unsigned char>(c)) ? ' ' : c;
  throw PgStatementError("'" + shown + "...' failed: " + first_line(PQerrorMessage(connection_)), display_,
                         sqlstate, lost);
}

void PgConnection::transaction(const std::function<void()>& body) { retrying(true, body); }
void PgConnection::read(const std::function<void()>& body) { retrying(false, body); }

void PgConnection::retrying(bool in_transaction, const std::function<void()>& body) {
  std::mt19937 jitter(std::random_device{}());
  int conflicts = 0, losses = 0;
  for (;;) {
    if (PQstatus(connection_) != CONNECTION_OK) connect_with_backoff();
    try {
      if (in_transaction) exec("BEGIN");
      body();
      if (in_transaction) exec("COMMIT");
      return;
    } catch (const PgStatementError& e) {
      if (in_transaction && PQstatus(connection_) == CONNECTION_OK) PQclear(PQexec(connection_, "ROLLBACK"));
      if (e.lost() && ++losses < kLostConnectionAttempts) continue;  // reconnects, with backoff
      if (e.conflict() && ++conflicts < kConflictAttempts) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5 + jitter() % (10 * conflicts)));
        continue;
      }
      throw;
    } catch (...) {
      if (in_transaction && PQstatus(connection_) == CONNECTION_OK) PQclear(PQexec(connection_, "ROLLBACK"));
      throw;
    }
  }
}

}  // namespace seglab
