// PyTorch weight files (.pth), as `seglab weights inspect` and
// model.encoder_weights read them. The files are written by torch.save in
// Debian's python3 (once per process), then damaged by code.
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "tests/robustness/corpus.h"
#include "tests/robustness/corpus_files.h"
#include "tests/robustness/robustness_support.h"
#include "tests/support/test_support.h"

namespace seglab::test {
namespace {

// good.pth (a resnet18 stem), wrong_shape.pth, wrong_names.pth, list.pth.
const std::string& pth_folder() {
  static TempDir dir;
  static std::once_flag once;
  std::call_once(once, [] {
    const std::string script = R"(
import sys, torch
d = sys.argv[1]
torch.save({'conv1.weight': torch.zeros(64, 3, 7, 7), 'bn1.weight': torch.ones(64)}, d + '/good.pth')
torch.save({'conv1.weight': torch.zeros(64, 3, 3, 3)}, d + '/wrong_shape.pth')
torch.save({'stem.conv.weight': torch.zeros(64, 3, 7, 7)}, d + '/wrong_names.pth')
torch.save([1, 2, 3], d + '/list.pth')
)";
    write_text_file(dir / "make.py", script);
    const auto r = run_command(std::string(test::python()) + " " + (dir / "make.py") + " " + dir.path());
    if (r.exit_code != 0) throw std::runtime_error("torch.save failed: " + r.output);
  });
  return dir.path();
}

Invocation inspect(const CaseContext& c, const std::string& bytes, std::vector<std::string> needles) {
  write_bytes(c.dir + "/w.pth", bytes);
  needles.insert(needles.begin(), "w.pth");
  return {"weights inspect " + c.dir + "/w.pth", needles};
}

// A resnet18 U-Net trained with the file as encoder weights.
Invocation train_with_weights(const CaseContext& c, const std::string& file, std::vector<std::string> needles) {
  write_text_file(c.dir + "/exp.ini",
                  "[data]\nadapter = synthetic\nnum_samples = 8\nsynthetic_size = 32\nimage_size = 32\n"
                  "[model]\nencoder = resnet18\nencoder_weights = " + file + "\n[backend]\ndevice = cpu\nthreads = 1\n"
                  "[train]\nepochs = 1\nbatch_size = 4\n");
  needles.insert(needles.begin(), std::filesystem::path(file).filename().string());
  return {"train " + c.dir + "/exp.ini --store " + c.store, needles};
}

}  // namespace

std::vector<Case> weights_cases() {
  return {
      {"pth_text_file", "weights",
       [](const CaseContext& c) { return inspect(c, "just text, not a checkpoint\n", {"not a zip-format PyTorch checkpoint"}); }},
      {"pth_zero_bytes", "weights",
       [](const CaseContext& c) { return inspect(c, "", {"w.pth"}); }},
      {"pth_truncated", "weights",
       [](const CaseContext& c) {
         const std::string good = read_bytes(pth_folder() + "/good.pth");
         return inspect(c, good.substr(0, good.size() / 2), {"the checkpoint is truncated or damaged"});
       }},
      {"pth_corrupt_middle", "weights",
       [](const CaseContext& c) {
         std::string bad = read_bytes(pth_folder() + "/good.pth");
         for (size_t i = 0; i < 300 && i < bad.size(); ++i) bad[i + 40] = static_cast<char>(bad[i + 40] ^ 0x33);
         return inspect(c, bad, {"w.pth"});
       }},
      {"pth_not_a_state_dict", "weights",
       [](const CaseContext& c) { return inspect(c, read_bytes(pth_folder() + "/list.pth"), {"holds a list of 3, not a state_dict"}); }},
      {"pth_wrong_shape_encoder", "weights",
       [](const CaseContext& c) { return train_with_weights(c, pth_folder() + "/wrong_shape.pth", {"conv1.weight", "[64, 3, 3, 3]"}); }},
      {"pth_wrong_names_encoder", "weights",
       [](const CaseContext& c) { return train_with_weights(c, pth_folder() + "/wrong_names.pth", {"stem.conv.weight"}); }},
      {"pth_not_a_checkpoint_encoder", "weights",
       [](const CaseContext& c) {
         write_bytes(c.dir + "/text.pth", "hello");
         return train_with_weights(c, c.dir + "/text.pth", {"not a zip-format PyTorch checkpoint"});
       }},
      {"pth_missing_encoder", "weights",
       [](const CaseContext& c) { return train_with_weights(c, c.dir + "/absent.pth", {"absent.pth"}); }},
  };
}

}  // namespace seglab::test
