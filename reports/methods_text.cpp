#include "reports/methods_text.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

#include "core/text.h"
#include "reports/latex_text.h"
#include "reports/statistics_table.h"

namespace seglab {
namespace {

// The distinct non-empty values of a key over the runs, in order, as recorded.
std::vector<std::string> distinct_values(const std::vector<const ReportRun*>& runs, const std::string& key, bool record) {
  std::vector<std::string> values;
  for (const ReportRun* run : runs) {
    const auto& map = record ? run->record : run->params;
    const auto it = map.find(key);
    if (it == map.end() || it->second.empty()) continue;
    if (std::find(values.begin(), values.end(), it->second) == values.end()) values.push_back(it->second);
  }
  return values;
}

// The distinct values of a key over the runs, escaped and joined; "" when
// no run records it.
std::string distinct(const std::vector<const ReportRun*>& runs, const std::string& key, bool record) {
  std::vector<std::string> values = distinct_values(runs, key, record);
  for (auto& v : values) v = latex_escape(v);
  return join(values, ", ");
}

// The distinct values of an eval option over the runs' chosen evals.
std::string eval_option(const ScoreSelection& s, const std::string& key) {
  std::vector<std::string> values;
  for (const auto& v : s.variants)
    for (const ReportRun* run : v.runs)
      if (const EvalRecord* e = latest_eval(*run, s.data, s.eval)) {
        const auto it = e->options.find(key);
        if (it != e->options.end() && std::find(values.begin(), values.end(), it->second) == values.end())
          values.push_back(it->second);
      }
  for (auto& v : values) v = latex_escape(v);
  return join(values, ", ");
}

std::string metric_definition(const std::string& m) {
  static const std::map<std::string, std::string> defs{
      {"dice", "the Dice coefficient $2|P \\cap G| / (|P| + |G|)$"},
      {"iou", "the intersection over union (Jaccard index) $|P \\cap G| / |P \\cup G|$"},
      {"isic_jaccard", "the thresholded Jaccard index of the ISIC 2018 challenge (IoU below 0.65 counted as 0)"},
      {"precision", "precision $|P \\cap G| / |P|$"},
      {"recall", "recall (sensitivity) $|P \\cap G| / |G|$"},
      {"specificity", "specificity, the share of background pixels predicted as background"},
      {"accuracy", "pixel accuracy"},
      {"hd95", "the 95th percentile of the symmetric Hausdorff distance between the boundaries, in pixels"},
      {"assd", "the average symmetric surface distance, in pixels"},
      {"nsd", "the normalized surface distance (surface Dice) at the recorded tolerance"},
      {"boundary_iou", "Boundary IoU (Cheng et al., 2021), the IoU of the inner boundary bands of the two masks, "
                       "their width a recorded fraction of the image diagonal"},
  };
  const auto it = defs.find(m);
  return it == defs.end() ? latex_escape(m) : it->second;
}

std::vector<const ReportRun*> all_runs(const std::vector<ReportRun>& runs) {
  std::vector<const ReportRun*> out;
  for (const auto& r : runs) out.push_back(&r);
  return out;
}

// K of the runs' K-fold cross-validation: data.folds where recorded, else
// the n of data.fold = "k of n"; "" without folds.
std::string fold_count(const std::vector<const ReportRun*>& runs) {
  std::set<std::string> counts;
  for (const ReportRun* run : runs) {
    const auto folds = run->params.find("data.folds");
    if (folds != run->params.end() && !folds->second.empty() && folds->second != "0" && folds->second != "1") {
      counts.insert(folds->second);
      continue;
    }
    const auto it = run->params.find("data.fold");
    if (it == run->params.end() || it->second.empty()) continue;
    const auto of = it->second.find("of");
    counts.insert(of == std::string::npos ? it->second : trim(it->second.substr(of + 2)));
  }
  return join(std::vector<std::string>(counts.begin(), counts.end()), ", ");
}

// The distinct fingerprints, each shortened to its first 16 hex digits: a
// 64-digit \texttt word cannot break and runs 158 pt into the margin. The
// full ones go into a comment of methods.tex (see fingerprint_comment).
std::string short_fingerprints(const std::vector<const ReportRun*>& runs) {
  std::vector<std::string> shortened;
  for (const auto& f : distinct_values(runs, "data.fingerprint", true))
    shortened.push_back("\\texttt{" + f.substr(0, std::min<size_t>(16, f.size())) + "}");
  return join(shortened, ", ");
}

std::string fingerprint_comment(const std::vector<const ReportRun*>& runs) {
  const std::string full = join(distinct_values(runs, "data.fingerprint", true), ", ");
  return full.empty() ? "" : "% data fingerprint (full): " + full + "\n";
}

// The multiple-comparison clause, worded for the number of variants k: two
// variants are one pair, which Holm's procedure leaves as it is.
std::string holm_text(size_t k, double alpha) {
  const std::string compared = "compared with $\\alpha = " + format_number(alpha) + "$";
  if (k < 2) return "with one variant there was no pair to test";
  if (k == 2) return "the $p$-value of the one pair of each metric was " + compared +
                     " (Holm's step-down procedure leaves a single $p$-value unchanged)";
  return "the $p$-values of all $K(K-1)/2 = " + std::to_string(k * (k - 1) / 2) + "$ pairs of the $K = " +
         std::to_string(k) + "$ variants of each metric were adjusted with Holm's step-down procedure and " + compared;
}

// A recorded split description without its leading "fold k of n, ": what the
// fold runs of one cross-validation share (test ratio, seed, stratification).
std::string without_fold(const std::string& split) {
  if (split.rfind("fold ", 0) != 0) return split;
  const size_t comma = split.find(", ");
  return comma == std::string::npos ? "" : split.substr(comma + 2);
}

// The value after `word` in a split description ("seed 7" -> "7"), up to the next comma.
std::string split_field(const std::string& split, const std::string& word) {
  const size_t at = split.find(word + " ");
  if (at == std::string::npos) return "";
  const size_t from = at + word.size() + 1, comma = split.find(',', from);
  return split.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
}

// The non-test image counts (train + val) of the runs, distinct, joined.
std::string non_test_count(const std::vector<const ReportRun*>& runs) {
  std::vector<std::string> counts;
  for (const ReportRun* run : runs) {
    const auto train = run->record.find("data.train_samples"), val = run->record.find("data.val_samples");
    if (train == run->record.end() || val == run->record.end()) continue;
    const std::string n = std::to_string(std::atoll(train->second.c_str()) + std::atoll(val->second.c_str()));
    if (std::find(counts.begin(), counts.end(), n) == counts.end()) counts.push_back(n);
  }
  return join(counts, ", ");
}

// The recorded test split sizes; "" when there is none (a run without a
// test part records 0).
std::string test_count(const std::vector<const ReportRun*>& runs) {
  const std::string test = distinct(runs, "data.test_samples", true);
  return test == "0" ? "" : test;
}

// Ratio split: "The images were split by ratio 0.2, seed 7 into 130 training, ...".
void ratio_split_sentence(std::ostringstream& s, const std::vector<const ReportRun*>& runs) {
  const std::string split = distinct(runs, "data.split", true);
  const std::string train = distinct(runs, "data.train_samples", true), val = distinct(runs, "data.val_samples", true),
                    test = test_count(runs);
  s << "The images were split " << (split.empty() ? "as each run's configuration says" : "by " + split) << " into " << (train.empty() ? "?" : train) << " training" << (test.empty() ? " and " : ", ")
    << (val.empty() ? "?" : val) << " validation" << (test.empty() ? "" : " and " + test + " test") << " images";
  // data.split (datasets/split.cpp's describe_split) names the seed and the
  // stratification when it is recorded; otherwise the params do.
  const std::string split_seed = distinct(runs, "data.split_seed", false);
  const std::string stratify = distinct(runs, "data.stratify", false);
  if (split.find("seed") == std::string::npos && !split_seed.empty()) s << " (split seed " << split_seed << ")";
  if (split.find("stratified") == std::string::npos) s << (stratify.empty() ? ", not stratified" : ", stratified by " + stratify);
  s << ". ";
}

// K-fold: one sentence for the cross-validation, not one split per fold run.
void fold_split_sentence(std::ostringstream& s, const MethodsInput& in, const std::vector<const ReportRun*>& runs,
                         const std::string& folds) {
  std::vector<std::string> shared;
  for (const ReportRun* run : runs) {
    const auto it = run->record.find("data.split");
    const std::string rest = it == run->record.end() ? "" : without_fold(it->second);
    if (std::find(shared.begin(), shared.end(), rest) == shared.end()) shared.push_back(rest);
  }
  const std::string split = shared.size() == 1 ? shared[0] : "";
  std::string seed = split_field(split, "seed"), stratify = split_field(split, "stratified by");
  if (seed.empty()) seed = distinct(runs, "data.split_seed", false);
  if (split.empty() && stratify.empty()) stratify = distinct(runs, "data.stratify", false);
  const std::string non_test = non_test_count(runs), test = test_count(runs);
  s << "Each variant was trained in " << folds << "-fold cross-validation over the "
    << (non_test.empty() ? "" : non_test + " ") << "non-test images ("
    << (seed.empty() ? "split seed not recorded" : "split seed " + seed)
    << (stratify.empty() ? ", not stratified" : ", stratified by " + latex_escape(stratify)) << ")"
    << (test.empty() ? "" : "; " + test + " images were held out as the test split")
    << (in.selection->data == "val"
            ? "; its scores are the pooled out-of-fold scores, each image scored by the fold model that did not "
              "train on it"
            : "")
    << ". ";
}

void data_sentences(std::ostringstream& s, const MethodsInput& in, const std::vector<const ReportRun*>& runs) {
  const std::string description = distinct(runs, "data.description", true);
  const std::string fingerprint = short_fingerprints(runs);
  const std::string samples = distinct(runs, "data.samples", true);
  s << "The " << in.selection->variants.size() << " variants were trained and evaluated on "
    << (description.empty() ? "a data set whose description the runs did not record" : description)
    << (samples.empty() ? "" : " (" + samples + " samples") << (fingerprint.empty() ? "" : "; data fingerprint " + fingerprint)
    << (samples.empty() ? "" : ")") << ". ";
  const std::string folds = fold_count(runs);
  if (folds.empty()) ratio_split_sentence(s, runs);
  else fold_split_sentence(s, in, runs, folds);
  if (test_count(runs).empty())
    s << "The runs record no test split, so the scores reported are those of the "
      << data_part_text(in.selection->data) << ". ";
}

void seed_sentences(std::ostringstream& s, const ScoreSelection& sel) {
  std::vector<std::string> per_variant;
  for (const auto& v : sel.variants) {
    std::vector<std::string> seeds;
    for (const auto& seed : v.seeds) seeds.push_back(latex_escape(seed));
    per_variant.push_back(latex_escape(v.label) + ": " + join(seeds, ", "));
  }
  s << "Each variant was trained with the seeds (experiment.seed) " << join(per_variant, "; ")
    << "; an image's score is the mean over the " << (!sel.variants[0].folds.empty() && sel.data == "test" ? "seeds and fold models" : "seeds")
    << " that scored it. ";
}

void protocol_sentences(std::ostringstream& s, const MethodsInput& in, const std::vector<const ReportRun*>& runs) {
  const std::string monitor = distinct(runs, "train.monitor", false);
  const std::string epochs = distinct(runs, "train.epochs", false);
  const std::string checkpoint = eval_option(*in.selection, "checkpoint");
  if (checkpoint == "last")
    s << "The models of the last epoch" << (epochs.empty() ? "" : " (" + epochs + " epochs)") << " were evaluated. ";
  else
    s << "Of " << (epochs.empty() ? "the" : epochs) << " training epochs, the checkpoint with the best "
      << (monitor.empty() ? "validation score" : "\\texttt{" + monitor + "}") << " on the validation split was evaluated. ";
  const std::string threshold = eval_option(*in.selection, "threshold");
  const std::string source = eval_option(*in.selection, "threshold_source");
  const std::string how = source == "val" ? "chosen on the validation split"
                          : source == "fixed" ? "given on the command line"
                          : source == "config" ? "the configured eval.threshold"
                                               : source;
  s << "Predicted probabilities were thresholded at " << (threshold.empty() ? "the configured threshold" : threshold)
    << (how.empty() ? "" : " (" + how + ")") << "; post-processing: " << eval_option(*in.selection, "postprocess")
    << "; test-time augmentation: " << eval_option(*in.selection, "tta") << ". ";
}

void metric_sentences(std::ostringstream& s, const MethodsInput& in) {
  std::vector<std::string> defs;
  for (const auto& m : in.metrics) defs.push_back(metric_definition(m));
  s << "Per image, with $P$ the predicted and $G$ the ground-truth lesion pixels, we report " << join(defs, "; ")
    << ". ";
}

void statistics_sentences(std::ostringstream& s, const MethodsInput& in) {
  const BootstrapOptions& b = in.options.bootstrap;
  const size_t k = in.selection->variants.size();
  s << "For each variant and metric we give the mean, sample standard deviation and median over the $n = " << in.images
    << "$ images and the " << format_number(100 * b.confidence) << "\\,\\% percentile bootstrap confidence interval of the mean ("
    << b.resamples << " resamples of the images, seed " << b.seed << "). "
    << "Variants were compared on the same images, paired by image, with the two-sided Wilcoxon signed-rank test "
    << "(exact without ties for up to 50 non-zero differences, otherwise the normal approximation with tie correction); "
    << holm_text(k, in.options.alpha) << ". "
    << "The median paired difference is given with its percentile bootstrap interval, and the stability of the "
    << "ranking by the share of bootstrap resamples in which each variant takes each rank. ";
}

void version_sentences(std::ostringstream& s, const std::vector<const ReportRun*>& runs) {
  const std::string seglab = distinct(runs, "seglab.version", true), commit = distinct(runs, "seglab.git_commit", true);
  const std::string backend = distinct(runs, "backend.name", true);
  const std::string torch = distinct(runs, "lib.libtorch", true), onednn = distinct(runs, "lib.onednn", true);
  s << "Experiments ran with seglab " << (seglab.empty() ? "(version not recorded)" : seglab)
    << (commit.empty() ? "" : " (commit \\texttt{" + commit.substr(0, std::min<size_t>(12, commit.size())) + "})")
    << (backend.empty() ? "" : " on its " + backend + " backend") << ", LibTorch "
    << (torch.empty() ? "(not recorded)" : torch) << " and oneDNN " << (onednn.empty() ? "(not recorded)" : onednn) << ".";
}

}  // namespace

std::string methods_tex(const MethodsInput& in) {
  const auto runs = all_runs(*in.runs);
  std::ostringstream s;
  s << "% seglab methods paragraph, built from the runs' records; \\input it into the methods chapter.\n"
    << fingerprint_comment(runs);
  data_sentences(s, in, runs);
  seed_sentences(s, *in.selection);
  protocol_sentences(s, in, runs);
  metric_sentences(s, in);
  statistics_sentences(s, in);
  version_sentences(s, runs);
  s << "\n";
  return s.str();
}

}  // namespace seglab
