#include "tests/reports/web_test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab::test {

void make_web_store(const std::string& root) {
  RunStore store(root);
  auto& catalog = store.catalog();
  struct Spec {
    const char* id;
    const char* name;
    int epochs;
    const char* encoder;
    const char* lr;
    RunStatus status;
  };
  // beta and gamma are two cells of one sweep.
  catalog.create_sweep({"5eed0001", "lr-sweep", "/experiments/lr_sweep.ini", "[sweep]\ntrain.lr = 0.001, 0.01\n",
                        "2026-11-25T10:00:00Z"});
  const Spec specs[] = {{"aaaa0001", "alpha", 3, "plain", "0.003", RunStatus::finished},
                        {"bbbb0002", "beta", 2, "resnet18", "0.001", RunStatus::finished},
                        {"cccc0003", "gamma", 1, "plain", "0.01", RunStatus::running}};
  for (const auto& s : specs) {
    RunInfo info;
    info.id = s.id;
    info.name = s.name;
    info.created_at = std::string("2026-11-25T10:0") + s.id[3] + ":00Z";
    info.config_hash = std::string(64, s.id[0]);
    info.command = std::string("seglab train ") + s.name + ".ini";
    info.host = "testhost";
    if (s.id[0] != 'a') {
      info.sweep_id = "5eed0001";
      info.job_key = std::string("key-") + s.lr;
    }
    catalog.create_run(info,
                       {{"model.encoder", s.encoder}, {"train.lr", s.lr}, {"train.epochs", std::to_string(s.epochs)},
                        {"experiment.name", s.name}},
                       {{"backend.name", "libtorch"}, {"data.samples", "20"}});
    std::vector<MetricPoint> points;
    for (int epoch = 1; epoch <= s.epochs; ++epoch) {
      for (int step = 1; step <= 2; ++step)
        points.push_back({"train.loss", (epoch - 1) * 2 + step, epoch, 1.0 / ((epoch - 1) * 2 + step), 1e9});
      points.push_back({"train.epoch_loss", epoch * 2, epoch, 1.0 / epoch, 1e9});
      points.push_back({"val.dice", epoch * 2, epoch, 0.5 + 0.1 * epoch, 1e9});
    }
    catalog.log_metrics(s.id, points);
    if (s.status != RunStatus::running) catalog.set_status(s.id, s.status);
    write_text_file(store.run_dir(s.id) + "/config.ini", std::string("[experiment]\nname = ") + s.name + "\n");
  }
  const std::string eval = store.run_dir("aaaa0001") + "/eval/val-best";
  write_text_file(eval + "/summary.csv", "metric,mean,std,pooled\ndice,0.8,0.1,0.81\niou,0.7,0.1,0.71\n");
  write_text_file(eval + "/per_image.csv", "id,dice,iou\nIMD002,0.9,0.8\nIMD004,0.7,0.6\n");
  fs::create_directories(eval + "/masks");
  for (const char* id : {"IMD002", "IMD004"}) {
    cv::Mat mask(24, 32, CV_8U, cv::Scalar(0));
    cv::circle(mask, {16, 12}, 8, cv::Scalar(255), -1);
    cv::imwrite(eval + "/masks/" + id + ".png", mask);
  }
}

Prediction dark_pixel_prediction(const PredictionRequest& request) {
  cv::Mat grey;
  cv::cvtColor(request.rgb, grey, cv::COLOR_RGB2GRAY);
  Prediction p;
  grey.convertTo(p.lesion_probability, CV_32F, -1.0 / 255, 1.0);
  p.threshold = request.threshold >= 0 ? request.threshold : 0.5;
  p.mask = p.lesion_probability > p.threshold;
  p.mask /= 255;
  p.num_classes = 2;
  return p;
}

StartedServer start_web_server(WebServerOptions options, WebHooks hooks) {
  options.port = 0;
  StartedServer started;
  started.server = std::make_unique<WebServer>(options, hooks);
  started.port = started.server->bind();
  started.server->start();
  return started;
}

RawResponse raw_http(int port, const std::string& request) {
  RawResponse response;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return response;
  }
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string answer;
  char buffer[8192];
  ssize_t n;
  while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, static_cast<size_t>(n));
  close(fd);
  const size_t split = answer.find("\r\n\r\n");
  response.head = answer.substr(0, split);
  if (split != std::string::npos) response.body = answer.substr(split + 4);
  if (answer.rfind("HTTP/1.1 ", 0) == 0) response.status = std::atoi(answer.c_str() + 9);
  return response;
}

RawResponse raw_get(int port, const std::string& target) {
  return raw_http(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

}  // namespace seglab::test
