#pragma once
// The HDF5 cache of decoded, resized samples, one file per key:
//
//   /            attrs: format = "seglab-sample-cache", format_version, key, count, image_size
//   /images      uint8 [N, S, S, 3] RGB, one chunk per sample, Fletcher-32 checksums
//   /masks       uint8 [N, S, S]    class indices, likewise
//   /index       uint8 text, likewise: one line per sample
//                ("sample\t<id>\t<usable 0/1>\t<width>\t<height>\t<lesion fraction>")
//                and per problem ("problem\t<id>\t<path>\t<what>")
//
// The key hashes the data fingerprint (sorted file list, sizes, content
// hashes) with the resize options, so a changed file or option selects
// another file. A cache is read whole and every checksum verified before it
// is used: a truncated, corrupt or foreign file is refused (and rebuilt by the
// caller), never used. Files are written to a temporary name, synced and
// renamed, so parallel runs and crashes never expose a half-written cache.
#include <string>

#include "datasets/dataset_adapter.h"

namespace seglab {

class PreparedSamples;

std::string sample_cache_key(const DatasetAdapter& dataset, int image_size);
// "<dir>/<first 24 hex digits of the key>.h5"
std::string sample_cache_path(const std::string& dir, const std::string& key);

// True and `out` filled when `path` holds a sound cache for `key`. False when
// there is none (`why_not` empty) or it was refused (`why_not` says why).
bool read_sample_cache(const std::string& path, const std::string& key, PreparedSamples& out, std::string& why_not);
// Writes `samples`; a failure (disk full, no permission) is logged as a
// warning, not thrown: the run goes on without a cache.
void write_sample_cache(const std::string& path, const std::string& key, const PreparedSamples& samples);

}  // namespace seglab
