#include "reports/web/web_assets.h"

#include <map>

namespace seglab {

const WebAsset* find_web_asset(const std::string& url) {
  for (const auto& asset : web_assets())
    if (url == asset.url) return &asset;
  return nullptr;
}

const char* content_type_for(const std::string& name) {
  static const std::map<std::string, const char*> types = {
      {"html", "text/html; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"}, {"json", "application/json"},
      {"png", "image/png"}, {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"bmp", "image/bmp"},
      {"csv", "text/csv; charset=utf-8"}, {"txt", "text/plain; charset=utf-8"},
      {"ini", "text/plain; charset=utf-8"}, {"log", "text/plain; charset=utf-8"}, {"svg", "image/svg+xml"},
      {"pdf", "application/pdf"},
  };
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos) return "application/octet-stream";
  const auto found = types.find(name.substr(dot + 1));
  return found == types.end() ? "application/octet-stream" : found->second;
}

}  // namespace seglab
