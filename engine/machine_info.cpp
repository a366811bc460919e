#include "engine/machine_info.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "core/text.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

// The value of the first "key: value" line whose key is `key`, trimmed.
std::string field(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon != std::string::npos && trim(line.substr(0, colon)) == key) return trim(line.substr(colon + 1));
  }
  return "";
}

}  // namespace

std::string cpu_model_name() { return field("/proc/cpuinfo", "model name"); }

int cpu_cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

std::string gpu_model_name(const std::string& device) {
  if (device.rfind("cuda", 0) != 0) return "";
  const auto colon = device.find(':');
  const size_t index = colon == std::string::npos ? 0 : std::stoul(device.substr(colon + 1));
  std::vector<std::string> buses;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc/driver/nvidia/gpus", ec)) buses.push_back(entry.path().string());
  std::sort(buses.begin(), buses.end());
  if (index >= buses.size()) return "";
  return field(buses[index] + "/information", "Model");
}

}  // namespace seglab
