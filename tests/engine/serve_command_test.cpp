// `seglab serve` on the command line: its options and defaults, and the
// errors for a bad port and for a port already in use (the server itself is
// tested in tests/reports/).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/test_support.h"

namespace seglab {
namespace {

TEST(ServeCommand, HelpShowsLoopbackDefaultsAndLimits) {
  const auto help = test::run_seglab("serve --help");
  EXPECT_EQ(help.exit_code, 0) << help.output;
  EXPECT_NE(help.output.find("--host arg (=127.0.0.1)"), std::string::npos) << help.output;
  EXPECT_NE(help.output.find("--port arg (=8080)"), std::string::npos);
  EXPECT_NE(help.output.find("--max-upload-mb arg (=20)"), std::string::npos);
  EXPECT_NE(help.output.find("--queue arg (=4)"), std::string::npos);
}

TEST(ServeCommand, BadPortIsAUsageError) {
  test::TempDir dir;
  const auto bad = test::run_seglab("serve --store " + (dir / "store") + " --port 70000");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("error: --port: bad port 70000"), std::string::npos) << bad.output;
}

TEST(ServeCommand, APortInUseIsAnErrorNamingIt) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);
  test::TempDir dir;
  const auto busy = test::run_seglab("serve --store " + (dir / "store") + " --port " + std::to_string(port));
  close(fd);
  EXPECT_EQ(busy.exit_code, 1) << busy.output;
  EXPECT_NE(busy.output.find("cannot listen on 127.0.0.1:" + std::to_string(port)), std::string::npos) << busy.output;
}

}  // namespace
}  // namespace seglab
