#include "engine/data_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/error.h"
#include "datasets/dataset_adapter.h"
#include "datasets/prepared_samples.h"
#include "datasets/split.h"

namespace seglab {
namespace {

std::string percent(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", 100 * fraction);
  return text;
}

std::string fixed(double value, int digits = 3) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

// "a 36, b 36, c 18" for the metadata groups of `indices`.
std::string group_counts(const DatasetAdapter& dataset, const std::vector<size_t>& indices, const std::string& column) {
  std::map<std::string, size_t> counts;
  for (size_t i : indices) ++counts[dataset.metadata_table()->value(dataset.id(i), column)];
  std::string text;
  for (const auto& [group, count] : counts)
    text += (text.empty() ? "" : ", ") + (group.empty() ? std::string("(none)") : group) + " " + std::to_string(count);
  return text;
}

}  // namespace

DataCheckSummary check_data(const Config& config, std::ostream& out) {
  auto dataset = make_adapter(config);
  PrepareOptions options;
  options.image_size = static_cast<int>(config.get_int("data.image_size"));
  options.workers = std::max<int>(1, static_cast<int>(config.get_int("data.workers")));
  const auto samples = prepare_samples(*dataset, options);

  DataCheckSummary summary;
  summary.listed = dataset->size();
  summary.usable = samples->usable_count();
  summary.bad = samples->problems.size();
  out << "data: " << dataset->describe() << "\n"
      << "samples: " << summary.listed << " paired, " << summary.usable << " usable, " << summary.bad << " bad\n";

  std::map<std::pair<int, int>, size_t> sizes;
  std::vector<double> fractions;
  double lesion_pixels = 0, all_pixels = 0;
  for (size_t i = 0; i < dataset->size(); ++i) {
    if (!samples->usable[i]) continue;
    const SampleStats& s = samples->stats[i];
    ++sizes[{s.width, s.height}];
    fractions.push_back(s.lesion_fraction);
    const double pixels = static_cast<double>(s.width) * s.height;
    lesion_pixels += s.lesion_fraction * pixels;
    all_pixels += pixels;
  }
  if (!fractions.empty()) {
    std::vector<std::pair<size_t, std::pair<int, int>>> by_count;
    for (const auto& [size, count] : sizes) by_count.push_back({count, size});
    std::sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    out << "image sizes:";
    for (size_t k = 0; k < by_count.size() && k < 6; ++k)
      out << (k ? ", " : " ") << by_count[k].second.first << "x" << by_count[k].second.second << " ("
          << by_count[k].first << ")";
    if (by_count.size() > 6) out << " and " << by_count.size() - 6 << " more sizes";
    out << "\n";
    std::sort(fractions.begin(), fractions.end());
    double sum = 0;
    for (double f : fractions) sum += f;
    const size_t empty = static_cast<size_t>(std::count(fractions.begin(), fractions.end(), 0.0));
    out << "lesion pixel fraction per image: mean " << fixed(sum / fractions.size()) << ", median "
        << fixed(fractions[fractions.size() / 2]) << ", min " << fixed(fractions.front()) << ", max "
        << fixed(fractions.back()) << (empty ? ", " + std::to_string(empty) + " images with no lesion" : "") << "\n"
        << "class balance over all pixels: background " << percent(1 - lesion_pixels / all_pixels) << ", lesion "
        << percent(lesion_pixels / all_pixels) << "\n";
  }

  const std::string& stratify = config.get_text("data.stratify");
  if (const SampleMetadata* metadata = dataset->metadata_table()) {
    std::vector<size_t> all;
    for (size_t i = 0; i < dataset->size(); ++i) all.push_back(i);
    size_t missing = 0;
    for (size_t i : all) missing += metadata->has_id(dataset->id(i)) ? 0 : 1;
    out << "metadata: " << metadata->path() << ", columns " << [&] {
      std::string c;
      for (const auto& name : metadata->columns()) c += (c.empty() ? "" : ", ") + name;
      return c;
    }() << (missing ? "; " + std::to_string(missing) + " samples have no row" : "") << "\n";
    if (!stratify.empty() && metadata->has_column(stratify))
      out << "  " << stratify << ": " << group_counts(*dataset, samples->usable_only(all), stratify) << "\n";
  }

  const Split split = make_split(config, *dataset);
  const auto train = samples->usable_only(split.train), val = samples->usable_only(split.val),
             test = samples->usable_only(split.test);
  out << "split (" << describe_split(config) << "): " << train.size() << " train, " << val.size() << " val";
  if (!test.empty()) out << ", " << test.size() << " test";
  if (!split.unused.empty()) out << ", " << split.unused.size() << " not in the split file";
  out << "\n";
  if (!stratify.empty() && dataset->metadata_table()) {
    out << "  train: " << group_counts(*dataset, train, stratify) << "\n"
        << "  val:   " << group_counts(*dataset, val, stratify) << "\n";
    if (!test.empty()) out << "  test:  " << group_counts(*dataset, test, stratify) << "\n";
  }

  if (samples->problems.empty()) {
    out << "bad samples: none\n";
  } else {
    const std::string& policy = config.get_text("data.on_bad_sample");
    out << "bad samples: " << samples->problems.size() << " (data.on_bad_sample = " << policy << ": "
        << (policy == "skip" ? "training leaves them out and lists them in the run record" : "training refuses to start")
        << ")\n";
    for (const auto& p : samples->problems) out << "  " << p.path << ": " << p.problem << "\n";
  }
  return summary;
}

}  // namespace seglab
