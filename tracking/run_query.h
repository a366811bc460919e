#pragma once
// Selecting and ordering runs for `seglab runs list`: each run is summarised
// (catalog fields, params, final metrics, tags), filtered with conditions like
// "model.encoder=resnet34", "status!=failed", "val.dice>=0.9", "tag=baseline",
// and sorted by any of those keys.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tracking/catalog.h"

namespace seglab {

struct RunSummary {
  RunInfo info;
  std::map<std::string, std::string> params;
  std::map<std::string, double> metrics;  // the last value of every key
  std::vector<std::string> tags;
  int64_t epochs = 0;  // completed epochs

  // The value of a key as text, and as a number when it is one: fields (id,
  // name, status, created, ended, host, parent, resumes, epochs), params,
  // metrics; nullopt when the run has no such key.
  std::optional<std::string> text(const std::string& key) const;
  std::optional<double> number(const std::string& key) const;
};

RunSummary summarise_run(const Catalog& catalog, const RunInfo& run);

struct RunCondition {
  std::string key;
  std::string op;  // = != < <= > >=
  std::string value;
  bool matches(const RunSummary& run) const;
};

// Parses "key<op>value"; throws UsageError naming the text when malformed.
RunCondition parse_condition(const std::string& text);

// Stable sort by `key`: metrics best first (lower first for *loss), other
// keys ascending; runs without the key last. `reverse` flips the order of the
// runs that have it.
void sort_runs(std::vector<RunSummary>& runs, const std::string& key, bool reverse);

}  // namespace seglab
