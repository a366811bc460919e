// Experiment and sweep INI files, as `seglab train`, `seglab data check` and
// `seglab sweep --dry-run` read them.
#include <filesystem>

#include "tests/robustness/corpus.h"
#include "tests/robustness/corpus_files.h"
#include "tests/robustness/robustness_support.h"
#include "tests/support/test_support.h"

namespace seglab::test {
namespace {

// The tiny experiment with `text` appended (a later section of the same name
// adds keys to it), trained.
Invocation train_ini(const CaseContext& c, const std::string& text, std::vector<std::string> needles,
                     bool replace = false) {
  write_bytes(c.dir + "/exp.ini", replace ? text : tiny_experiment() + text);
  needles.insert(needles.begin(), "exp.ini");
  return {"train " + c.dir + "/exp.ini --store " + c.store, needles};
}

Invocation sweep_ini(const CaseContext& c, const std::string& sweep_section, std::vector<std::string> needles) {
  write_bytes(c.dir + "/sweep.ini", tiny_experiment() + sweep_section);
  needles.insert(needles.begin(), "sweep.ini");
  return {"sweep " + c.dir + "/sweep.ini --dry-run --store " + c.store, needles};
}

}  // namespace

std::vector<Case> ini_cases() {
  return {
      {"ini_unknown_section", "ini",
       [](const CaseContext& c) { return train_ini(c, "[trainer]\nepochs = 2\n", {"unknown section", "trainer"}); }},
      {"ini_unknown_key", "ini",
       [](const CaseContext& c) { return train_ini(c, "[train]\nepohcs = 2\n", {"unknown key 'train.epohcs'", "did you mean 'train.epochs'?"}); }},
      {"ini_duplicate_key", "ini",
       [](const CaseContext& c) { return train_ini(c, "[train]\nbatch_size = 2\n", {"key 'train.batch_size' is given twice"}); }},
      {"ini_wrong_type", "ini",
       [](const CaseContext& c) { return train_ini(c, "[train]\nweight_decay = fast\n", {"'fast' is not a valid value for train.weight_decay"}); }},
      {"ini_integer_expected", "ini",
       [](const CaseContext& c) {
         return train_ini(c, "[model]\nnum_classes = four\n", {"'four' is not a valid value for model.num_classes"});
       }},
      {"ini_out_of_range", "ini",
       [](const CaseContext& c) { return train_ini(c, "[data]\nworkers = 100000\n", {"data.workers must be an integer from 0 to 64"}); }},
      {"ini_number_overflow", "ini",
       [](const CaseContext& c) { return train_ini(c, "[model]\nnum_classes = 99999999999999999999\n", {"model.num_classes"}); }},
      {"ini_too_many_classes", "ini",
       [](const CaseContext& c) { return train_ini(c, "[model]\nnum_classes = 100000\n", {"'100000' is not allowed for model.num_classes"}); }},
      {"ini_bad_bool", "ini",
       [](const CaseContext& c) { return train_ini(c, "[data]\ncache = maybe\n", {"'maybe' is not a valid value for data.cache"}); }},
      {"ini_unclosed_section", "ini",
       [](const CaseContext& c) { return train_ini(c, "[train\nepochs = 2\n", {"section header is not closed"}); }},
      {"ini_line_without_equals", "ini",
       [](const CaseContext& c) { return train_ini(c, "[train]\nepochs 2\n", {"expected 'key = value', got 'epochs 2'"}); }},
      {"ini_key_before_section", "ini",
       [](const CaseContext& c) { return train_ini(c, "epochs = 2\n" + tiny_experiment(), {"comes before any [section]"}, true); }},
      {"ini_binary_garbage", "ini",
       [](const CaseContext& c) { return train_ini(c, std::string("\x7f" "ELF\x02\x01\x01\0\0\0", 10), {"exp.ini:1"}, true); }},
      {"ini_missing_file", "ini",
       [](const CaseContext& c) { return Invocation{"train " + c.dir + "/none.ini --store " + c.store, {"none.ini", "cannot open config file"}}; }},
      {"ini_folder_instead_of_file", "ini",
       [](const CaseContext& c) {
         std::filesystem::create_directories(c.dir + "/exp.ini");
         return Invocation{"train " + c.dir + "/exp.ini --store " + c.store, {"exp.ini", "cannot open config file: it is a folder"}};
       }},
      {"sweep_folder_instead_of_file", "ini",
       [](const CaseContext& c) {
         std::filesystem::create_directories(c.dir + "/sweep.ini");
         return Invocation{"sweep " + c.dir + "/sweep.ini --dry-run --store " + c.store, {"sweep.ini", "cannot open sweep file: it is a folder"}};
       }},
      {"ini_unknown_adapter", "ini",
       [](const CaseContext& c) {
         return train_ini(c, tiny_experiment("[data]\nadapter = synthetc\n"), {"unknown", "did you mean 'synthetic'?"}, true);
       }},
      {"ini_data_root_missing", "ini",
       [](const CaseContext& c) {
         write_bytes(c.dir + "/exp.ini", tiny_experiment("[data]\nadapter = folder\nroot = " + c.dir + "/nowhere\n"));
         return Invocation{"train " + c.dir + "/exp.ini --store " + c.store, {"nowhere: dataset folder not found"}};
       }},
      {"sweep_empty_value_list", "ini",
       [](const CaseContext& c) { return sweep_ini(c, "[sweep]\nmodel.base_channels =\n", {"empty list of values for model.base_channels"}); }},
      {"sweep_no_sweep_section", "ini",
       [](const CaseContext& c) { return sweep_ini(c, "", {"no [sweep] section: nothing to vary"}); }},
      {"sweep_unknown_key", "ini",
       [](const CaseContext& c) { return sweep_ini(c, "[sweep]\nmodel.base_chanels = 4, 8\n", {"base_chanels"}); }},
      {"sweep_value_out_of_range", "ini",
       [](const CaseContext& c) { return sweep_ini(c, "[sweep]\ntrain.epochs = 1, 0\n", {"train.epochs must be an integer from 1"}); }},
      {"sweep_unbalanced_brackets", "ini",
       [](const CaseContext& c) { return sweep_ini(c, "[sweep]\ntrain.lr = loguniform(1e-4, 1e-2\n", {"unclosed bracket"}); }},
      {"sweep_duplicate_cells", "ini",
       [](const CaseContext& c) { return sweep_ini(c, "[sweep]\ntrain.epochs = 1, 1\n", {"two cells of the grid are the same configuration"}); }},
  };
}

}  // namespace seglab::test
