#include "tracking/run_file.h"

#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "core/error.h"

namespace seglab {
namespace {

constexpr int kFormatVersion = 1;

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

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& path, const std::string& doing) {
  if (status < 0) throw StoreError("HDF5 error while " + doing, path, "the disk may be full or the file damaged");
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
  Handle weights = make_group(group, "weights", path);
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

}  // namespace

void write_run_file(const std::string& path, const RunFileContents& contents) {
  static SilenceHdf5 silence;
  const std::string temporary = path + ".tmp";
  {
    Handle file(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!file.valid()) throw StoreError("cannot create run file", temporary, "check that the store is writable");
    write_text_attribute(file, "format", "seglab-run", path);
    write_attribute(file, "format_version", H5T_NATIVE_INT, kFormatVersion, path);
    write_text_attribute(file, "run_id", contents.run_id, path);
    Handle checkpoints = make_group(file, "/checkpoints", path);
    if (contents.last) write_checkpoint(file, "last", *contents.last, path);
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
    }
    check(H5Fflush(file, H5F_SCOPE_GLOBAL), path, "flushing");
  }
  // Make the bytes durable before the rename makes them visible.
  const int fd = ::open(temporary.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    throw StoreError("cannot move the new run file into place", path);
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
  {
    Handle a(H5Aopen(group, "metric_name", H5P_DEFAULT), H5Aclose);
    if (a.valid()) {
      Handle type(H5Aget_type(a), H5Tclose);
      std::string text(H5Tget_size(type), '\0');
      H5Aread(a, type, text.data());
      c.metric_name = text.c_str();
    }
  }
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
