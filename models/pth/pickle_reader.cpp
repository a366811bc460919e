#include "models/pth/pickle_reader.h"

#include <cstdio>
#include <cstring>
#include <map>

#include "models/pth/weights_error.h"

namespace seglab {

std::string PickleValue::describe() const {
  switch (kind) {
    case Kind::none: return "None";
    case Kind::boolean: return integer ? "True" : "False";
    case Kind::integer: return "int " + std::to_string(integer);
    case Kind::real: return "float " + std::to_string(real);
    case Kind::text: return "text '" + text + "'";
    case Kind::bytes: return "bytes (" + std::to_string(text.size()) + ")";
    case Kind::tuple: return "tuple of " + std::to_string(items.size());
    case Kind::list: return "list of " + std::to_string(items.size());
    case Kind::dict: return "dict of " + std::to_string(entries.size());
    case Kind::global: return "global " + text;
    case Kind::call: return "call " + (items.empty() ? std::string("?") : items[0]->text);
    case Kind::persistent_id: return "persistent id";
  }
  return "?";
}

namespace {

const char* const kRemedy =
    "re-save it in Python with torch.save(model.state_dict(), path) (PyTorch >= 1.6, default protocol)";

class Unpickler {
 public:
  Unpickler(const std::string& bytes, const std::string& source) : bytes_(bytes), source_(source) {}

  PickleRef run() {
    while (true) {
      const size_t at = pos_;
      const uint8_t op = byte();
      switch (op) {
        case 0x80: byte(); break;           // PROTO
        case 0x95: take(8); break;          // FRAME: a length prefix, data follows inline
        case '.':                           // STOP
          if (stack_.size() != 1) fail("the pickle ends with " + std::to_string(stack_.size()) + " values", at);
          return stack_.back();
        case 'N': push(make(PickleValue::Kind::none)); break;
        case 0x88: push(boolean(true)); break;   // NEWTRUE
        case 0x89: push(boolean(false)); break;  // NEWFALSE
        case 'K': push(integer(byte())); break;  // BININT1
        case 'M': push(integer(little<uint16_t>())); break;
        case 'J': push(integer(static_cast<int32_t>(little<uint32_t>()))); break;
        case 0x8a: push(long1(at)); break;       // LONG1
        case 'G': push(binfloat()); break;
        case 'X': push(text(little<uint32_t>())); break;          // BINUNICODE
        case 0x8c: push(text(byte())); break;                     // SHORT_BINUNICODE
        case 0x8d: push(text(static_cast<size_t>(little<uint64_t>()))); break;  // BINUNICODE8
        case 'T': push(text(little<uint32_t>())); break;          // BINSTRING (protocol 1)
        case 'U': push(text(byte())); break;                      // SHORT_BINSTRING
        case 'B': push(bytes(little<uint32_t>())); break;         // BINBYTES
        case 'C': push(bytes(byte())); break;                     // SHORT_BINBYTES
        case ')': push(make(PickleValue::Kind::tuple)); break;    // EMPTY_TUPLE
        case ']': push(make(PickleValue::Kind::list)); break;     // EMPTY_LIST
        case '}': push(make(PickleValue::Kind::dict)); break;     // EMPTY_DICT
        case '(': marks_.push_back(stack_.size()); break;         // MARK
        case 't': push(sequence(PickleValue::Kind::tuple, pop_mark(at))); break;
        case 'l': push(sequence(PickleValue::Kind::list, pop_mark(at))); break;
        case 0x85: tuple_of(1, at); break;
        case 0x86: tuple_of(2, at); break;
        case 0x87: tuple_of(3, at); break;
        case 'a': {  // APPEND
          PickleRef v = pop(at);
          list_at_top(at)->items.push_back(v);
          break;
        }
        case 'e': {  // APPENDS
          auto values = pop_mark(at);
          auto& list = list_at_top(at)->items;
          list.insert(list.end(), values.begin(), values.end());
          break;
        }
        case 'd': {  // DICT
          auto values = pop_mark(at);
          PickleRef d = make(PickleValue::Kind::dict);
          set_items(*d, values, at);
          push(d);
          break;
        }
        case 's': {  // SETITEM
          PickleRef value = pop(at), key = pop(at);
          dict_at_top(at)->entries.emplace_back(key, value);
          break;
        }
        case 'u': {  // SETITEMS
          auto values = pop_mark(at);
          set_items(*dict_at_top(at), values, at);
          break;
        }
        case 'c': {  // GLOBAL "module\nname\n"
          const std::string module = line(at), name = line(at);
          push(global(module, name));
          break;
        }
        case 0x93: {  // STACK_GLOBAL
          PickleRef name = pop(at), module = pop(at);
          if (!name->is(PickleValue::Kind::text) || !module->is(PickleValue::Kind::text))
            fail("STACK_GLOBAL needs two strings", at);
          push(global(module->text, name->text));
          break;
        }
        case 'R': {  // REDUCE
          PickleRef args = pop(at), callable = pop(at);
          push(reduce(callable, args, at));
          break;
        }
        case 0x81: {  // NEWOBJ: cls.__new__(cls, *args), treated like a call
          PickleRef args = pop(at), cls = pop(at);
          push(reduce(cls, args, at));
          break;
        }
        case 'b': {  // BUILD: keep the state, never apply it
          PickleRef state = pop(at);
          top(at)->state = state;
          break;
        }
        case 'Q': {  // BINPERSID
          PickleRef pid = pop(at);
          PickleRef v = make(PickleValue::Kind::persistent_id);
          v->items.push_back(pid);
          push(v);
          break;
        }
        case 'q': memo_[byte()] = top(at); break;                    // BINPUT
        case 'r': memo_[little<uint32_t>()] = top(at); break;        // LONG_BINPUT
        case 0x94: memo_[memo_.size()] = top(at); break;             // MEMOIZE
        case 'h': push(memo(byte(), at)); break;                     // BINGET
        case 'j': push(memo(little<uint32_t>(), at)); break;         // LONG_BINGET
        case '0': pop(at); break;                                    // POP
        case '1': pop_mark(at); break;                               // POP_MARK
        case '2': push(top(at)); break;                              // DUP
        default: {
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02x", op);
          fail(std::string("unsupported pickle opcode ") + hex + (op >= 32 && op < 127 ? std::string(" '") + char(op) + "'" : "") +
                   " (this reader supports what torch.save writes for a state_dict)",
               at);
        }
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what, size_t at) const {
    throw WeightsError(what + " at byte " + std::to_string(at), source_, kRemedy);
  }

  const char* take(size_t n) {
    if (pos_ + n > bytes_.size()) fail("the pickle is truncated", pos_);
    const char* p = bytes_.data() + pos_;
    pos_ += n;
    return p;
  }
  uint8_t byte() { return static_cast<uint8_t>(*take(1)); }
  template <typename T>
  T little() {
    const auto* p = reinterpret_cast<const uint8_t*>(take(sizeof(T)));
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
    return static_cast<T>(v);
  }
  std::string line(size_t at) {
    const size_t end = bytes_.find('\n', pos_);
    if (end == std::string::npos) fail("GLOBAL without a newline", at);
    std::string s = bytes_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return s;
  }

  static PickleRef make(PickleValue::Kind kind) {
    auto v = std::make_shared<PickleValue>();
    v->kind = kind;
    return v;
  }
  static PickleRef boolean(bool b) {
    PickleRef v = make(PickleValue::Kind::boolean);
    v->integer = b;
    return v;
  }
  static PickleRef integer(int64_t i) {
    PickleRef v = make(PickleValue::Kind::integer);
    v->integer = i;
    return v;
  }
  PickleRef long1(size_t at) {
    const size_t n = byte();
    if (n > 8) fail("integer of " + std::to_string(n) + " bytes is too large", at);
    const auto* p = reinterpret_cast<const uint8_t*>(take(n));
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
    if (n > 0 && n < 8 && (p[n - 1] & 0x80)) v |= ~uint64_t{0} << (8 * n);  // sign-extend
    return integer(static_cast<int64_t>(v));
  }
  PickleRef binfloat() {
    const auto* p = reinterpret_cast<const uint8_t*>(take(8));
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits = (bits << 8) | p[i];  // big-endian
    PickleRef v = make(PickleValue::Kind::real);
    std::memcpy(&v->real, &bits, sizeof bits);
    return v;
  }
  PickleRef text(size_t n) {
    PickleRef v = make(PickleValue::Kind::text);
    v->text.assign(take(n), n);
    return v;
  }
  PickleRef bytes(size_t n) {
    PickleRef v = text(n);
    v->kind = PickleValue::Kind::bytes;
    return v;
  }
  static PickleRef global(const std::string& module, const std::string& name) {
    PickleRef v = make(PickleValue::Kind::global);
    v->text = module + "." + name;
    return v;
  }
  static PickleRef sequence(PickleValue::Kind kind, std::vector<PickleRef> items) {
    PickleRef v = make(kind);
    v->items = std::move(items);
    return v;
  }
  void tuple_of(size_t n, size_t at) {
    if (stack_.size() < n + (marks_.empty() ? 0 : marks_.back())) fail("stack underflow", at);
    std::vector<PickleRef> items(stack_.end() - static_cast<long>(n), stack_.end());
    stack_.resize(stack_.size() - n);
    push(sequence(PickleValue::Kind::tuple, std::move(items)));
  }
  void set_items(PickleValue& dict, const std::vector<PickleRef>& values, size_t at) {
    if (values.size() % 2 != 0) fail("odd number of dict items", at);
    for (size_t i = 0; i < values.size(); i += 2) dict.entries.emplace_back(values[i], values[i + 1]);
  }
  PickleRef reduce(const PickleRef& callable, const PickleRef& args, size_t at) {
    if (!callable->is(PickleValue::Kind::global)) fail("REDUCE of " + callable->describe(), at);
    if (callable->text == "collections.OrderedDict") {
      PickleRef d = make(PickleValue::Kind::dict);
      // OrderedDict([(key, value), ...]) when pickled by value.
      if (!args->items.empty() && args->items[0]->is(PickleValue::Kind::list))
        for (const auto& pair : args->items[0]->items)
          if (pair->items.size() == 2) d->entries.emplace_back(pair->items[0], pair->items[1]);
      return d;
    }
    PickleRef v = make(PickleValue::Kind::call);
    v->items = {callable, args};
    return v;
  }

  void push(PickleRef v) { stack_.push_back(std::move(v)); }
  PickleRef pop(size_t at) {
    if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back())) fail("stack underflow", at);
    PickleRef v = stack_.back();
    stack_.pop_back();
    return v;
  }
  const PickleRef& top(size_t at) {
    if (stack_.empty()) fail("stack underflow", at);
    return stack_.back();
  }
  std::vector<PickleRef> pop_mark(size_t at) {
    if (marks_.empty()) fail("no MARK on the stack", at);
    const size_t mark = marks_.back();
    marks_.pop_back();
    std::vector<PickleRef> values(stack_.begin() + static_cast<long>(mark), stack_.end());
    stack_.resize(mark);
    return values;
  }
  PickleValue* dict_at_top(size_t at) {
    PickleValue* d = top(at).get();
    if (!d->is(PickleValue::Kind::dict)) fail("SETITEM(S) on " + d->describe(), at);
    return d;
  }
  PickleValue* list_at_top(size_t at) {
    PickleValue* l = top(at).get();
    if (!l->is(PickleValue::Kind::list)) fail("APPEND(S) on " + l->describe(), at);
    return l;
  }
  PickleRef memo(uint64_t key, size_t at) {
    auto it = memo_.find(key);
    if (it == memo_.end()) fail("memo key " + std::to_string(key) + " was never stored", at);
    return it->second;
  }

  const std::string& bytes_;
  const std::string& source_;
  size_t pos_ = 0;
  std::vector<PickleRef> stack_;
  std::vector<size_t> marks_;
  std::map<uint64_t, PickleRef> memo_;
};

}  // namespace

PickleRef read_pickle(const std::string& bytes, const std::string& source) { return Unpickler(bytes, source).run(); }

}  // namespace seglab
