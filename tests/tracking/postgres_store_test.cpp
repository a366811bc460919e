// What only the PostgreSQL store has: the store URL (no passwords, a folder
// for the run files), and a server that goes away mid-run.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "core/error.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_support.h"
#include "tests/support/time_limits.h"
#include "tracking/pg_connection.h"
#include "tracking/postgres_catalog.h"
#include "tracking/run_store.h"
#include "tracking/store_location.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

RunInfo make_run(const std::string& id) {
  RunInfo r;
  r.id = id;
  r.name = "n";
  r.created_at = utc_now_iso();
  r.config_hash = "h";
  return r;
}

std::string refusal(const std::string& location) {
  try {
    parse_store_location(location);
  } catch (const StoreError& e) {
    return e.describe();
  }
  return "(accepted)";
}

TEST(StoreLocation, RefusesAPasswordInTheUrlWithoutRepeatingIt) {
  for (const char* url : {"postgresql://alice:s3cr3t@db.lab:5432/seglab?runs=/shared/runs",
                          "postgres://alice:s3cr3t@db.lab/seglab?runs=/shared/runs",
                          "postgresql://alice@db.lab/seglab?runs=/shared/runs&password=s3cr3t"}) {
    const std::string message = refusal(url);
    EXPECT_NE(message.find("contains a password"), std::string::npos) << message;
    EXPECT_NE(message.find("~/.pgpass"), std::string::npos) << message;
    EXPECT_EQ(message.find("s3cr3t"), std::string::npos) << message;
  }
}

TEST(StoreLocation, ParsesTheUrlAndItsRunFolder) {
  const StoreLocation where = parse_store_location("postgresql://alice@db.lab:6543/seglab?runs=/shared/my%20runs&sslmode=prefer");
  EXPECT_TRUE(where.postgres);
  EXPECT_EQ(where.files_root, "/shared/my runs");
  EXPECT_EQ(where.conninfo, "postgresql://alice@db.lab:6543/seglab?sslmode=prefer");
  EXPECT_EQ(where.display, "postgresql://alice@db.lab:6543/seglab");
  EXPECT_NE(refusal("postgresql://alice@db.lab/seglab").find("?runs="), std::string::npos);
  const StoreLocation folder = parse_store_location("some/folder");
  EXPECT_FALSE(folder.postgres);
  EXPECT_EQ(folder.files_root, "some/folder");
}

TEST(PostgresStore, RunStoreKeepsTheCatalogOnTheServerAndFilesUnderRuns) {
  test::PostgresServer& server = test::PostgresServer::shared();
  test::TempDir dir;
  const std::string database = server.create_database("store");
  const std::string url = server.store_url(database, dir / "shared");
  {
    RunStore store(url);
    EXPECT_TRUE(store.postgres());
    EXPECT_EQ(store.root(), dir / "shared");
    EXPECT_EQ(store.location(), url);
    EXPECT_EQ(store.run_dir("abcd0001"), dir / "shared/runs/abcd0001");
    store.catalog().create_run(make_run(store.new_run_id()), {{"a", "1"}}, {});
  }
  EXPECT_TRUE(fs::is_directory(dir / "shared/runs"));
  EXPECT_FALSE(fs::exists(dir / "shared/catalog.db"));
  EXPECT_EQ(RunStore(url).catalog().list_runs().size(), 1u);
  EXPECT_EQ(server.psql(database, "SELECT count(*) FROM params"), "1\n");
}

// Two writers take two rows in opposite orders: PostgreSQL aborts one with a
// deadlock (40P01) after deadlock_timeout (1 s); it is rerun and both commit.
TEST(PostgresStore, ADeadlockedTransactionIsRerun) {
  test::PostgresServer& server = test::PostgresServer::shared();
  const std::string database = server.create_database("deadlock");
  server.psql(database, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL); INSERT INTO t VALUES (1, 0), (2, 0);");
  std::atomic<int> holding{0};
  int attempts[2] = {0, 0};
  auto writer = [&](int me) {
    PgConnection connection(server.url(database), "test");
    connection.transaction([&] {
      ++attempts[me];
      connection.exec("UPDATE t SET v = v + 1 WHERE id = $1", {pg_value(int64_t{me + 1})});
      if (attempts[me] == 1) {  // both hold their first row before taking the other's
        ++holding;
        while (holding < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      connection.exec("UPDATE t SET v = v + 1 WHERE id = $1", {pg_value(int64_t{2 - me})});
    });
  };
  std::thread a(writer, 0), b(writer, 1);
  a.join();
  b.join();
  EXPECT_EQ(server.psql(database, "SELECT sum(v) FROM t"), "4\n");  // both transactions, once each
  EXPECT_EQ(attempts[0] + attempts[1], 3);                          // one of them ran twice
}

// A server of its own: this test stops it.
TEST(PostgresStore, ALostServerIsRetriedThenReportedClearly) {
  test::PostgresServer server;
  const std::string url = server.url(server.create_database("lost"));
  const std::string display = "postgresql://postgres@127.0.0.1:" + std::to_string(server.port()) + "/" +
                              url.substr(url.rfind('/') + 1);
  // Long enough for pg_ctl to restart the server on a loaded machine (scaled under the sanitize preset).
  ::setenv("SEGLAB_PG_RETRY_SECONDS", std::to_string(test::scaled_seconds(10)).c_str(), 1);
  PostgresCatalog catalog(url, display);
  catalog.create_run(make_run("10570001"), {}, {});

  // The server comes back within the retry window: the write goes through.
  server.stop();
  ASSERT_FALSE(server.running());
  std::thread restart([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    server.start();
  });
  // A throw here must not skip the join (a joinable std::thread terminates the whole suite).
  EXPECT_NO_THROW(catalog.log_metrics("10570001", {{"val.dice", 1, 1, 0.5, 1}}));
  restart.join();
  EXPECT_EQ(catalog.metric_count("10570001"), 1);

  // It does not: after the retries, one clear error naming the server.
  ::setenv("SEGLAB_PG_RETRY_SECONDS", "1.5", 1);
  PostgresCatalog short_patience(url, display);
  server.stop();
  const auto start = std::chrono::steady_clock::now();
  try {
    short_patience.log_metrics("10570001", {{"val.dice", 2, 1, 0.6, 1}});
    FAIL() << "a write to a stopped server succeeded";
  } catch (const StoreError& e) {
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_GE(waited, 0.7);
    EXPECT_LT(waited, 10);
    const std::string message = e.describe();
    EXPECT_NE(message.find("cannot reach the PostgreSQL catalog"), std::string::npos) << message;
    EXPECT_NE(message.find(display), std::string::npos) << message;
    EXPECT_NE(message.find("attempts over"), std::string::npos) << message;
  }
  ::unsetenv("SEGLAB_PG_RETRY_SECONDS");
}

}  // namespace
}  // namespace seglab
