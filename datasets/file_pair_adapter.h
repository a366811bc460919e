#pragma once
// The common part of adapters over image/mask files on disk (folder, ph2,
// isic): each lists its files in its own way, then hands the pairs and the
// problems it found to FilePairAdapter, which loads, fingerprints and reports
// duplicate ids.
#include <memory>
#include <string>
#include <vector>

#include "datasets/dataset_adapter.h"

namespace seglab {

struct FilePair {
  std::string id;
  std::string image;
  std::string mask;
};

// `pairs` in any order (they are sorted by id); two pairs with one id are both
// reported as problems and neither is a sample. Throws DataError naming
// `root` when there is neither a pair nor a problem.
std::unique_ptr<DatasetAdapter> make_file_pair_adapter(const std::string& adapter_name, const std::string& root,
                                                       std::vector<FilePair> pairs,
                                                       std::vector<SampleProblem> problems);

// True for the image formats seglab reads: jpg/jpeg/png/bmp/tif/tiff (any case).
bool is_image_file_name(const std::string& name);

}  // namespace seglab
