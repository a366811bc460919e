#pragma once
// `seglab serve`: a local HTTP server for the run store. Pages (runs table, run
// page with live curves, compare, segment an image) and the JSON API they use:
//
//   GET  /api/runs                       every run, with params and last metric values
//   GET  /api/runs/<id>                  config, record, metrics, evaluations, files
//   GET  /api/runs/<id>/metrics[?key=k]  metric points, by key
//   GET  /api/runs/<id>/files/<path>     a file of runs/<id>/ (masks, CSVs, config, log)
//   GET  /api/runs/<id>/samples          the run's dataset sample ids
//   GET  /api/runs/<id>/samples/<i>.png  one sample image
//   GET  /api/sweeps/<id>                a sweep and its runs
//   POST /api/predict                    multipart: image, run, threshold -> JSON with PNGs
//
// Errors are JSON {"error", "input", "remedy"} with a 4xx/5xx status; a bad
// request never stops the server. It listens on 127.0.0.1 unless told
// otherwise, serves files only from inside the store, and runs predictions on
// a bounded queue of worker threads (PredictQueue), not on request threads.
#include <memory>
#include <string>

#include "reports/web/web_hooks.h"
#include "reports/web/web_limits.h"

namespace seglab {

struct WebServerOptions {
  std::string store_root;
  std::string host = "127.0.0.1";
  int port = 8080;                            // 0: any free port (see bound_port())
  size_t max_upload_bytes = kDefaultMaxUploadBytes;  // larger uploads get 413
  size_t predict_queue = 4;                   // predictions waiting or running; more get 503
  int predict_workers = 1;
  int predict_timeout_s = 300;                // a request waiting longer gets 504
};

class WebServer {
 public:
  WebServer(WebServerOptions options, WebHooks hooks);
  ~WebServer();  // stops the server
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds the address; returns the port. Throws Error when it is taken.
  int bind();
  // Serves until stop(); binds first if bind() was not called.
  void serve();
  // bind() and serve() on a thread of its own (for tests and embedding).
  void start();
  // Safe from any thread, also from a signal-watching one.
  void stop();
  int bound_port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace seglab
