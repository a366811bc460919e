#include "engine/sweep/sweep_test_part.h"

#include <map>

#include "core/error.h"
#include "core/execution_keys.h"
#include "core/text.h"
#include "datasets/dataset_adapter.h"
#include "datasets/split.h"
#include "datasets/split_listing.h"

namespace seglab {
namespace {

// A test part, or folds whose count the data must support: both are checked
// on the data before anything runs.
bool split_to_check(const Config& config) {
  return config.get_real("data.test_ratio") > 0 || !config.get_text("data.split_file").empty() ||
         config.get_int("data.folds") > 0;
}

// The [data] keys that can move the test part: all but those that only shape
// validation, loading or caching.
std::string test_part_key(const Config& config) {
  std::string key;
  for (const auto& [name, value] : config.values())
    if (starts_with(name, "data.") && name != "data.val_ratio" && name != "data.fold" && name != "data.folds" &&
        !execution_only_key(name) && name != "data.image_size")
      key += name + "=" + value.text + "\n";
  return key;
}

std::vector<std::string> differing_keys(const Config& a, const Config& b) {
  std::vector<std::string> keys;
  for (const auto& [name, value] : a.values())
    if (starts_with(name, "data.") && b.get_text(name) != value.text) keys.push_back(name);
  return keys;
}

}  // namespace

std::string check_shared_test_part(const SweepPlan& plan) {
  bool any = false;
  for (const auto& job : plan.jobs) any = any || split_to_check(job.config);
  if (!any) return "";
  // Jobs with equal data keys share their test part by construction: list the
  // data once per distinct key.
  std::map<std::string, std::string> sha_of_key;
  const SweepJob* first = nullptr;
  std::string first_sha;
  for (const auto& job : plan.jobs) {
    const std::string key = test_part_key(job.config);
    auto found = sha_of_key.find(key);
    if (found == sha_of_key.end()) {
      const auto dataset = make_adapter(job.config);
      const SplitIds ids = split_ids(make_split(job.config, *dataset), *dataset);
      found = sha_of_key.emplace(key, test_sha256(ids)).first;
    }
    if (!first) {
      first = &job;
      first_sha = found->second;
    } else if (found->second != first_sha) {
      const std::vector<std::string> keys = differing_keys(first->config, job.config);
      throw ConfigError("the runs of a sweep must hold out the same test images, but " + first->label() + " and " +
                            job.label() + " do not (they differ in " + join(keys, ", ") + ")",
                        keys.empty() ? std::string("data.test_ratio") : keys.front(),
                        "vary only keys that leave the test part alone (not data.test_ratio, data.split_seed, "
                        "data.stratify, data.split_file or the data), or make one sweep per test part");
    }
  }
  // No test part at all: nothing held out to share.
  return first_sha == test_sha256(SplitIds{}) ? "" : first_sha;
}

}  // namespace seglab
