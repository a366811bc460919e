#include "tracking/run_query.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/error.h"
#include "core/text.h"

namespace seglab {
namespace {

std::optional<double> parse_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

std::string number_text(double value) { return format_number(value); }

}  // namespace

std::optional<std::string> RunSummary::text(const std::string& key) const {
  if (key == "id") return info.id;
  if (key == "name") return info.name;
  if (key == "status") return std::string(run_status_name(info.status));
  if (key == "created") return info.created_at;
  if (key == "ended") return info.ended_at;
  if (key == "host") return info.host;
  if (key == "parent") return info.parent_id;
  if (key == "resumes") return std::to_string(info.resumes);
  if (key == "epochs") return std::to_string(epochs);
  if (key == "config_hash") return info.config_hash;
  if (auto p = params.find(key); p != params.end()) return p->second;
  if (auto m = metrics.find(key); m != metrics.end()) return number_text(m->second);
  return std::nullopt;
}

std::optional<double> RunSummary::number(const std::string& key) const {
  if (auto m = metrics.find(key); m != metrics.end()) return m->second;
  const auto t = text(key);
  return t ? parse_number(*t) : std::nullopt;
}

RunSummary summarise_run(const Catalog& catalog, const RunInfo& run) {
  RunSummary s;
  s.info = run;
  s.params = catalog.params(run.id);
  s.metrics = catalog.latest_metrics(run.id);
  s.tags = catalog.tags(run.id);
  s.epochs = static_cast<int64_t>(catalog.metrics(run.id, "train.epoch_loss").size());
  return s;
}

RunCondition parse_condition(const std::string& text) {
  static const char* const kOps[] = {"!=", "<=", ">=", "=", "<", ">"};
  size_t best = std::string::npos;
  std::string op;
  for (const char* candidate : kOps) {
    const size_t at = text.find(candidate);
    if (at != std::string::npos && (at < best || (at == best && std::string(candidate).size() > op.size()))) {
      best = at;
      op = candidate;
    }
  }
  if (best == std::string::npos || best == 0)
    throw UsageError("cannot read the condition '" + text + "'", "--where",
                     "write key<op>value with op one of = != < <= > >=, e.g. --where model.encoder=resnet34");
  return {trim(text.substr(0, best)), op, trim(text.substr(best + op.size()))};
}

bool RunCondition::matches(const RunSummary& run) const {
  if (key == "tag") {
    const bool has = std::find(run.tags.begin(), run.tags.end(), value) != run.tags.end();
    if (op == "=") return has;
    if (op == "!=") return !has;
    throw UsageError("tags can only be compared with = or !=", "--where tag" + op + value);
  }
  const auto text = run.text(key);
  if (!text) return op == "!=";
  const auto left = run.number(key);
  const auto right = parse_number(value);
  if (left && right) {
    if (op == "=") return *left == *right;
    if (op == "!=") return *left != *right;
    if (op == "<") return *left < *right;
    if (op == "<=") return *left <= *right;
    if (op == ">") return *left > *right;
    return *left >= *right;
  }
  if (op == "=") return *text == value;
  if (op == "!=") return *text != value;
  if (op == "<") return *text < value;
  if (op == "<=") return *text <= value;
  if (op == ">") return *text > value;
  return *text >= value;
}

void sort_runs(std::vector<RunSummary>& runs, const std::string& key, bool reverse) {
  const bool is_metric = std::any_of(runs.begin(), runs.end(), [&](const RunSummary& r) { return r.metrics.count(key) > 0; });
  const bool descending = (is_metric && !ends_with(key, "loss")) != reverse;
  std::stable_sort(runs.begin(), runs.end(), [&](const RunSummary& a, const RunSummary& b) {
    const auto ta = a.text(key), tb = b.text(key);
    if (!ta || !tb) return ta.has_value() && !tb.has_value();
    const auto na = a.number(key), nb = b.number(key);
    if (na && nb && !std::isnan(*na) && !std::isnan(*nb)) return descending ? *na > *nb : *na < *nb;
    return descending ? *ta > *tb : *ta < *tb;
  });
}

}  // namespace seglab
