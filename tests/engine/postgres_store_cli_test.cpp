// The seglab binary on a PostgreSQL store: `seglab train` of the quickstart
// experiment (made tiny with --set) records its run on the server and its
// files under ?runs=, its split included (with a test part that `eval --data
// test` scores); `runs list` reads it back; `store copy` brings it home
// to a SQLite folder; a URL with a password is refused before anything runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "tests/support/postgres_server.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

const char* kTiny =
    " --set data.num_samples=20 --set data.synthetic_size=32 --set data.image_size=32 --set model.base_channels=4"
    " --set model.depth=2 --set train.epochs=2 --set train.batch_size=5 --set backend.device=cpu";

TEST(PostgresStoreCli, TrainListAndCopyHome) {
  test::PostgresServer& server = test::PostgresServer::shared();
  test::TempDir dir;
  const std::string url = server.store_url(server.create_database("cli"), dir / "shared");

  const auto train = test::run_seglab("train " + std::string(test::source_dir()) + "/experiments/quickstart.ini" + kTiny +
                                      " --set data.test_ratio=0.25 --store '" + url + "'");
  ASSERT_EQ(train.exit_code, 0) << train.output;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(train.output, match, std::regex("run ([0-9a-f]{8}) \"quickstart\""))) << train.output;
  const std::string id = match[1].str();
  EXPECT_TRUE(fs::exists(dir / ("shared/runs/" + id + "/run.h5")));
  EXPECT_FALSE(fs::exists(dir / "shared/catalog.db"));

  const auto list = test::run_seglab("runs list --store '" + url + "'");
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_TRUE(std::regex_search(list.output, std::regex(id + ".*quickstart.*finished"))) << list.output;

  // The split is recorded on the server as in a folder store, and its test part is scored from there.
  const auto shown = test::run_seglab("runs show " + id + " --store '" + url + "'");
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_NE(shown.output.find("data.split_ids.test = 5 ids: "), std::string::npos) << shown.output;
  ASSERT_TRUE(std::regex_search(shown.output, match, std::regex("data.split_sha256 = ([0-9a-f]{64})"))) << shown.output;
  const std::string split_sha = match[1].str();
  const auto on_test = test::run_seglab("eval " + id + " --data test --no-masks --store '" + url + "'");
  ASSERT_EQ(on_test.exit_code, 0) << on_test.output;
  EXPECT_NE(on_test.output.find("test split: 5 images"), std::string::npos) << on_test.output;

  const auto copy = test::run_seglab("store copy '" + url + "' " + (dir / "home"));
  ASSERT_EQ(copy.exit_code, 0) << copy.output;
  EXPECT_NE(copy.output.find("copied 1 runs and 0 sweeps"), std::string::npos) << copy.output;
  const auto home = test::run_seglab("runs list --store " + (dir / "home"));
  EXPECT_TRUE(std::regex_search(home.output, std::regex(id + ".*quickstart.*finished"))) << home.output;
  EXPECT_TRUE(fs::exists(dir / ("home/runs/" + id + "/run.h5")));
  const auto shown_home = test::run_seglab("runs show " + id + " --store " + (dir / "home"));
  EXPECT_NE(shown_home.output.find("data.split_sha256 = " + split_sha), std::string::npos) << shown_home.output;

  const auto secret = test::run_seglab("runs list --store 'postgresql://postgres:hunter2@127.0.0.1:" +
                                       std::to_string(server.port()) + "/postgres?runs=" + (dir / "x") + "'");
  EXPECT_NE(secret.exit_code, 0);
  EXPECT_NE(secret.output.find("contains a password"), std::string::npos) << secret.output;
  EXPECT_EQ(secret.output.find("hunter2"), std::string::npos) << secret.output;
  EXPECT_FALSE(fs::exists(dir / "x"));
}

}  // namespace
}  // namespace seglab
