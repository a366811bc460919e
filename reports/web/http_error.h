#pragma once
// An error that becomes one HTTP response: a 4xx/5xx status and a JSON body
// {"error": "...", "input": "...", "remedy": "..."} that pages show as it is.
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"

namespace seglab {

class HttpError : public Error {
 public:
  HttpError(int status, const std::string& what, std::string input = {}, std::string remedy = {});
  int status() const { return status_; }

 private:
  int status_;
};

// The JSON body for an error (used for HttpError and for failures httplib
// detects itself, such as an oversized request).
nlohmann::json error_json(const std::string& what, const std::string& input = {}, const std::string& remedy = {});
nlohmann::json error_json(const Error& error);

}  // namespace seglab
