#include "core/log.h"

#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>

namespace seglab::log {
namespace {

std::mutex mutex;
std::ofstream file;
bool quiet = false;

std::string timestamp() {
  std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
  return buffer;
}

void write(const char* level, const std::string& message, bool to_console) {
  std::lock_guard<std::mutex> lock(mutex);
  if (to_console && !quiet) std::cerr << (level[0] == 'W' ? "warning: " : "") << message << "\n";
  if (file.is_open()) {
    file << timestamp() << " " << level << " " << message << "\n";
    file.flush();
  }
}

}  // namespace

void info(const std::string& message) { write("INFO", message, true); }
void warn(const std::string& message) { write("WARN", message, true); }
void detail(const std::string& message) { write("INFO", message, false); }

void open_file(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex);
  if (file.is_open()) file.close();
  file.open(path, std::ios::app);
}

void close_file() {
  std::lock_guard<std::mutex> lock(mutex);
  if (file.is_open()) file.close();
}

void set_quiet(bool value) {
  std::lock_guard<std::mutex> lock(mutex);
  quiet = value;
}

}  // namespace seglab::log
