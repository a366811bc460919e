// Bad requests get a 4xx with a message that says why, and the server keeps
// serving: path traversal (plain, percent-encoded, through a symbolic link),
// oversized and non-image uploads, unknown run ids, malformed requests, a
// failing prediction and a full prediction queue.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/error.h"
#include "tests/reports/web_test_support.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace seglab {
namespace {

class WebSecurity : public ::testing::Test {
 protected:
  void SetUp() override {
    test::make_web_store(dir_ / "store");
    test::write_text_file(dir_ / "secret.txt", "outside the store");
    start({});
  }
  void start(WebHooks hooks, size_t queue = 4) {
    started_ = {};
    WebServerOptions options;
    options.store_root = dir_ / "store";
    options.predict_queue = queue;
    if (!hooks.predict) hooks.predict = test::dark_pixel_prediction;
    started_ = test::start_web_server(options, hooks);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", started_.port);
    client_->set_read_timeout(60, 0);
  }
  // The server still answers a normal request.
  void expect_still_serving() {
    auto res = client_->Get("/api/runs");
    ASSERT_TRUE(res) << "the server stopped answering";
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(json::parse(res->body)["runs"].size(), 3u);
  }
  static std::string error_of(const std::string& body) { return json::parse(body).value("error", ""); }

  httplib::Result upload(const std::string& bytes, const std::string& name, const std::string& run = "aaaa0001") {
    return client_->Post("/api/predict", httplib::MultipartFormDataItems{{"image", bytes, name, "application/octet-stream"},
                                                                         {"run", run, "", ""}});
  }

  test::TempDir dir_;
  test::StartedServer started_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(WebSecurity, PlainDotDotInAFilePathIsRefused) {
  for (const char* target : {"/api/runs/aaaa0001/files/../../../secret.txt", "/api/runs/aaaa0001/files/../../catalog.db",
                             "/api/runs/aaaa0001/files/eval/../../bbbb0002/config.ini"}) {
    const auto res = test::raw_get(started_.port, target);
    EXPECT_EQ(res.status, 400) << target << "\n" << res.head;
    EXPECT_NE(error_of(res.body).find("bad file path"), std::string::npos) << res.body;
    EXPECT_EQ(res.body.find("outside the store"), std::string::npos);
  }
  expect_still_serving();
}

TEST_F(WebSecurity, PercentEncodedTraversalIsRefused) {
  for (const char* target : {"/api/runs/aaaa0001/files/%2e%2e/%2e%2e/%2e%2e/secret.txt",
                             "/api/runs/aaaa0001/files/..%2f..%2f..%2fsecret.txt",
                             "/api/runs/aaaa0001/files/%2E%2E%2F%2E%2E%2Fcatalog.db",
                             "/api/runs/aaaa0001/files/.%2e/.%2e/.%2e/secret.txt"}) {
    const auto res = test::raw_get(started_.port, target);
    EXPECT_EQ(res.status, 400) << target << "\n" << res.head;
    EXPECT_EQ(res.body.find("outside the store"), std::string::npos);
  }
  // Encoded twice, it decodes once to a literal "%2e%2e" name: no such file.
  EXPECT_EQ(test::raw_get(started_.port, "/api/runs/aaaa0001/files/%252e%252e/secret.txt").status, 404);
  expect_still_serving();
}

TEST_F(WebSecurity, AbsoluteHiddenAndBackslashPathsAreRefused) {
  for (const char* target : {"/api/runs/aaaa0001/files//etc/passwd", "/api/runs/aaaa0001/files/%2fetc%2fpasswd",
                             "/api/runs/aaaa0001/files/..%5c..%5csecret.txt", "/api/runs/aaaa0001/files/.hidden",
                             "/api/runs/aaaa0001/files/config.ini%00.png"}) {
    const auto res = test::raw_get(started_.port, target);
    EXPECT_EQ(res.status, 400) << target << "\n" << res.head;
  }
  expect_still_serving();
}

TEST_F(WebSecurity, ASymbolicLinkOutOfTheRunFolderIsRefused) {
  fs::create_symlink(dir_ / "secret.txt", dir_ / "store/runs/aaaa0001/link.txt");
  auto res = client_->Get("/api/runs/aaaa0001/files/link.txt");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(error_of(res->body), "the path leaves the run's folder");
  expect_still_serving();
}

TEST_F(WebSecurity, OversizedUploadGets413) {
  const std::string big(21 * 1024 * 1024, 'x');
  auto res = upload("\x89PNG\r\n\x1A\n" + big, "big.png");
  ASSERT_TRUE(res) << "no answer to an oversized upload: " << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 413);
  EXPECT_NE(error_of(res->body).find("larger than the limit of 20 MB"), std::string::npos) << res->body;
  expect_still_serving();
}

TEST_F(WebSecurity, NonImageUploadsGet415Or422WithTheReason) {
  auto text = upload("name,dice\nIMD002,0.9\n", "scores.png");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->status, 415);
  const json body = json::parse(text->body);
  EXPECT_EQ(body["error"], "not an image: the file is not JPEG, PNG, BMP or TIFF");
  EXPECT_EQ(body["input"], "scores.png");
  EXPECT_EQ(body["remedy"], "upload a .jpg, .png, .bmp or .tif image");

  // A real image cut in half: the right signature, but it does not decode.
  const std::string image = test::read_text_file(test::shared_data("skin-lesions/images/IMD004.bmp"));
  auto truncated = upload(image.substr(0, 100), "IMD004.bmp");
  ASSERT_TRUE(truncated);
  EXPECT_EQ(truncated->status, 422);
  EXPECT_NE(error_of(truncated->body).find("cannot decode the image"), std::string::npos) << truncated->body;

  auto empty = upload("", "empty.jpg");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 400);
  auto no_file = client_->Post("/api/predict", "run=aaaa0001", "application/x-www-form-urlencoded");
  ASSERT_TRUE(no_file);
  EXPECT_EQ(no_file->status, 400);
  EXPECT_EQ(error_of(no_file->body), "no image in the request");
  expect_still_serving();
}

TEST_F(WebSecurity, UnknownRunIdsGet404) {
  const std::string image = test::read_text_file(test::shared_data("skin-lesions/images/IMD004.bmp"));
  for (const char* path : {"/api/runs/ffffffff", "/api/runs/ffffffff/metrics", "/api/runs/ffffffff/files/config.ini",
                           "/api/runs/ffffffff/samples", "/api/sweeps/none", "/api/nothing"}) {
    auto res = client_->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_FALSE(error_of(res->body).empty()) << path;
  }
  EXPECT_EQ(error_of(client_->Get("/api/runs/ffffffff")->body), "no run with id 'ffffffff'");
  auto predict = upload(image, "IMD004.bmp", "ffffffff");
  ASSERT_TRUE(predict);
  EXPECT_EQ(predict->status, 404);
  // Characters no id has never reach the catalog.
  EXPECT_EQ(test::raw_get(started_.port, "/api/runs/a'%20OR%201=1").status, 400);
  expect_still_serving();
}

TEST_F(WebSecurity, MalformedRequestsGet400) {
  EXPECT_EQ(test::raw_http(started_.port, "GARBAGE\r\n\r\n").status, 400);
  EXPECT_EQ(test::raw_http(started_.port, "GET /api/runs HTTP/9\r\nConnection: close\r\n\r\n").status, 400);
  EXPECT_EQ(test::raw_http(started_.port, "GET /api/runs/%zz HTTP/1.1\r\nConnection: close\r\n\r\n").status, 400);
  auto threshold = client_->Post(
      "/api/predict",
      httplib::MultipartFormDataItems{{"image", test::read_text_file(test::shared_data("skin-lesions/images/IMD004.bmp")),
                                       "IMD004.bmp", "image/bmp"},
                                      {"run", "aaaa0001", "", ""},
                                      {"threshold", "1.5", "", ""}});
  ASSERT_TRUE(threshold);
  EXPECT_EQ(threshold->status, 400);
  EXPECT_EQ(error_of(threshold->body), "bad threshold '1.5'");
  expect_still_serving();
}

TEST_F(WebSecurity, AFailingPredictionGets422AndTheServerGoesOn) {
  WebHooks hooks;
  hooks.predict = [](const PredictionRequest& request) -> Prediction {
    throw StoreError("no checkpoint 'best' in run.h5", "run " + request.run_id, "the run may still be starting");
  };
  start(hooks);
  auto res = upload(test::read_text_file(test::shared_data("skin-lesions/images/IMD004.bmp")), "IMD004.bmp");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 422);
  EXPECT_EQ(json::parse(res->body)["input"], "run aaaa0001");
  expect_still_serving();
}

TEST_F(WebSecurity, AFullPredictionQueueGets503AndPredictionsRunOffTheRequestThreads) {
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  std::thread::id worker;
  WebHooks hooks;
  std::atomic<int> calls{0};
  hooks.predict = [&, released](const PredictionRequest& request) {
    worker = std::this_thread::get_id();
    if (calls++ == 0) entered.set_value();
    released.wait();
    return test::dark_pixel_prediction(request);
  };
  start(hooks, 1);
  const std::string image = test::read_text_file(test::shared_data("skin-lesions/images/IMD004.bmp"));
  auto first = std::async(std::launch::async, [&] {
    httplib::Client other("127.0.0.1", started_.port);
    other.set_read_timeout(60, 0);
    return other.Post("/api/predict", httplib::MultipartFormDataItems{{"image", image, "a.bmp", "image/bmp"},
                                                                     {"run", "aaaa0001", "", ""}});
  });
  entered.get_future().wait();
  auto second = upload(image, "b.bmp");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 503);
  EXPECT_EQ(second->get_header_value("Retry-After"), "5");
  EXPECT_NE(error_of(second->body).find("busy"), std::string::npos);
  expect_still_serving();  // pages are served while the prediction runs
  release.set_value();
  auto done = first.get();
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200);
  EXPECT_NE(worker, std::this_thread::get_id());
  EXPECT_EQ(upload(image, "c.bmp")->status, 200);  // room again
}

}  // namespace
}  // namespace seglab
