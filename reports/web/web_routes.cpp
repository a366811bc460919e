#include "reports/web/web_routes.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "reports/web/http_error.h"
#include "reports/web/prediction_json.h"
#include "reports/web/uploaded_image.h"
#include "reports/web/web_assets.h"

using nlohmann::json;

namespace seglab {
namespace {

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(), "application/json");
}

// Every handler runs inside this: an HttpError becomes its status, any other
// failure a 500 with its message; nothing escapes to stop the server.
template <class Handler>
httplib::Server::Handler guarded(Handler handler) {
  return [handler](const httplib::Request& req, httplib::Response& res) {
    try {
      handler(req, res);
    } catch (const HttpError& e) {
      send_json(res, e.status(), error_json(e));
    } catch (const Error& e) {
      send_json(res, 500, error_json(e));
    } catch (const std::exception& e) {
      send_json(res, 500, error_json(e.what()));
    }
  };
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw HttpError(404, "cannot read the file", path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

double parse_threshold(const std::string& text) {
  if (text.empty()) return -1;
  try {
    size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size() && value >= 0 && value <= 1) return value;
  } catch (const std::exception&) {
  }
  throw HttpError(400, "bad threshold '" + text + "'", "threshold", "give a number from 0 to 1, or leave it out");
}

// A form field of a multipart request, or a query parameter.
std::string field(const httplib::Request& req, const char* name) {
  if (req.has_file(name)) return req.get_file_value(name).content;
  return req.get_param_value(name);
}

void predict(WebContext& context, const httplib::Request& req, httplib::Response& res) {
  if (!context.hooks.predict) throw HttpError(501, "this server cannot segment images", "/api/predict");
  if (!req.is_multipart_form_data() || !req.has_file("image"))
    throw HttpError(400, "no image in the request", "/api/predict",
                    "POST multipart/form-data with fields image (the file), run and threshold");
  const auto upload = req.get_file_value("image");
  if (upload.content.size() > context.options.max_upload_bytes)
    throw HttpError(413, "the upload is larger than the limit of " +
                             std::to_string(context.options.max_upload_bytes / (1024 * 1024)) + " MB",
                    upload.filename, "send a smaller image, or start the server with a larger --max-upload-mb");
  const std::string run_field = field(req, "run");
  if (run_field.empty()) throw HttpError(400, "no run given", "/api/predict", "add the field run=<run id>");
  PredictionRequest request;
  request.run_id = context.queries.resolve_run_id(run_field);
  request.threshold = parse_threshold(field(req, "threshold"));
  request.rgb = decode_uploaded_image(upload.content, upload.filename);
  const cv::Mat rgb = request.rgb;

  auto future = context.predictions.submit(std::move(request));
  if (!future) {
    res.set_header("Retry-After", "5");
    throw HttpError(503, "busy: " + std::to_string(context.predictions.capacity()) + " predictions are already queued",
                    "/api/predict", "try again in a few seconds");
  }
  if (future->wait_for(std::chrono::seconds(context.options.predict_timeout_s)) != std::future_status::ready)
    throw HttpError(504, "the prediction took longer than " + std::to_string(context.options.predict_timeout_s) + " s",
                    "/api/predict", "try a smaller image");
  Prediction prediction;
  try {
    prediction = future->get();
  } catch (const HttpError&) {
    throw;
  } catch (const Error& e) {
    // The run cannot segment (no checkpoint yet, a model this build lacks).
    throw HttpError(422, e.reason(), e.input().empty() ? "run " + run_field : e.input(), e.remedy());
  }
  send_json(res, 200, prediction_to_json(context.queries.resolve_run_id(run_field), rgb, prediction));
}

}  // namespace

void add_routes(httplib::Server& server, WebContext& context) {
  StoreQueries& queries = context.queries;

  server.Get("/api/runs", guarded([&](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, queries.runs());
  }));
  server.Get(R"(/api/runs/([^/]+))", guarded([&](const httplib::Request& req, httplib::Response& res) {
    send_json(res, 200, queries.run(req.matches[1]));
  }));
  server.Get(R"(/api/runs/([^/]+)/metrics)", guarded([&](const httplib::Request& req, httplib::Response& res) {
    send_json(res, 200, queries.metrics(req.matches[1], req.get_param_value("key")));
  }));
  server.Get(R"(/api/runs/([^/]+)/files/(.*))", guarded([&](const httplib::Request& req, httplib::Response& res) {
    const std::string path = queries.run_file(req.matches[1], req.matches[2]);
    res.set_content(read_file(path), content_type_for(path));
  }));
  server.Get(R"(/api/runs/([^/]+)/samples)", guarded([&](const httplib::Request& req, httplib::Response& res) {
    const std::string id = queries.resolve_run_id(req.matches[1]);
    if (!context.hooks.list_samples) throw HttpError(501, "this server cannot read datasets", "run " + id);
    json ids = json::array();
    for (const auto& sample : context.hooks.list_samples(id)) ids.push_back(sample);
    send_json(res, 200, {{"run", id}, {"samples", ids}});
  }));
  server.Get(R"(/api/runs/([^/]+)/samples/(\d{1,9})\.png)",
             guarded([&](const httplib::Request& req, httplib::Response& res) {
               const std::string id = queries.resolve_run_id(req.matches[1]);
               if (!context.hooks.sample_image) throw HttpError(501, "this server cannot read datasets", "run " + id);
               const size_t index = std::stoul(req.matches[2]);
               if (index >= context.hooks.list_samples(id).size())
                 throw HttpError(404, "no sample " + std::to_string(index) + " in the run's dataset", "run " + id);
               res.set_content(encode_png(context.hooks.sample_image(id, index)), "image/png");
             }));
  server.Get(R"(/api/sweeps/([^/]+))", guarded([&](const httplib::Request& req, httplib::Response& res) {
    send_json(res, 200, queries.sweep(req.matches[1]));
  }));
  server.Post("/api/predict", guarded([&](const httplib::Request& req, httplib::Response& res) {
    predict(context, req, res);
  }));
  server.Get(R"(/api/.*)", guarded([](const httplib::Request& req, httplib::Response&) {
    throw HttpError(404, "no such API", req.path, "see the API list in docs/web-ui.md");
  }));

  // Pages and their scripts, compiled into the binary.
  server.Get(R"(/([^/]*))", guarded([](const httplib::Request& req, httplib::Response& res) {
    const std::string url = req.path == "/" ? "/index.html" : req.path;
    const WebAsset* asset = find_web_asset(url);
    if (!asset) throw HttpError(404, "no such page", req.path, "start at /");
    res.set_content(reinterpret_cast<const char*>(asset->data), asset->size, content_type_for(url));
  }));
}

}  // namespace seglab
