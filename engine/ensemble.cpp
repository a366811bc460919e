#include "engine/ensemble.h"

#include "core/error.h"
#include "engine/test_time_augmentation.h"

namespace seglab {
namespace {

std::string value_of(const std::map<std::string, std::string>& record, const std::string& key) {
  const auto found = record.find(key);
  return found == record.end() ? "" : found->second;
}

void check_compatible(const Catalog& catalog, const LoadedRun& first, const LoadedRun& member) {
  const auto a = catalog.record(first.info.id), b = catalog.record(member.info.id);
  const std::string runs = "runs " + first.info.id + " and " + member.info.id;
  for (const char* key : {"model.num_classes", "data.image_size"})
    if (first.config.get_text(key) != member.config.get_text(key))
      throw UsageError(runs + " differ in " + key + " (" + first.config.get_text(key) + " vs " +
                           member.config.get_text(key) + ")",
                       "--ensemble", "ensemble runs of one variant (the folds of one cross-validation)");
  for (const char* key : {"data.fingerprint", "data.test_sha256"})
    if (value_of(a, key) != value_of(b, key))
      throw UsageError(runs + " differ in " + key + " (their data or held-out test part)", "--ensemble",
                       "ensemble runs trained on the same data with the same test part");
}

}  // namespace

std::vector<LoadedRun> load_ensemble_members(RunStore& store, const LoadedRun& first, const std::vector<std::string>& ids,
                                             const std::string& checkpoint, const std::string& backend,
                                             const std::string& data) {
  std::vector<LoadedRun> members;
  if (ids.empty()) return members;
  if (data == "val" || data == "train" || data == "all")
    throw UsageError("an ensemble is scored on images none of its members trained or validated on, not --data " + data,
                     "--ensemble", "use --data test, or --data <experiment.ini> for other data");
  for (const auto& id : ids) {
    LoadedRun member = load_run(store, id, checkpoint, backend);
    if (member.info.id == first.info.id)
      throw UsageError("run " + member.info.id + " is named twice", "--ensemble", "name each member once");
    for (const auto& other : members)
      if (other.info.id == member.info.id)
        throw UsageError("run " + member.info.id + " is named twice", "--ensemble", "name each member once");
    check_compatible(store.catalog(), first, member);
    members.push_back(std::move(member));
  }
  return members;
}

Tensor predict_ensemble(LoadedRun& first, std::vector<LoadedRun>& members, const Tensor& images, const std::string& tta) {
  Tensor sum = predict_with_tta(*first.network, images, tta);
  if (members.empty()) return sum;
  for (auto& member : members) {
    const Tensor p = predict_with_tta(*member.network, images, tta);
    float* out = sum.data();
    for (int64_t i = 0; i < sum.numel(); ++i) out[i] += p.data()[i];
  }
  const float count = static_cast<float>(members.size() + 1);
  float* out = sum.data();
  for (int64_t i = 0; i < sum.numel(); ++i) out[i] /= count;
  return sum;
}

}  // namespace seglab
