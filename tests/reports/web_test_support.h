#pragma once
// A run store made by code for the web server tests, a server on a free
// loopback port, and raw HTTP requests for the cases a polite client would
// not send (plain "../" in a path, malformed request lines).
#include <memory>
#include <string>

#include "reports/web/web_server.h"
#include "tests/support/test_support.h"

namespace seglab::test {

// A store with two finished runs ("alpha" 3 epochs, "beta" 2 epochs) and one
// running run ("gamma"), their params, record, metric points, and for alpha an
// evaluation folder (summary.csv, per_image.csv, masks/*.png) as `seglab eval`
// writes it. Ids are fixed: aaaa0001, bbbb0002, cccc0003.
void make_web_store(const std::string& root);

// The store's lesion segmenter for tests: lesion probability is how dark a
// pixel is ((255 - grey) / 255), a rule anyone can recompute.
Prediction dark_pixel_prediction(const PredictionRequest& request);

struct StartedServer {
  std::unique_ptr<WebServer> server;
  int port = 0;
};
StartedServer start_web_server(WebServerOptions options, WebHooks hooks);

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
};
// Sends `request` bytes as they are to 127.0.0.1:port and reads the answer.
RawResponse raw_http(int port, const std::string& request);
RawResponse raw_get(int port, const std::string& target);

}  // namespace seglab::test
