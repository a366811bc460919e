#pragma once
// The data side of a run, set up before anything is recorded: the adapter,
// every sample checked and resized (or read from the HDF5 sample cache), the
// split with bad samples removed under data.on_bad_sample = skip, and the
// loader options. Shared by training and evaluation, so both see the same
// samples, split and normalisation.
#include <map>
#include <memory>
#include <string>

#include "core/config.h"
#include "datasets/batch_loader.h"
#include "datasets/dataset_adapter.h"
#include "datasets/prepared_samples.h"
#include "datasets/split.h"

namespace seglab {

struct RunData {
  std::unique_ptr<DatasetAdapter> dataset;
  std::shared_ptr<PreparedSamples> samples;
  Split split;  // usable samples only
  std::vector<SampleProblem> skipped;  // bad samples left out (on_bad_sample = skip)
};

// `store_root` locates the default cache folder (<store>/cache). Throws
// DataError under on_bad_sample = error when any sample is bad.
RunData prepare_run_data(const Config& config, const std::string& store_root);

// The sample cache file of data.cache / data.cache_dir ("" when off).
std::string sample_cache_file(const Config& config, const DatasetAdapter& dataset, const std::string& store_root);

// Loader options of the config; `training` adds shuffling, drop_last and the
// augmentation pipeline.
LoaderOptions loader_options(const Config& config, bool training);

// Entries for the run record: split, metadata hash, skipped samples.
void add_data_record(const Config& config, const RunData& data, std::map<std::string, std::string>& record);

// The split's entries of the run record, all included by add_data_record:
// data.split_ids.{train,val,test} (usable ids, sorted, one per line),
// data.split_sha256 and data.test_sha256 (datasets/split_listing.h), and for
// a fold data.fold_index and data.fold_count (1-based k of n).
void add_split_record(const Config& config, const RunData& data, std::map<std::string, std::string>& record);

}  // namespace seglab
