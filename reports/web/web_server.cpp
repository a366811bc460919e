#include "reports/web/web_server.h"

#include <chrono>
#include <thread>

#include "reports/web/http_error.h"
#include "reports/web/web_routes.h"

namespace seglab {

struct WebServer::Impl {
  Impl(WebServerOptions options, WebHooks hooks)
      : context{options, hooks, StoreQueries(options.store_root),
                PredictQueue(hooks.predict, options.predict_queue, options.predict_workers)} {}
  WebContext context;
  httplib::Server server;
  int port = -1;
  std::thread thread;
};

WebServer::WebServer(WebServerOptions options, WebHooks hooks)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(hooks))) {
  auto& server = impl_->server;
  const size_t limit = impl_->context.options.max_upload_bytes;
  // The request limit leaves room for the multipart framing around the file;
  // the file itself is checked against max_upload_bytes in /api/predict.
  server.set_payload_max_length(limit + 64 * 1024);
  server.set_read_timeout(30, 0);
  server.set_write_timeout(30, 0);
  add_routes(server, impl_->context);
  server.set_error_handler([limit](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string what = "bad request";
    std::string remedy;
    if (res.status == 404) what = "no such page", remedy = "start at /";
    if (res.status == 413)
      what = "the upload is larger than the limit of " + std::to_string(limit / (1024 * 1024)) + " MB",
      remedy = "send a smaller image, or start the server with a larger --max-upload-mb";
    if (res.status == 405) what = "method not allowed";
    res.set_content(error_json(what, req.path, remedy).dump(), "application/json");
  });
  server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
    std::string what = "internal error";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    res.status = 500;
    res.set_content(error_json(what, req.path).dump(), "application/json");
  });
}

WebServer::~WebServer() { stop(); }

int WebServer::bind() {
  const auto& options = impl_->context.options;
  impl_->port = options.port == 0 ? impl_->server.bind_to_any_port(options.host)
                                  : (impl_->server.bind_to_port(options.host, options.port) ? options.port : -1);
  if (impl_->port < 0)
    throw Error("cannot listen on " + options.host + ":" + std::to_string(options.port), "--port",
                "the port may be in use; choose another with --port");
  return impl_->port;
}

void WebServer::serve() {
  if (impl_->port < 0) bind();
  impl_->server.listen_after_bind();
}

void WebServer::start() {
  if (impl_->port < 0) bind();
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  while (!impl_->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void WebServer::stop() {
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int WebServer::bound_port() const { return impl_->port; }

}  // namespace seglab
