#include "tracking/run_file.h"

#include <fcntl.h>
#include <hdf5.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "core/crash_point.h"
#include "core/error.h"
#include "core/text.h"

namespace seglab {
namespace {

constexpr int kFormatVersion = 2;  // 2: resume state, periodic checkpoints, per-image scores, units

// Owns an HDF5 identifier and closes it with the matching call.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(Handle&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  operator hid_t() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Gives up ownership, for a close whose result must be checked.
  hid_t release() {
    const hid_t id = id_;
    id_ = -1;
    return id;
  }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& path, const std::string& doing) {
  if (status >= 0) return;
  const int error = errno;  // the sec2 driver's failed write() leaves it
  if (error == ENOSPC || error == EDQUOT) throw StoreError("no space left on device while " + doing, path);
  throw StoreError("HDF5 error while " + doing, path, "the disk may be full or the file damaged");
}

// A write that failed for want of space does not always leave ENOSPC in errno
// (HDF5 may report it from a later call), so the folder's free space decides too.
bool disk_full(const std::string& folder) {
  struct statvfs fs {};
  if (::statvfs(folder.c_str(), &fs) != 0) return false;
  return static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize < 256 * 1024;
}

Handle make_group(hid_t parent, const std::string& name, const std::string& path) {
  Handle g(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  if (!g.valid()) throw StoreError("cannot create group " + name, path);
  return g;
}

template <class T>
void write_attribute(hid_t object, const char* name, hid_t type, const T& value, const std::string& path) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attribute(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  check(H5Awrite(attribute, type, &value), path, std::string("writing attribute ") + name);
}

void write_text_attribute(hid_t object, const char* name, const std::string& value, const std::string& path) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type, value.empty() ? 1 : value.size());
  H5Tset_strpad(type, H5T_STR_NULLPAD);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attribute(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  check(H5Awrite(attribute, type, value.empty() ? "" : value.data()), path, std::string("writing attribute ") + name);
}

void write_tensors(hid_t group, const NamedTensors& tensors, const std::string& path) {
  for (const auto& [name, tensor] : tensors) {
    std::vector<hsize_t> dims(tensor.shape().begin(), tensor.shape().end());
    Handle space(dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                 H5Sclose);
    Handle data(H5Dcreate2(group, name.c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
    if (!data.valid()) throw StoreError("cannot create dataset " + name, path);
    if (tensor.numel() > 0) check(H5Dwrite(data, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, tensor.data()), path, "writing " + name);
  }
}

void write_checkpoint(hid_t file, const std::string& name, const Checkpoint& c, const std::string& path) {
  Handle group = make_group(file, "/checkpoints/" + name, path);
  write_attribute(group, "epoch", H5T_NATIVE_INT64, c.epoch, path);
  write_attribute(group, "step", H5T_NATIVE_INT64, c.step, path);
  write_attribute(group, "metric_value", H5T_NATIVE_DOUBLE, c.metric_value, path);
  write_text_attribute(group, "metric_name", c.metric_name, path);
  write_attribute(group, "batches_into_epoch", H5T_NATIVE_INT64, c.batches_into_epoch, path);
  write_attribute(group, "epoch_loss_sum", H5T_NATIVE_DOUBLE, c.epoch_loss_sum, path);
  write_attribute(group, "epoch_images", H5T_NATIVE_INT64, c.epoch_images, path);
  write_attribute(group, "rng_seed", H5T_NATIVE_UINT64, c.rng_seed, path);
  write_text_attribute(group, "rng_streams", c.rng_streams, path);
  write_attribute(group, "lr_next", H5T_NATIVE_DOUBLE, c.lr_next, path);
  Handle weights = make_group(group, "weights", path);
  write_text_attribute(weights, "shape_convention",
                       "PyTorch: conv (out, in, kh, kw), transposed conv (in, out, kh, kw), vectors (channels)", path);
  write_tensors(weights, c.weights, path);
  Handle optimizer = make_group(group, "optimizer", path);
  write_tensors(optimizer, c.optimizer, path);
}

// Names of a group's members, in name order.
std::vector<std::string> member_names(hid_t group) {
  H5G_info_t info;
  std::vector<std::string> names;
  if (H5Gget_info(group, &info) < 0) return names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t size = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<size_t>(size), '\0');
    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), static_cast<size_t>(size) + 1, H5P_DEFAULT);
    names.push_back(name);
  }
  return names;
}

NamedTensors read_tensors(hid_t group, const std::string& path) {
  NamedTensors out;
  for (const auto& name : member_names(group)) {
    Handle data(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!data.valid()) throw StoreError("cannot open dataset " + name, path, "the file is damaged");
    Handle space(H5Dget_space(data), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space);
    std::vector<hsize_t> dims(static_cast<size_t>(std::max(rank, 0)));
    if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    Tensor t(Shape(dims.begin(), dims.end()));
    if (t.numel() > 0)
      check(H5Dread(data, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, t.data()), path, "reading " + name);
    out.emplace(name, std::move(t));
  }
  return out;
}

Handle open_for_reading(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw StoreError("run file not found", path, "the run may have failed before its first checkpoint");
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw StoreError("not a readable HDF5 file (truncated or damaged)", path,
                     "restore it from a backup; the run's catalog entry is intact");
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) throw StoreError("cannot open HDF5 file (truncated or damaged)", path);
  return file;
}

struct SilenceHdf5 {
  SilenceHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }
};


std::string utc_now_text() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string read_text_attribute(hid_t object, const char* name) {
  if (H5Aexists(object, name) <= 0) return "";
  Handle a(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  if (!a.valid()) return "";
  Handle type(H5Aget_type(a), H5Tclose);
  std::string text(H5Tget_size(type), '\0');
  H5Aread(a, type, text.data());
  return text.c_str();
}

// Fixed-length strings, as h5py reads them into bytes.
void write_strings(hid_t group, const std::string& name, const std::vector<std::string>& values, const std::string& path) {
  size_t width = 1;
  for (const auto& v : values) width = std::max(width, v.size());
  std::string packed(values.size() * width, '\0');
  for (size_t i = 0; i < values.size(); ++i) packed.replace(i * width, values[i].size(), values[i]);
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type, width);
  H5Tset_strpad(type, H5T_STR_NULLPAD);
  hsize_t dims[1] = {values.size()};
  Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose);
  Handle data(H5Dcreate2(group, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  if (!data.valid()) throw StoreError("cannot create dataset " + name, path);
  if (!values.empty()) check(H5Dwrite(data, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, packed.data()), path, "writing " + name);
}

std::vector<std::string> read_strings(hid_t group, const std::string& name, const std::string& path) {
  Handle data(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!data.valid()) throw StoreError("cannot open dataset " + name, path, "the file is damaged");
  Handle type(H5Dget_type(data), H5Tclose);
  Handle space(H5Dget_space(data), H5Sclose);
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space, &n, nullptr);
  const size_t width = H5Tget_size(type);
  std::string packed(n * width, '\0');
  if (n > 0) check(H5Dread(data, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, packed.data()), path, "reading " + name);
  std::vector<std::string> out;
  for (hsize_t i = 0; i < n; ++i) out.push_back(std::string(packed.c_str() + i * width, strnlen(packed.c_str() + i * width, width)));
  return out;
}

void write_per_image(hid_t group, const std::string& source, const PerImageTable& table, const std::string& path) {
  std::vector<double> values;
  for (const auto& row : table.rows) values.insert(values.end(), row.begin(), row.end());
  hsize_t dims[2] = {table.rows.size(), table.columns.size()};
  Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose);
  Handle data(H5Dcreate2(group, source.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  if (!data.valid()) throw StoreError("cannot create per-image table " + source, path);
  if (!values.empty()) check(H5Dwrite(data, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path, "writing " + source);
  write_text_attribute(data, "columns", join(table.columns, ","), path);
  write_text_attribute(data, "unit", "fraction (0-1), one row per image", path);
  write_attribute(data, "epoch", H5T_NATIVE_INT64, table.epoch, path);
  write_strings(group, source + "_ids", table.ids, path);
}

// Carries the periodic checkpoints of the file being replaced into the new one.
void copy_periodic(const std::string& old_path, hid_t file, const RunFileContents& contents) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(old_path, ec) || H5Fis_hdf5(old_path.c_str()) <= 0) return;
  Handle old(H5Fopen(old_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!old.valid() || H5Lexists(old, "/checkpoints", H5P_DEFAULT) <= 0) return;
  Handle group(H5Gopen2(old, "/checkpoints", H5P_DEFAULT), H5Gclose);
  for (const auto& name : member_names(group)) {
    if (!starts_with(name, "epoch_")) continue;
    const int64_t epoch = std::stoll(name.substr(6));
    if (contents.periodic.count(epoch) || (contents.last && epoch > contents.last->epoch)) continue;
    const std::string at = "/checkpoints/" + name;
    check(H5Ocopy(old, at.c_str(), file, at.c_str(), H5P_DEFAULT, H5P_DEFAULT), old_path, "copying " + at);
  }
}

}  // namespace

void write_run_file(const std::string& path, const RunFileContents& contents) {
  static SilenceHdf5 silence;
  const std::string temporary = path + ".tmp";
  const std::string folder = std::filesystem::path(path).parent_path().string();
  try {
    Handle file(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!file.valid()) throw StoreError("cannot create run file", temporary, "check that the store is writable");
    write_text_attribute(file, "format", "seglab-run", path);
    write_attribute(file, "format_version", H5T_NATIVE_INT, kFormatVersion, path);
    write_text_attribute(file, "run_id", contents.run_id, path);
    write_text_attribute(file, "written_at", utc_now_text(), path);
    Handle checkpoints = make_group(file, "/checkpoints", path);
    if (contents.last) write_checkpoint(file, "last", *contents.last, path);
    crash_point("run_file.partial");
    for (const auto& [epoch, checkpoint] : contents.periodic)
      write_checkpoint(file, periodic_checkpoint_name(epoch), checkpoint, path);
    if (contents.keep_existing_periodic) copy_periodic(path, file, contents);
    if (contents.best) {
      if (contents.last && contents.best->epoch == contents.last->epoch)
        check(H5Lcreate_soft("/checkpoints/last", file, "/checkpoints/best", H5P_DEFAULT, H5P_DEFAULT), path,
              "linking best to last");
      else
        write_checkpoint(file, "best", *contents.best, path);
    }
    Handle curves = make_group(file, "/curves", path);
    for (const auto& [key, curve] : contents.curves) {
      std::vector<double> table;
      for (size_t i = 0; i < curve.epochs.size(); ++i) {
        table.push_back(curve.epochs[i]);
        table.push_back(curve.values[i]);
      }
      hsize_t dims[2] = {curve.epochs.size(), 2};
      Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose);
      Handle data(H5Dcreate2(curves, key.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
      if (!table.empty()) check(H5Dwrite(data, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, table.data()), path, "writing curve " + key);
      write_text_attribute(data, "columns", "epoch,value", path);
      write_text_attribute(data, "unit", metric_unit(key), path);
    }
    Handle per_image = make_group(file, "/per_image", path);
    for (const auto& [source, table] : contents.per_image) write_per_image(per_image, source, table, path);
    check(H5Fflush(file, H5F_SCOPE_GLOBAL), path, "flushing");
    // Close every object first: with one open, H5Fclose only defers the close,
    // and a failure of the final write would go unseen.
    H5Gclose(per_image.release());
    H5Gclose(curves.release());
    H5Gclose(checkpoints.release());
    check(H5Fclose(file.release()), path, "closing");
    // Make the bytes durable before the rename makes them visible.
    const int fd = ::open(temporary.c_str(), O_RDONLY);
    if (fd >= 0) {
      const bool synced = ::fsync(fd) == 0;
      const int error = errno;
      ::close(fd);
      if (!synced && (error == ENOSPC || error == EDQUOT))
        throw StoreError("no space left on device while syncing", path);
    }
  } catch (const StoreError& e) {
    // Never leave a partial run.h5.tmp behind: it holds the space the next
    // write needs, and run.h5 (the previous checkpoint) is untouched.
    const bool full = e.reason().rfind("no space left", 0) == 0 || disk_full(folder.empty() ? "." : folder);
    std::remove(temporary.c_str());
    if (full)
      throw StoreError("no space left on device: the checkpoint was not written (" + e.reason() + ")", path,
                       "free disk space, then resume the run; its previous checkpoint is intact");
    throw;
  } catch (...) {
    std::remove(temporary.c_str());
    throw;
  }
  crash_point("run_file.before_rename");
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    throw StoreError("cannot move the new run file into place", path);
  }
  // The rename itself is durable only once the folder is synced.
  const int dir_fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

Checkpoint read_checkpoint(const std::string& path, const std::string& which) {
  static SilenceHdf5 silence;
  Handle file = open_for_reading(path);
  const std::string name = "/checkpoints/" + which;
  if (H5Lexists(file, "/checkpoints", H5P_DEFAULT) <= 0 || H5Lexists(file, name.c_str(), H5P_DEFAULT) <= 0)
    throw StoreError("the run file has no '" + which + "' checkpoint", path,
                     "the run may have stopped before finishing an epoch");
  Handle group(H5Gopen2(file, name.c_str(), H5P_DEFAULT), H5Gclose);
  if (!group.valid()) throw StoreError("cannot open checkpoint '" + which + "'", path);
  Checkpoint c;
  auto read_scalar = [&](const char* attribute, hid_t type, void* out) {
    Handle a(H5Aopen(group, attribute, H5P_DEFAULT), H5Aclose);
    if (!a.valid() || H5Aread(a, type, out) < 0) throw StoreError(std::string("checkpoint lacks attribute ") + attribute, path);
  };
  read_scalar("epoch", H5T_NATIVE_INT64, &c.epoch);
  read_scalar("step", H5T_NATIVE_INT64, &c.step);
  read_scalar("metric_value", H5T_NATIVE_DOUBLE, &c.metric_value);
  c.metric_name = read_text_attribute(group, "metric_name");
  auto read_optional = [&](const char* attribute, hid_t type, void* out) {
    if (H5Aexists(group, attribute) <= 0) return;
    Handle a(H5Aopen(group, attribute, H5P_DEFAULT), H5Aclose);
    if (a.valid()) H5Aread(a, type, out);
  };
  read_optional("batches_into_epoch", H5T_NATIVE_INT64, &c.batches_into_epoch);
  read_optional("epoch_loss_sum", H5T_NATIVE_DOUBLE, &c.epoch_loss_sum);
  read_optional("epoch_images", H5T_NATIVE_INT64, &c.epoch_images);
  read_optional("rng_seed", H5T_NATIVE_UINT64, &c.rng_seed);
  read_optional("lr_next", H5T_NATIVE_DOUBLE, &c.lr_next);
  c.rng_streams = read_text_attribute(group, "rng_streams");
  Handle weights(H5Gopen2(group, "weights", H5P_DEFAULT), H5Gclose);
  Handle optimizer(H5Gopen2(group, "optimizer", H5P_DEFAULT), H5Gclose);
  if (!weights.valid()) throw StoreError("checkpoint '" + which + "' has no weights", path);
  c.weights = read_tensors(weights, path);
  if (optimizer.valid()) c.optimizer = read_tensors(optimizer, path);
  return c;
}

std::map<std::string, Curve> read_curves(const std::string& path) {
  static SilenceHdf5 silence;
  Handle file = open_for_reading(path);
  std::map<std::string, Curve> out;
  if (H5Lexists(file, "/curves", H5P_DEFAULT) <= 0) return out;
  Handle group(H5Gopen2(file, "/curves", H5P_DEFAULT), H5Gclose);
  for (const auto& name : member_names(group)) {
    Handle data(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose);
    Handle space(H5Dget_space(data), H5Sclose);
    hsize_t dims[2] = {0, 0};
    H5Sget_simple_extent_dims(space, dims, nullptr);
    std::vector<double> table(dims[0] * 2);
    if (!table.empty()) check(H5Dread(data, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, table.data()), path, "reading curve " + name);
    Curve& c = out[name];
    for (hsize_t i = 0; i < dims[0]; ++i) {
      c.epochs.push_back(table[2 * i]);
      c.values.push_back(table[2 * i + 1]);
    }
  }
  return out;
}

}  // namespace seglab

namespace seglab {

std::map<std::string, PerImageTable> read_per_image(const std::string& path) {
  static SilenceHdf5 silence;
  Handle file = open_for_reading(path);
  std::map<std::string, PerImageTable> out;
  if (H5Lexists(file, "/per_image", H5P_DEFAULT) <= 0) return out;
  Handle group(H5Gopen2(file, "/per_image", H5P_DEFAULT), H5Gclose);
  for (const auto& name : member_names(group)) {
    if (ends_with(name, "_ids")) continue;
    Handle data(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose);
    Handle space(H5Dget_space(data), H5Sclose);
    hsize_t dims[2] = {0, 0};
    H5Sget_simple_extent_dims(space, dims, nullptr);
    std::vector<double> values(dims[0] * dims[1]);
    if (!values.empty()) check(H5Dread(data, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path, "reading " + name);
    PerImageTable& t = out[name];
    t.columns = split_list(read_text_attribute(data, "columns"));
    Handle epoch(H5Aopen(data, "epoch", H5P_DEFAULT), H5Aclose);
    if (epoch.valid()) H5Aread(epoch, H5T_NATIVE_INT64, &t.epoch);
    for (hsize_t i = 0; i < dims[0]; ++i)
      t.rows.emplace_back(values.begin() + static_cast<long>(i * dims[1]), values.begin() + static_cast<long>((i + 1) * dims[1]));
    t.ids = read_strings(group, name + "_ids", path);
  }
  return out;
}

std::vector<std::string> list_checkpoints(const std::string& path) {
  static SilenceHdf5 silence;
  Handle file = open_for_reading(path);
  if (H5Lexists(file, "/checkpoints", H5P_DEFAULT) <= 0) return {};
  Handle group(H5Gopen2(file, "/checkpoints", H5P_DEFAULT), H5Gclose);
  return member_names(group);
}

std::string periodic_checkpoint_name(int64_t epoch) {
  char name[32];
  std::snprintf(name, sizeof name, "epoch_%04lld", static_cast<long long>(epoch));
  return name;
}

std::string metric_unit(const std::string& key) {
  if (ends_with(key, "images_per_second")) return "images/s";
  if (ends_with(key, ".lr")) return "learning rate per step";
  if (ends_with(key, "loss")) return "loss (mean over batches)";
  return "fraction (0-1), mean over images";
}

}  // namespace seglab
