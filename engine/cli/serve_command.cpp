#include <chrono>
#include <iostream>
#include <thread>

#include "core/error.h"
#include "core/interrupt.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "engine/image_segmenter.h"
#include "reports/web/web_server.h"
#include "tracking/run_store.h"

namespace po = boost::program_options;

namespace seglab {

int serve_command(const std::vector<std::string>& args) {
  std::string store;
  WebServerOptions web;
  double max_upload_mb = 20;
  po::options_description options("serve options");
  options.add_options()("host", po::value<std::string>(&web.host)->default_value("127.0.0.1"),
                        "address to listen on (0.0.0.0 opens the UI to your network)")(
      "port", po::value<int>(&web.port)->default_value(8080), "TCP port (0: any free port)")(
      "max-upload-mb", po::value<double>(&max_upload_mb)->default_value(20), "largest image upload, in MB")(
      "queue", po::value<size_t>(&web.predict_queue)->default_value(4),
      "predictions waiting or running at once; more are refused with 503");
  add_store_option(options, store);
  po::variables_map values;
  if (!parse_command(args, "serve [--store dir] [--port 8080] [--host 127.0.0.1]", options, {}, values)) return 0;
  if (web.port < 0 || web.port > 65535) throw UsageError("bad port " + std::to_string(web.port), "--port", "use 0 to 65535");
  if (max_upload_mb <= 0) throw UsageError("the upload limit must be positive", "--max-upload-mb");
  web.max_upload_bytes = static_cast<size_t>(max_upload_mb * 1024 * 1024);
  web.store_root = RunStore::resolve_path(store);
  RunStore check(web.store_root);  // creates the store, or fails here with the path

  // Predictions run in the engine (which loads networks); the server only
  // sees the hooks, on its own worker thread.
  StoreSegmenter segmenter(web.store_root);
  WebServer server(web, segmenter.hooks());
  const int port = server.bind();
  std::cout << "serving " << web.store_root << " at http://" << web.host << ":" << port << "/  (Ctrl-C to stop)"
            << std::endl;
  if (web.host != "127.0.0.1" && web.host != "localhost" && web.host != "::1")
    std::cout << "warning: listening on " << web.host
              << ", not only this machine: anyone who can reach it can read the store and run predictions"
              << std::endl;
  install_interrupt_handlers();
  server.start();
  while (!interrupt_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  server.stop();
  std::cout << "stopped" << std::endl;
  return 0;
}

}  // namespace seglab
