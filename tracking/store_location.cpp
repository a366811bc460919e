#include "tracking/store_location.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>

#include "core/error.h"

namespace seglab {
namespace {

const char* const kRemedy = "put the password in ~/.pgpass or $PGPASSWORD, and give the URL without it";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 && hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

bool is_postgres_location(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

StoreLocation parse_store_location(const std::string& location) {
  StoreLocation out;
  out.location = location;
  if (!is_postgres_location(location)) {
    out.files_root = location;
    out.display = location;
    return out;
  }
  out.postgres = true;
  const size_t scheme_end = location.find("://") + 3;
  const size_t query = location.find('?', scheme_end);
  const std::string before_query = location.substr(0, query);
  const size_t authority_end = before_query.find('/', scheme_end);
  const std::string authority = before_query.substr(scheme_end, authority_end == std::string::npos
                                                                     ? std::string::npos
                                                                     : authority_end - scheme_end);
  const size_t at = authority.rfind('@');
  // What can be shown: scheme, host, port and database, without the userinfo.
  const std::string shown_without_user =
      location.substr(0, scheme_end) + (at == std::string::npos ? authority : authority.substr(at + 1)) +
      (authority_end == std::string::npos ? std::string() : before_query.substr(authority_end));
  if (at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos)
    throw StoreError("the store URL contains a password; seglab takes credentials only from libpq's environment",
                     shown_without_user, kRemedy);

  // seglab's own parameter `runs`; the others (sslmode, ...) go to libpq.
  std::string libpq_query;
  if (query != std::string::npos) {
    const std::string params = location.substr(query + 1);
    size_t begin = 0;
    while (begin <= params.size()) {
      size_t end = params.find('&', begin);
      if (end == std::string::npos) end = params.size();
      const std::string param = params.substr(begin, end - begin);
      const std::string name = param.substr(0, param.find('='));
      if (name == "runs") {
        out.files_root = percent_decode(param.substr(5));
      } else if (name == "password") {
        throw StoreError("the store URL contains a password; seglab takes credentials only from libpq's environment",
                         shown_without_user, kRemedy);
      } else if (!param.empty()) {
        libpq_query += (libpq_query.empty() ? "?" : "&") + param;
      }
      begin = end + 1;
    }
  }
  if (out.files_root.empty())
    throw StoreError("a PostgreSQL store needs a folder for its run files", shown_without_user,
                     "add ?runs=/shared/path (a folder every machine sees at the same path)");
  out.conninfo = before_query + libpq_query;

  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(PQconninfoParse(out.conninfo.c_str(), &error),
                                                                          PQconninfoFree);
  if (!options) {
    const std::string message = error ? error : "out of memory";
    PQfreemem(error);
    throw StoreError("not a valid PostgreSQL URL: " + message.substr(0, message.find('\n')), shown_without_user,
                     "use postgresql://user@host:port/db?runs=/shared/path");
  }
  std::string user, host, port, dbname;
  for (const PQconninfoOption* o = options.get(); o->keyword; ++o) {
    const std::string keyword = o->keyword, value = o->val ? o->val : "";
    if (keyword == "password" && !value.empty())
      throw StoreError("the store URL contains a password; seglab takes credentials only from libpq's environment",
                       shown_without_user, kRemedy);
    if (keyword == "user") user = value;
    if (keyword == "host") host = value;
    if (keyword == "port") port = value;
    if (keyword == "dbname") dbname = value;
  }
  out.display = "postgresql://" + (user.empty() ? std::string() : user + "@") + host +
                (port.empty() ? std::string() : ":" + port) + "/" + dbname;
  return out;
}

}  // namespace seglab
