#include "models/pth/pth_file.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>

#include "models/pth/weights_error.h"
#include "core/text.h"
#include "models/pth/pickle_reader.h"
#include "models/pth/zip_archive.h"

namespace seglab {

NamedTensors PthFile::named() const {
  NamedTensors out;
  for (const auto& t : tensors) out[t.name] = t.values;
  return out;
}

namespace {

using Kind = PickleValue::Kind;

const char* const kResave = "re-save it with torch.save(model.state_dict(), path) in PyTorch >= 1.6";

struct StorageType {
  const char* dtype;
  size_t bytes;
};

// torch.<X>Storage -> element type. Storages pickled by PyTorch 2.x keep these names.
const std::map<std::string, StorageType>& storage_types() {
  static const std::map<std::string, StorageType> types = {
      {"torch.FloatStorage", {"float32", 4}},  {"torch.DoubleStorage", {"float64", 8}},
      {"torch.HalfStorage", {"float16", 2}},   {"torch.BFloat16Storage", {"bfloat16", 2}},
      {"torch.LongStorage", {"int64", 8}},     {"torch.IntStorage", {"int32", 4}},
      {"torch.ShortStorage", {"int16", 2}},    {"torch.CharStorage", {"int8", 1}},
      {"torch.ByteStorage", {"uint8", 1}},     {"torch.BoolStorage", {"bool", 1}},
  };
  return types;
}

float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff, bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000 | (mantissa << 13);
  } else if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      int e = -1;
      do {
        ++e;
        mantissa <<= 1;
      } while ((mantissa & 0x400) == 0);
      bits = sign | static_cast<uint32_t>(127 - 15 - e) << 23 | (mantissa & 0x3ff) << 13;
    }
  } else {
    bits = sign | (exponent + 127 - 15) << 23 | mantissa << 13;
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float element(const char* p, const std::string& dtype) {
  auto load = [p](auto value) {
    std::memcpy(&value, p, sizeof value);  // the format is little-endian, as is every host seglab supports
    return value;
  };
  if (dtype == "float32") return load(float{});
  if (dtype == "float64") return static_cast<float>(load(double{}));
  if (dtype == "float16") return half_to_float(load(uint16_t{}));
  if (dtype == "bfloat16") {
    const uint32_t bits = static_cast<uint32_t>(load(uint16_t{})) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  if (dtype == "int64") return static_cast<float>(load(int64_t{}));
  if (dtype == "int32") return static_cast<float>(load(int32_t{}));
  if (dtype == "int16") return static_cast<float>(load(int16_t{}));
  if (dtype == "int8") return static_cast<float>(load(int8_t{}));
  return static_cast<float>(load(uint8_t{}));  // uint8, bool
}

std::vector<int64_t> int_tuple(const PickleRef& v, const std::string& what, const std::string& where) {
  if (!v->is(Kind::tuple) && !v->is(Kind::list)) throw WeightsError(what + " is " + v->describe() + ", not a tuple", where, kResave);
  std::vector<int64_t> out;
  for (const auto& item : v->items) {
    if (!item->is(Kind::integer)) throw WeightsError(what + " holds " + item->describe(), where, kResave);
    out.push_back(item->integer);
  }
  return out;
}

class CheckpointReader {
 public:
  explicit CheckpointReader(const std::string& path) : path_(path), zip_(path) {}

  PthFile read() {
    std::string pickle_name;
    for (const auto& name : zip_.names())
      if (ends_with(name, "/data.pkl") && std::count(name.begin(), name.end(), '/') == 1) pickle_name = name;
    if (pickle_name.empty())
      throw WeightsError("the zip archive has no <name>/data.pkl: not a PyTorch checkpoint", path_, kResave);
    prefix_ = pickle_name.substr(0, pickle_name.size() - std::string("data.pkl").size());
    if (zip_.contains(prefix_ + "byteorder") && trim(zip_.read(prefix_ + "byteorder")) != "little")
      throw WeightsError("the checkpoint was written on a big-endian machine", path_,
                         "load and re-save it with PyTorch on a little-endian machine");

    const PickleRef root = read_pickle(zip_.read(pickle_name), path_ + ":" + pickle_name);
    PthFile file;
    file.path = path_;
    const PickleValue* dict = state_dict(*root, file.note);
    for (const auto& [key, value] : dict->entries) {
      if (!key->is(Kind::text)) throw WeightsError("a state_dict key is " + key->describe(), path_, kResave);
      // Non-tensor entries (extra state) are not weights; tensor-like ones must rebuild.
      if (!value->is(Kind::call)) continue;
      file.tensors.push_back(tensor(key->text, *value));
    }
    if (file.tensors.empty()) throw WeightsError("the checkpoint holds no tensors", path_, kResave);
    return file;
  }

 private:
  bool holds_tensors(const PickleValue& v) const {
    if (!v.is(Kind::dict)) return false;
    for (const auto& entry : v.entries)
      if (entry.second->is(Kind::call)) return true;
    return false;
  }

  // A state_dict, or a training checkpoint dict with one under 'state_dict' or 'model'.
  const PickleValue* state_dict(const PickleValue& root, std::string& note) const {
    if (!root.is(Kind::dict))
      throw WeightsError("the checkpoint holds a " + root.describe() + ", not a state_dict", path_,
                         "save model.state_dict(), not the model: torch.save(model.state_dict(), path)");
    if (holds_tensors(root)) return &root;
    for (const auto& [key, value] : root.entries)
      if (key->is(Kind::text) && (key->text == "state_dict" || key->text == "model") && holds_tensors(*value)) {
        note = "tensors read from the '" + key->text + "' entry";
        return value.get();
      }
    throw WeightsError("the checkpoint's dict holds no tensors (nor a 'state_dict' or 'model' entry with them)", path_,
                       kResave);
  }

  PthTensor tensor(const std::string& name, const PickleValue& call) {
    const std::string where = path_ + " tensor '" + name + "'";
    const std::string& fn = call.items[0]->text;
    const PickleValue& args = *call.items[1];
    if (fn == "torch._utils._rebuild_parameter" && !args.items.empty() && args.items[0]->is(Kind::call))
      return tensor(name, *args.items[0]);
    if (fn != "torch._utils._rebuild_tensor_v2" || args.items.size() < 4)
      throw WeightsError("is stored by " + fn + ", which this reader does not support", where,
                         "save plain dense tensors: torch.save({k: v.contiguous() for k, v in model.state_dict().items()}, path)");
    const PickleValue& storage = *args.items[0];
    if (!storage.is(Kind::persistent_id) || storage.items[0]->items.size() < 3 ||
        !storage.items[0]->items[1]->is(Kind::global) || !storage.items[0]->items[2]->is(Kind::text))
      throw WeightsError("has no storage reference of the zip format", where, kResave);
    const auto& pid = storage.items[0]->items;
    const std::string& storage_name = pid[1]->text;
    auto type = storage_types().find(storage_name);
    if (type == storage_types().end())
      throw WeightsError("has storage type " + storage_name + ", which this reader does not support", where,
                         "convert it to float32 before saving");
    const std::string& bytes = storage_bytes(pid[2]->text);
    if (!args.items[1]->is(Kind::integer)) throw WeightsError("has a storage offset of " + args.items[1]->describe(), where, kResave);
    const int64_t offset = args.items[1]->integer;
    const Shape shape = int_tuple(args.items[2], "its size", where);
    const std::vector<int64_t> strides = int_tuple(args.items[3], "its stride", where);
    if (strides.size() != shape.size()) throw WeightsError("has " + std::to_string(strides.size()) + " strides for " +
                                                               std::to_string(shape.size()) + " dimensions", where, kResave);

    PthTensor t;
    t.name = name;
    t.dtype = type->second.dtype;
    t.values = Tensor(shape);
    const int64_t elements_in_storage = static_cast<int64_t>(bytes.size() / type->second.bytes);
    // Walk the tensor in row-major order, mapping each index through the strides.
    std::vector<int64_t> index(shape.size(), 0);
    for (int64_t i = 0; i < t.values.numel(); ++i) {
      int64_t at = offset;
      for (size_t d = 0; d < shape.size(); ++d) at += index[d] * strides[d];
      if (at < 0 || at >= elements_in_storage)
        throw WeightsError("reads element " + std::to_string(at) + " of a storage of " +
                               std::to_string(elements_in_storage), where, "the file is damaged; " + std::string(kResave));
      t.values[i] = element(bytes.data() + static_cast<size_t>(at) * type->second.bytes, t.dtype);
      for (size_t d = shape.size(); d-- > 0;) {
        if (++index[d] < shape[d]) break;
        index[d] = 0;
      }
    }
    return t;
  }

  const std::string& storage_bytes(const std::string& key) {
    auto it = storages_.find(key);
    if (it == storages_.end()) it = storages_.emplace(key, zip_.read(prefix_ + "data/" + key)).first;
    return it->second;
  }

  std::string path_;
  ZipArchive zip_;
  std::string prefix_;
  std::map<std::string, std::string> storages_;
};

}  // namespace

PthFile read_pth(const std::string& path) {
  if (!std::filesystem::is_regular_file(path))
    throw WeightsError("no such file", path, "give the path of a .pth file saved with torch.save(model.state_dict(), path)");
  if (!looks_like_zip(path))
    throw WeightsError("not a zip-format PyTorch checkpoint (a legacy pre-1.6 .pth, or not a checkpoint at all)", path,
                       "re-save it: torch.save(torch.load(old), new) with PyTorch >= 1.6 (zip format is the default)");
  return CheckpointReader(path).read();
}

}  // namespace seglab
