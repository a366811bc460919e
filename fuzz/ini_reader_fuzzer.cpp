// Fuzz target: experiment INI text through the reader, then through a schema
// of every option type (ranges, choices, lists), as `seglab train` reads a file.
// A seglab::Error is the reader's answer to bad input; anything else escaping
// (another exception, a sanitizer report, a crash) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/config_schema.h"
#include "core/error.h"
#include "core/ini_reader.h"

namespace {

const seglab::ConfigSchema& schema() {
  static const seglab::ConfigSchema instance = [] {
    seglab::ConfigSchema s;
    seglab::OptionList train;
    train.add_int("epochs", 10, "epochs").range(1, 100000);
    train.add_real("lr", 1e-3, "learning rate").range(0, 10);
    train.add_bool("amp", false, "mixed precision");
    train.add_text("optimizer", "adam", "optimizer").one_of({"adam", "sgd"});
    train.add_list("metrics", "dice,iou", "metrics").one_of({"dice", "iou", "hd95"});
    s.add_section("train", "training", train);
    seglab::OptionList data;
    data.add_text("root", "", "data folder");
    data.add_int("seed", 0, "seed");
    data.add_real("val_fraction", 0.2, "fraction").range(0, 1);
    data.add_list("sizes", "", "sizes");
    s.add_section("data", "data", data);
    return s;
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    seglab::RawConfig raw = seglab::parse_ini_text(text, "fuzz.ini");
    // Every entry again as a --set override, the other way keys arrive.
    seglab::RawConfig overridden;
    for (const auto& entry : raw.entries) overridden.apply_override(entry.key + "=" + entry.value);
    const seglab::Config config = schema().resolve(raw);
    // The canonical text a run records must read back to the same config.
    const seglab::Config again = schema().resolve(seglab::parse_ini_text(config.canonical_text(), "canonical.ini"));
    if (again.canonical_text() != config.canonical_text()) __builtin_trap();
  } catch (const seglab::Error&) {
  }
  return 0;
}
