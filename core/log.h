#pragma once
// Minimal logging: messages go to stderr (unless quiet) and, while a run is
// active, to its log file with a timestamp. Thread-safe.
#include <string>

namespace seglab::log {

void info(const std::string& message);
void warn(const std::string& message);
// Writes only to the log file (details the terminal does not need).
void detail(const std::string& message);

// Starts/stops copying messages to a file (a run's `log.txt`).
void open_file(const std::string& path);
void close_file();
void set_quiet(bool quiet);

}  // namespace seglab::log
