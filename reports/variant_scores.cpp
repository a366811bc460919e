#include "reports/variant_scores.h"

#include <algorithm>
#include <set>

#include "core/error.h"
#include "core/text.h"

namespace seglab {
namespace {

using MetricScores = std::map<std::string, std::map<std::string, double>>;  // metric -> image id -> value

std::string param(const ReportRun& run, const std::string& key) {
  const auto it = run.params.find(key);
  return it == run.params.end() ? std::string() : it->second;
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// The eval's scores as metric -> image id -> value.
MetricScores eval_scores(const ReportRun& run, const EvalRecord& eval) {
  MetricScores scores;
  const auto it = run.eval_scores.find("eval/" + eval.name);
  if (it == run.eval_scores.end()) return scores;
  for (const ImageScore& s : it->second) scores[s.metric][s.image_id] = s.value;
  return scores;
}

// Mean over the fold's runs and images of each metric.
std::vector<FoldScores> fold_scores(const std::vector<std::pair<std::string, MetricScores>>& by_run) {
  std::vector<FoldScores> folds;
  std::map<std::string, std::map<std::string, std::pair<double, size_t>>> sums;  // fold -> metric -> (sum, n)
  std::map<std::string, std::set<std::string>> images;
  for (const auto& [fold, scores] : by_run) {
    if (std::none_of(folds.begin(), folds.end(), [&](const FoldScores& f) { return f.fold == fold; }))
      folds.push_back({fold, 0, {}});
    for (const auto& [metric, values] : scores)
      for (const auto& [id, value] : values) {
        auto& [sum, n] = sums[fold][metric];
        sum += value, ++n;
        images[fold].insert(id);
      }
  }
  for (auto& f : folds) {
    f.images = images[f.fold].size();
    for (const auto& [metric, sum_n] : sums[f.fold]) f.mean[metric] = sum_n.first / static_cast<double>(sum_n.second);
  }
  // "1 of 3" before "2 of 3" before "10 of 12": by the number, then the text.
  std::stable_sort(folds.begin(), folds.end(), [](const FoldScores& a, const FoldScores& b) {
    return std::atoi(a.fold.c_str()) < std::atoi(b.fold.c_str());
  });
  return folds;
}

using ScoredBy = std::map<std::pair<std::string, std::string>, std::string>;  // (seed, image id) -> run id

// Out-of-fold scores pool only when the folds are disjoint: one seed's folds
// scoring an image twice would weigh it twice. Records the run's images.
void check_out_of_fold(ScoredBy& scored_by, const std::string& seed, const std::set<std::string>& ids,
                       const ReportRun& run, const std::string& variant) {
  for (const auto& id : ids) {
    auto [it, fresh] = scored_by.emplace(std::make_pair(seed, id), run.info.id);
    if (!fresh)
      throw DataError("image " + id + " is in the validation part of runs " + it->second + " and " + run.info.id +
                          " (seed " + seed + ")",
                      "variant " + variant, "the folds of one seed must be disjoint; report the runs of one split only");
  }
}

std::string option(const EvalRecord& e, const std::string& key) {
  const auto it = e.options.find(key);
  return it == e.options.end() ? std::string() : it->second;
}

VariantScores variant_scores(const Variant& variant, const std::string& data, const std::string& eval_name) {
  VariantScores v;
  v.label = variant.label;
  std::map<std::string, std::map<std::string, std::pair<double, size_t>>> sums;  // metric -> id -> (sum, n)
  ScoredBy scored_by;
  std::vector<std::pair<std::string, MetricScores>> by_fold;
  std::set<std::string> ids;
  bool k_fold = false;
  for (const ReportRun* run : variant.runs) {
    const EvalRecord* eval = latest_eval(*run, data, eval_name);
    const MetricScores scores = eval ? eval_scores(*run, *eval) : MetricScores{};
    if (scores.empty()) {
      v.missing.push_back(run);
      continue;
    }
    v.runs.push_back(run);
    const std::string seed = param(*run, "experiment.seed"), fold = param(*run, "data.fold");
    add_unique(v.seeds, seed);
    k_fold = k_fold || !fold.empty();
    if (!fold.empty()) by_fold.push_back({fold, scores});
    std::set<std::string> run_ids_scored;
    for (const auto& [metric, values] : scores)
      for (const auto& [id, value] : values) {
        auto& [sum, n] = sums[metric][id];
        sum += value, ++n;
        run_ids_scored.insert(id);
      }
    if (!fold.empty() && data == "val") check_out_of_fold(scored_by, seed, run_ids_scored, *run, variant.label);
    ids.insert(run_ids_scored.begin(), run_ids_scored.end());
  }
  for (const auto& [metric, values] : sums)
    for (const auto& [id, sum_n] : values) v.per_image[metric][id] = sum_n.first / static_cast<double>(sum_n.second);
  v.image_ids.assign(ids.begin(), ids.end());
  if (k_fold) v.folds = fold_scores(by_fold);
  return v;
}

}  // namespace

bool is_plain_eval(const EvalRecord& e) {
  const auto is = [&](const std::string& key, std::initializer_list<const char*> plain) {
    const std::string value = option(e, key);
    if (value.empty()) return true;  // not recorded: the default
    for (const char* p : plain)
      if (value == p) return true;
    return false;
  };
  return !e.options.count("ensemble") && !e.options.count("out_of_fold_runs") && !e.options.count("backend") &&
         is("tta", {"none"}) && is("postprocess", {"none"}) && is("threshold_source", {"fixed", "config"}) &&
         is("resolution", {"original"});
}

const EvalRecord* latest_eval(const ReportRun& run, const std::string& data, const std::string& eval) {
  const EvalRecord* latest = nullptr;
  const EvalRecord* latest_last = nullptr;  // plain evals of another checkpoint than best
  for (const auto& e : run.evals) {
    // An ensemble eval is recorded on its first member but scores several
    // models' averaged probabilities: it is not this run's own score.
    if (e.options.count("ensemble")) continue;
    if (option(e, "data") != data) continue;
    // Oldest first: the last one wins.
    if (!eval.empty()) {
      if (e.name == eval) latest = &e;
    } else if (is_plain_eval(e)) {
      if (option(e, "checkpoint").empty() || option(e, "checkpoint") == "best") latest = &e;
      else latest_last = &e;
    }
  }
  return latest ? latest : latest_last;
}

std::string describe_eval(const EvalRecord& e) {
  std::vector<std::string> parts;
  for (const char* key : {"checkpoint", "threshold", "tta", "postprocess", "resolution", "nsd_tolerance",
                          "boundary_iou_dilation", "pixel_spacing_mm", "backend", "ensemble"}) {
    std::string value = option(e, key);
    if (std::string(key) == "threshold" && !option(e, "threshold_source").empty())
      value += (value.empty() ? "" : " ") + option(e, "threshold_source");  // "0.45 config"
    if (!value.empty()) parts.push_back(std::string(key) + " " + value);
  }
  return (e.name.empty() ? "eval " + std::to_string(e.id) : e.name) + (parts.empty() ? "" : " (" + join(parts, ", ") + ")");
}

std::string eval_kind(const std::string& eval) { return eval.empty() ? "plain eval" : "eval named " + eval; }

std::string choose_data_part(const std::vector<Variant>& variants, const std::string& requested, const std::string& eval) {
  if (!requested.empty() && requested != "val" && requested != "test")
    throw UsageError("unknown data part '" + requested + "'", "--data", "use val or test");
  std::vector<const ReportRun*> all;
  for (const auto& v : variants) all.insert(all.end(), v.runs.begin(), v.runs.end());
  const auto has = [&](const std::string& data) {
    return [&, data](const ReportRun* run) { return latest_eval(*run, data, eval) != nullptr; };
  };
  const std::string data = !requested.empty()                               ? requested
                           : std::all_of(all.begin(), all.end(), has("test")) ? "test"
                                                                              : "val";
  // Asked for test (or for an eval by name) and none of the runs has one: an
  // error, not the validation scores presented in their place.
  if ((requested == "test" || !eval.empty()) && std::none_of(all.begin(), all.end(), has(data)))
    throw DataError("no run has any " + eval_kind(eval) + " on the " + (data == "test" ? "test" : "validation") +
                        " part: runs " + run_ids(all),
                    requested.empty() ? "--eval " + eval : "--data " + requested,
                    "run `seglab eval <id> --data " + data + "` for each run first" +
                        (eval.empty() ? std::string(", or choose another kind of eval with --eval <name> (seglab eval <id> --list)")
                                      : std::string("; see the names with `seglab eval <id> --list`")));
  return data;
}

ScoreSelection collect_variant_scores(const std::vector<Variant>& variants, const std::string& data, bool defaulted,
                                      const std::string& eval) {
  ScoreSelection selection;
  selection.data = data;
  selection.defaulted = defaulted;
  selection.eval = eval;
  for (const auto& variant : variants) {
    VariantScores v = variant_scores(variant, data, eval);
    if (v.runs.empty()) selection.left_out.push_back(variant.label + " (runs " + run_ids(v.missing) + ")");
    else selection.variants.push_back(std::move(v));
  }
  return selection;
}

std::string run_ids(const std::vector<const ReportRun*>& runs) {
  std::vector<std::string> ids;
  for (const ReportRun* run : runs) ids.push_back(run->info.id);
  return join(ids, ", ");
}

void check_same_images(const std::vector<VariantScores>& variants) {
  for (size_t v = 1; v < variants.size(); ++v) {
    const auto& a = variants[0].image_ids;
    const auto& b = variants[v].image_ids;
    if (a == b) continue;
    std::vector<std::string> only_a, only_b;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
    std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_b));
    const auto some = [](const std::vector<std::string>& ids) {
      std::vector<std::string> head(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(ids.size(), 5)));
      return join(head, ", ") + (ids.size() > 5 ? ", ..." : "");
    };
    std::string what = "variants " + variants[0].label + " (runs " + run_ids(variants[0].runs) + ") and " +
                       variants[v].label + " (runs " + run_ids(variants[v].runs) + ") were evaluated on different images: " +
                       std::to_string(a.size()) + " and " + std::to_string(b.size());
    if (!only_a.empty()) what += "; only the first scored " + some(only_a);
    if (!only_b.empty()) what += "; only the second scored " + some(only_b);
    throw DataError(what, "seglab report",
                    "paired tests compare variants on the same images: report runs that share one split, or "
                    "evaluate them on the same data (seglab eval <id> --data test)");
  }
}

std::vector<std::string> common_metrics(const std::vector<VariantScores>& variants,
                                        const std::vector<std::string>& preferred) {
  std::set<std::string> common;
  for (size_t v = 0; v < variants.size(); ++v) {
    std::set<std::string> here;
    for (const auto& [metric, values] : variants[v].per_image)
      if (!values.empty()) here.insert(metric);
    if (v == 0) common = here;
    std::set<std::string> both;
    std::set_intersection(common.begin(), common.end(), here.begin(), here.end(), std::inserter(both, both.begin()));
    common = both;
  }
  std::vector<std::string> ordered;
  for (const auto& m : preferred)
    if (common.count(m)) ordered.push_back(m);
  return ordered;
}

}  // namespace seglab
