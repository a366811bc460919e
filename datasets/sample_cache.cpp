#include "datasets/sample_cache.h"

#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <filesystem>
#include <sstream>

#include "core/error.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/text.h"
#include "datasets/prepared_samples.h"

namespace seglab {
namespace {

constexpr int kFormatVersion = 1;
constexpr const char* kFormat = "seglab-sample-cache";
// Bump when decoding or resizing changes, so old caches stop matching.
constexpr const char* kResizeMethod = "image area-shrink/linear-grow, mask nearest; v1";

class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  operator hid_t() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// Refusals are expected (missing or damaged files); HDF5's own error stack
// printout would only alarm the user, so it is off while the cache is used.
class QuietHdf5 {
 public:
  QuietHdf5() {
    H5Eget_auto2(H5E_DEFAULT, &function_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, function_, data_); }

 private:
  H5E_auto2_t function_ = nullptr;
  void* data_ = nullptr;
};

void check(herr_t status, const std::string& doing) {
  if (status < 0) throw Error("HDF5 error while " + doing);
}

void write_text_attribute(hid_t object, const char* name, const std::string& value) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type, value.empty() ? 1 : value.size());
  H5Tset_strpad(type, H5T_STR_NULLPAD);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attribute(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  check(H5Awrite(attribute, type, value.empty() ? "" : value.data()), std::string("writing attribute ") + name);
}

std::string read_text_attribute(hid_t object, const char* name) {
  if (H5Aexists(object, name) <= 0) return {};
  Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  Handle type(H5Aget_type(attribute), H5Tclose);
  if (H5Tget_class(type) != H5T_STRING || H5Tis_variable_str(type) > 0) return {};
  std::string value(H5Tget_size(type), '\0');
  if (H5Aread(attribute, type, value.data()) < 0) return {};
  return value.substr(0, value.find('\0'));
}

void write_int_attribute(hid_t object, const char* name, int64_t value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attribute(H5Acreate2(object, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  check(H5Awrite(attribute, H5T_NATIVE_INT64, &value), std::string("writing attribute ") + name);
}

bool read_int_attribute(hid_t object, const char* name, int64_t& value) {
  if (H5Aexists(object, name) <= 0) return false;
  Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  return H5Aread(attribute, H5T_NATIVE_INT64, &value) >= 0;
}

// A uint8 dataset of `dims`, chunked by `chunk`, with Fletcher-32 checksums.
void write_bytes(hid_t file, const char* name, const std::vector<hsize_t>& dims, const std::vector<hsize_t>& chunk,
                 const uint8_t* data) {
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  check(H5Pset_chunk(properties, static_cast<int>(chunk.size()), chunk.data()), "setting chunks");
  check(H5Pset_fletcher32(properties), "enabling checksums");
  Handle dataset(H5Dcreate2(file, name, H5T_STD_U8LE, space, H5P_DEFAULT, properties, H5P_DEFAULT), H5Dclose);
  if (!dataset.valid()) throw Error(std::string("cannot create dataset ") + name);
  check(H5Dwrite(dataset, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), std::string("writing ") + name);
}

// Reads a whole uint8 dataset (every chunk's checksum is verified); false when
// it is missing, has other dimensions or fails to read.
bool read_bytes(hid_t file, const char* name, const std::vector<hsize_t>& dims, std::vector<uint8_t>& out) {
  if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return false;
  Handle dataset(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
  if (!dataset.valid()) return false;
  Handle space(H5Dget_space(dataset), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank != static_cast<int>(dims.size())) return false;
  std::vector<hsize_t> actual(dims.size());
  H5Sget_simple_extent_dims(space, actual.data(), nullptr);
  size_t total = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] != 0 && actual[i] != dims[i]) return false;  // 0 = any length
    total *= actual[i];
  }
  out.resize(total);
  return total == 0 || H5Dread(dataset, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) >= 0;
}

std::string index_text(const PreparedSamples& s) {
  std::ostringstream text;
  for (size_t i = 0; i < s.ids.size(); ++i)
    text << "sample\t" << s.ids[i] << "\t" << (s.usable[i] ? 1 : 0) << "\t" << s.stats[i].width << "\t"
         << s.stats[i].height << "\t" << format_number(s.stats[i].lesion_fraction) << "\n";
  for (const auto& p : s.problems) text << "problem\t" << p.id << "\t" << p.path << "\t" << p.problem << "\n";
  return text.str();
}

bool parse_index(const std::string& text, PreparedSamples& out) {
  std::istringstream in(text);
  std::string line;
  size_t sample = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) f.push_back(line.substr(start, tab - start));
    f.push_back(line.substr(start));
    if (f[0] == "sample" && f.size() == 6) {
      if (sample >= out.ids.size() || f[1] != out.ids[sample]) return false;  // listing differs
      out.usable[sample] = f[2] == "1";
      out.stats[sample] = {std::atoi(f[3].c_str()), std::atoi(f[4].c_str()), std::atof(f[5].c_str())};
      ++sample;
    } else if (f[0] == "problem" && f.size() == 4) {
      out.problems.push_back({f[1], f[2], f[3]});
    } else {
      return false;
    }
  }
  return sample == out.ids.size();
}

}  // namespace

std::string sample_cache_key(const DatasetAdapter& dataset, int image_size) {
  return sha256_hex(std::string(kFormat) + " v" + std::to_string(kFormatVersion) + "\nfingerprint " +
                    dataset.fingerprint() + "\nimage_size " + std::to_string(image_size) + "\nresize " + kResizeMethod +
                    "\n");
}

std::string sample_cache_path(const std::string& dir, const std::string& key) {
  return (std::filesystem::path(dir) / (key.substr(0, 24) + ".h5")).string();
}

bool read_sample_cache(const std::string& path, const std::string& key, PreparedSamples& out, std::string& why_not) {
  why_not.clear();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return false;
  QuietHdf5 quiet;
  const size_t n = out.ids.size();
  const int s = out.image_size;
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    why_not = "not a readable HDF5 file: truncated or corrupt";
    return false;
  }
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) {
    why_not = "cannot be opened: truncated or corrupt";
    return false;
  }
  int64_t version = 0, count = -1, size = -1;
  if (read_text_attribute(file, "format") != kFormat || !read_int_attribute(file, "format_version", version) ||
      version != kFormatVersion || read_text_attribute(file, "key") != key || !read_int_attribute(file, "count", count) ||
      !read_int_attribute(file, "image_size", size) || count != static_cast<int64_t>(n) || size != s) {
    why_not = "written for other data or options";
    return false;
  }
  std::vector<uint8_t> images, masks, index;
  const hsize_t N = n, S = static_cast<hsize_t>(s);
  if (!read_bytes(file, "images", {N, S, S, 3}, images) || !read_bytes(file, "masks", {N, S, S}, masks) ||
      !read_bytes(file, "index", {0}, index)) {
    why_not = "a checksum or read failed: the file is damaged";
    return false;
  }
  PreparedSamples parsed;
  parsed.ids = out.ids;
  parsed.usable.assign(n, false);
  parsed.stats.assign(n, {});
  if (!parse_index(std::string(index.begin(), index.end()), parsed)) {
    why_not = "its sample index does not match the dataset";
    return false;
  }
  out.usable = parsed.usable;
  out.stats = parsed.stats;
  out.problems = parsed.problems;
  out.samples.assign(n, {});
  const size_t image_bytes = static_cast<size_t>(s) * s * 3, mask_bytes = static_cast<size_t>(s) * s;
  for (size_t i = 0; i < n; ++i) {
    if (!out.usable[i]) continue;
    out.samples[i].id = out.ids[i];
    out.samples[i].image = cv::Mat(s, s, CV_8UC3);
    std::memcpy(out.samples[i].image.data, images.data() + i * image_bytes, image_bytes);
    out.samples[i].mask = cv::Mat(s, s, CV_8U);
    std::memcpy(out.samples[i].mask.data, masks.data() + i * mask_bytes, mask_bytes);
  }
  return true;
}

void write_sample_cache(const std::string& path, const std::string& key, const PreparedSamples& samples) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  try {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (ec) throw Error("cannot create the cache folder: " + ec.message());
    const size_t n = samples.ids.size();
    const int s = samples.image_size;
    const size_t image_bytes = static_cast<size_t>(s) * s * 3, mask_bytes = static_cast<size_t>(s) * s;
    std::vector<uint8_t> images(n * image_bytes, 0), masks(n * mask_bytes, 0);
    for (size_t i = 0; i < n; ++i) {
      if (!samples.usable[i]) continue;
      const cv::Mat image = samples.samples[i].image.isContinuous() ? samples.samples[i].image : samples.samples[i].image.clone();
      const cv::Mat mask = samples.samples[i].mask.isContinuous() ? samples.samples[i].mask : samples.samples[i].mask.clone();
      std::memcpy(images.data() + i * image_bytes, image.data, image_bytes);
      std::memcpy(masks.data() + i * mask_bytes, mask.data, mask_bytes);
    }
    const std::string index = index_text(samples);
    {
      QuietHdf5 quiet;
      Handle file(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
      if (!file.valid()) throw Error("cannot create the file");
      write_text_attribute(file, "format", kFormat);
      write_int_attribute(file, "format_version", kFormatVersion);
      write_text_attribute(file, "key", key);
      write_int_attribute(file, "count", static_cast<int64_t>(n));
      write_int_attribute(file, "image_size", s);
      const hsize_t N = std::max<size_t>(n, 1), S = static_cast<hsize_t>(s);
      if (n == 0) images.resize(image_bytes), masks.resize(mask_bytes);
      write_bytes(file, "images", {N, S, S, 3}, {1, S, S, 3}, images.data());
      write_bytes(file, "masks", {N, S, S}, {1, S, S}, masks.data());
      const hsize_t length = std::max<size_t>(index.size(), 1);
      write_bytes(file, "index", {length}, {std::min<hsize_t>(length, 1 << 16)},
                  reinterpret_cast<const uint8_t*>(index.empty() ? "\n" : index.data()));
      check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flushing");
    }
    const int fd = ::open(temporary.c_str(), O_RDONLY);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) throw Error("cannot rename the temporary file");
  } catch (const std::exception& e) {
    std::remove(temporary.c_str());
    log::warn("could not write the sample cache " + path + " (" + e.what() + "); going on without it");
  }
}

}  // namespace seglab
