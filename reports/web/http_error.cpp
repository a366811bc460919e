#include "reports/web/http_error.h"

namespace seglab {

HttpError::HttpError(int status, const std::string& what, std::string input, std::string remedy)
    : Error(what, std::move(input), std::move(remedy)), status_(status) {}

nlohmann::json error_json(const std::string& what, const std::string& input, const std::string& remedy) {
  nlohmann::json body = {{"error", what}};
  if (!input.empty()) body["input"] = input;
  if (!remedy.empty()) body["remedy"] = remedy;
  return body;
}

nlohmann::json error_json(const Error& error) { return error_json(error.reason(), error.input(), error.remedy()); }

}  // namespace seglab
