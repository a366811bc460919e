#include "datasets/split_listing.h"

#include <algorithm>
#include <utility>

#include "core/sha256.h"
#include "datasets/dataset_adapter.h"

namespace seglab {
namespace {

std::vector<std::string> ids_of(const std::vector<size_t>& indices, const DatasetAdapter& dataset) {
  std::vector<std::string> ids;
  for (size_t i : indices) ids.push_back(dataset.id(i));
  std::sort(ids.begin(), ids.end());
  return ids;
}

// RFC 4180 quoting, only where a field needs it.
std::string csv_quoted(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string listing(const std::vector<std::pair<std::string, const char*>>& rows) {
  std::string text = "id,split\n";
  for (const auto& [id, part] : rows) text += csv_quoted(id) + "," + part + "\n";
  return text;
}

std::vector<std::pair<std::string, const char*>> rows_of(const SplitIds& ids, bool test_only) {
  std::vector<std::pair<std::string, const char*>> rows;
  if (!test_only) {
    for (const auto& id : ids.train) rows.emplace_back(id, "train");
    for (const auto& id : ids.val) rows.emplace_back(id, "val");
  }
  for (const auto& id : ids.test) rows.emplace_back(id, "test");
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return rows;
}

}  // namespace

SplitIds split_ids(const Split& split, const DatasetAdapter& dataset) {
  return {ids_of(split.train, dataset), ids_of(split.val, dataset), ids_of(split.test, dataset)};
}

std::string canonical_split_listing(const SplitIds& ids) { return listing(rows_of(ids, false)); }
std::string canonical_test_listing(const SplitIds& ids) { return listing(rows_of(ids, true)); }
std::string split_sha256(const SplitIds& ids) { return sha256_hex(canonical_split_listing(ids)); }
std::string test_sha256(const SplitIds& ids) { return sha256_hex(canonical_test_listing(ids)); }

std::string join_ids(const std::vector<std::string>& ids) {
  std::string text;
  for (size_t i = 0; i < ids.size(); ++i) text += (i ? "\n" : "") + ids[i];
  return text;
}

std::vector<std::string> split_id_lines(const std::string& text) {
  std::vector<std::string> ids;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ids.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return ids;
}

}  // namespace seglab
