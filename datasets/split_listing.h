#pragma once
// A split as sample ids, its canonical listing and the SHA-256 of it, as runs
// record them (engine/run_data.h: data.split_ids.*, data.split_sha256,
// data.test_sha256). The canonical listing is a split file (columns id and
// split = train | val | test, rows sorted by id in byte order, "\n" line
// ends), so it can be given back as data.split_file and reproduces the split;
// two runs with equal hashes trained, validated and tested on the same images.
#include <string>
#include <vector>

#include "datasets/split.h"

namespace seglab {

class DatasetAdapter;

struct SplitIds {
  std::vector<std::string> train, val, test;  // each sorted by id
};

SplitIds split_ids(const Split& split, const DatasetAdapter& dataset);

// Every part, or only the test part (its rows, with the header): the test
// listing is the same in every fold of a cross-validation.
std::string canonical_split_listing(const SplitIds& ids);
std::string canonical_test_listing(const SplitIds& ids);
std::string split_sha256(const SplitIds& ids);  // of canonical_split_listing
std::string test_sha256(const SplitIds& ids);   // of canonical_test_listing

// Ids stored as one text value (one per line) and back.
std::string join_ids(const std::vector<std::string>& ids);
std::vector<std::string> split_id_lines(const std::string& text);

}  // namespace seglab
