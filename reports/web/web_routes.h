#pragma once
// The routes of the web server (internal to reports/web/).
#include <httplib.h>

#include "reports/web/predict_queue.h"
#include "reports/web/store_queries.h"
#include "reports/web/web_server.h"

namespace seglab {

struct WebContext {
  WebServerOptions options;
  WebHooks hooks;
  StoreQueries queries;
  PredictQueue predictions;
};

void add_routes(httplib::Server& server, WebContext& context);

}  // namespace seglab
