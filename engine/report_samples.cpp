#include "engine/report_samples.h"

#include <map>
#include <memory>
#include <opencv2/imgproc.hpp>

#include "datasets/dataset_adapter.h"
#include "engine/run_loader.h"

namespace seglab {
namespace {

struct IndexedAdapter {
  std::unique_ptr<DatasetAdapter> adapter;
  std::map<std::string, size_t> index;
};

}  // namespace

SampleSource make_report_sample_source(const RunStore& store) {
  auto adapters = std::make_shared<std::map<std::string, IndexedAdapter>>();
  return [&store, adapters](const ReportRun& run, const std::string& id) -> std::optional<GridSample> {
    auto it = adapters->find(run.info.config_hash);
    if (it == adapters->end()) {
      IndexedAdapter a;
      a.adapter = make_adapter(recorded_config(store, run.info.id));
      for (size_t i = 0; i < a.adapter->size(); ++i) a.index[a.adapter->id(i)] = i;
      it = adapters->emplace(run.info.config_hash, std::move(a)).first;
    }
    const auto found = it->second.index.find(id);
    if (found == it->second.index.end()) return std::nullopt;
    LoadedSample sample = it->second.adapter->load(found->second);
    GridSample g;
    cv::cvtColor(sample.image, g.image, cv::COLOR_RGB2BGR);
    g.truth = sample.mask.clone();
    g.truth.setTo(0, sample.mask == 255);  // ignore regions are not lesion
    return g;
  };
}

}  // namespace seglab
