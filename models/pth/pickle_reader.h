#pragma once
// A small unpickler for the subset of Python's pickle protocol (2 to 5) that
// torch.save writes for a state_dict: containers, numbers, strings, globals,
// REDUCE calls and persistent ids. It builds values and never runs code:
// a REDUCE becomes a `call` node (callable + arguments) that the caller
// interprets, except collections.OrderedDict, which becomes a dict.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace seglab {

struct PickleValue;
using PickleRef = std::shared_ptr<PickleValue>;

struct PickleValue {
  enum class Kind { none, boolean, integer, real, text, bytes, tuple, list, dict, global, call, persistent_id };
  Kind kind = Kind::none;
  int64_t integer = 0;  // boolean, integer
  double real = 0;
  std::string text;     // text, bytes; global: "module.name"
  std::vector<PickleRef> items;                        // tuple, list; call: {callable, args}; persistent_id: {pid}
  std::vector<std::pair<PickleRef, PickleRef>> entries;  // dict, in insertion order
  PickleRef state;      // set by BUILD (e.g. an OrderedDict's _metadata), ignored by readers

  bool is(Kind k) const { return kind == k; }
  // "text 'conv1.weight'", "global torch.FloatStorage", "call torch._utils._rebuild_tensor_v2", for errors.
  std::string describe() const;
};

// Parses one pickle; `source` names it in errors ("resnet18.pth:archive/data.pkl").
// Throws WeightsError for an opcode outside the supported subset, naming it.
PickleRef read_pickle(const std::string& bytes, const std::string& source);

}  // namespace seglab
