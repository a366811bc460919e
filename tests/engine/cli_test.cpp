// train -> eval -> predict -> runs list through the seglab binary on a tiny
// experiment, checking what each step leaves in the store.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <opencv2/imgcodecs.hpp>

#include "backends/training_registries.h"
#include "core/lr_schedule.h"
#include "core/text.h"
#include "datasets/augmentation.h"
#include "datasets/dataset_adapter.h"
#include "engine/registration.h"
#include "engine/sweep/launcher.h"
#include "engine/sweep/slurm_options.h"
#include "engine/sweep/sweep_spec.h"
#include "models/model_registry.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_experiment.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

const std::string kTinyExperiment = test::TinyExperiment{}.ini();

std::string run_id_of(const std::string& output) { return test::trained_run_id(output, "tiny"); }

TEST(Cli, TrainEvalPredictAndList) {
  test::TempDir dir;
  test::write_text_file(dir / "tiny.ini", kTinyExperiment);
  const std::string store = " --store " + (dir / "store");

  const auto train = test::run_seglab("train " + (dir / "tiny.ini") + store + " --set train.epochs=3");
  ASSERT_EQ(train.exit_code, 0) << train.output;
  const std::string id = run_id_of(train.output);
  EXPECT_NE(train.output.find("data: 20 synthetic lesion images of 32x32 (seed 7): 15 train, 5 val"), std::string::npos)
      << train.output;
  EXPECT_NE(train.output.find("epoch 3/3"), std::string::npos);
  EXPECT_NE(train.output.find("finished run " + id), std::string::npos);

  // The catalog has the run, every resolved key (with the override) and the curves.
  {
    RunStore runs(dir / "store");
    const RunInfo info = runs.catalog().find_run(id);
    EXPECT_EQ(info.status, RunStatus::finished);
    const auto params = runs.catalog().params(id);
    EXPECT_EQ(params.at("train.epochs"), "3");
    EXPECT_EQ(params.at("model.base_channels"), "4");
    EXPECT_EQ(params.at("train.optimizer"), "adamw");  // a default, recorded too
    EXPECT_EQ(runs.catalog().metrics(id, "train.loss").size(), 9u);  // 3 epochs x 3 steps (15 / 5)
    EXPECT_EQ(runs.catalog().metrics(id, "val.dice").size(), 3u);
    const auto record = runs.catalog().record(id);
    EXPECT_EQ(record.at("backend.name"), "libtorch");
    EXPECT_EQ(record.at("data.samples"), "20");
    EXPECT_FALSE(record.at("lib.libtorch").empty());
    EXPECT_FALSE(record.at("config.hash").empty());
    for (const char* file : {"config.ini", "log.txt", "run.h5"}) EXPECT_TRUE(fs::exists(runs.run_dir(id) + "/" + file)) << file;
  }

  const auto eval = test::run_seglab("eval " + id.substr(0, 5) + store);
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  EXPECT_NE(eval.output.find("val split: 5 images"), std::string::npos) << eval.output;
  EXPECT_NE(eval.output.find("dice"), std::string::npos);
  const std::string eval_dir = dir / ("store/runs/" + id + "/eval/val-best");
  const std::string csv = test::read_text_file(eval_dir + "/per_image.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 6) << csv;  // header + 5 images
  EXPECT_EQ(csv.rfind("id,accuracy,assd,boundary_iou,dice,hd95,", 0), 0u) << csv;
  EXPECT_EQ(std::distance(fs::directory_iterator(eval_dir + "/masks"), fs::directory_iterator{}), 5);
  {
    RunStore runs(dir / "store");
    EXPECT_EQ(runs.catalog().metrics(id, "eval.val.dice").size(), 1u);
  }

  // Predict on a real PH2 image: masks come back at the image's own size.
  const std::string image = test::shared_data("skin-lesions/images/IMD004.bmp");
  const auto predict = test::run_seglab("predict " + id + " " + image + " -o " + (dir / "out") + store);
  ASSERT_EQ(predict.exit_code, 0) << predict.output;
  const cv::Mat mask = cv::imread(dir / "out/IMD004_mask.png", cv::IMREAD_UNCHANGED);
  const cv::Mat source = cv::imread(image);
  EXPECT_EQ(mask.size(), source.size());
  EXPECT_EQ(mask.type(), CV_8U);
  EXPECT_EQ(cv::countNonZero((mask != 0) & (mask != 255)), 0);
  EXPECT_EQ(cv::imread(dir / "out/IMD004_overlay.png").size(), source.size());

  const auto list = test::run_seglab("runs list" + store);
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find(id + "  tiny  finished"), std::string::npos) << list.output;
}

// One entry of a `seglab list <what>` listing, read back from its text: the
// "  name: summary" line and the option lines under it (each key line with its
// help line).
struct ListedEntry {
  std::string name, summary;
  std::vector<std::string> option_lines;
};

std::vector<ListedEntry> parse_listing(const std::string& output, std::string& header) {
  std::vector<ListedEntry> entries;
  std::istringstream lines(output);
  std::getline(lines, header);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("    ", 0) == 0) {
      if (entries.empty()) ADD_FAILURE() << "option line before any entry: " << line;
      else entries.back().option_lines.push_back(line);
    } else if (line.rfind("  ", 0) == 0 && line.find(": ") != std::string::npos) {
      entries.push_back({line.substr(2, line.find(": ") - 2), line.substr(line.find(": ") + 2), {}});
    } else {
      ADD_FAILURE() << "unexpected line: " << line;
    }
  }
  return entries;
}

// The two lines `seglab list` shows for an option: key, type, default and
// allowed values, then the help.
std::vector<std::string> option_lines(const std::string& key, const OptionSpec& spec) {
  std::string line = "    " + key + " (" + option_type_name(spec.type) + ", default " +
                     (spec.default_value.empty() ? "\"\"" : spec.default_value) + ")";
  if (spec.min || spec.max || !spec.choices.empty()) line += " " + spec.allowed_text();
  return {line, "        " + spec.help};
}

std::vector<std::string> option_lines(const std::string& prefix, const OptionList& options) {
  std::vector<std::string> lines;
  for (const auto& spec : options.specs())
    for (auto& line : option_lines(prefix + "." + spec.name, spec)) lines.push_back(std::move(line));
  return lines;
}

struct ListTarget {
  std::string what;
  const RegistryBase& registry;
  std::string selector;
  bool options_namespaced;             // augmentations: [augment.<name>] keys
  std::vector<std::string> known;      // entries that must be there whatever the registry says
  const ConfigSchema* entry_sections = nullptr;  // where an entry's own [<name>] section is (launchers)
};

// Every `seglab list <registry>` shows every entry of that registry, in order,
// with its summary and every option under its config key (type, default,
// allowed values, help), compared with the registries themselves; a fixed list
// of known entries per target guards against an entry dropping out of a
// registry unnoticed. Backends also show their devices and precisions; the
// slurm launcher, whose options are the [slurm] section, shows those.
TEST(Cli, ListShowsRegistriesWithTheirOptions) {
  register_all();
  const std::vector<ListTarget> targets = {
      {"models", model_registry(), "model.name", false, {"unet"}},
      {"encoders", encoder_registry(), "model.encoder", false,
       {"plain", "resnet18", "resnet34", "resnet50", "vgg16_bn", "mobilenet_v2", "efficientnet_b0"}},
      {"datasets", adapter_registry(), "data.adapter", false, {"folder", "isic", "labelme", "ph2", "synthetic"}},
      {"augmentations", augmentation_registry(), "augment.pipeline", true,
       {"hflip", "vflip", "rot90", "rotate", "scale_crop", "affine", "elastic", "color_jitter", "gamma", "gaussian_blur",
        "gaussian_noise", "normalize"}},
      {"backends", backend_registry(), "backend.name", false, {"libtorch", "onednn"}},
      {"losses", loss_registry(), "train.loss", false, {"bce", "dice", "bce_dice", "cross_entropy"}},
      {"optimizers", optimizer_registry(), "train.optimizer", false, {"sgd", "adam", "adamw"}},
      {"schedules", lr_schedule_registry(), "train.schedule", false, {"constant", "step", "cosine"}},
      {"launchers", launcher_registry(), "sweep.launcher", false, {"local", "slurm"}, &sweep_control_schema()},
  };
  std::map<std::string, std::string> outputs;
  for (const ListTarget& target : targets) {
    const auto r = test::run_seglab("list " + target.what);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    outputs[target.what] = r.output;
    std::string header;
    const std::vector<ListedEntry> listed = parse_listing(r.output, header);
    EXPECT_EQ(header, target.what + " (" + target.selector + ")");
    std::vector<std::string> names;
    for (const auto& entry : listed) names.push_back(entry.name);
    EXPECT_EQ(names, target.registry.names()) << r.output;
    for (const std::string& known : target.known)
      EXPECT_NE(std::find(names.begin(), names.end(), known), names.end()) << target.what << ": " << known;
    const std::string section = target.selector.substr(0, target.selector.find('.'));
    for (size_t i = 0; i < listed.size() && i < target.registry.infos().size(); ++i) {
      const EntryInfo& info = target.registry.infos()[i];
      const std::string where = target.what + " " + info.name;
      EXPECT_EQ(listed[i].summary.rfind(info.summary, 0), 0u) << where << ": " << listed[i].summary;
      std::vector<std::string> expected =
          option_lines(target.options_namespaced ? section + "." + info.name : section, info.options);
      if (target.entry_sections)
        if (const auto* own = target.entry_sections->find_section(info.name))
          for (auto& line : option_lines(info.name, own->options)) expected.push_back(std::move(line));
      EXPECT_EQ(listed[i].option_lines, expected) << where;
      if (target.what == "backends") {
        const auto caps = backend_registry().factory(info.name)()->capabilities();
        EXPECT_EQ(listed[i].summary, info.summary + "; devices " + join(caps.devices, ", ") + "; precisions " +
                                         join(caps.precisions, ", "));
      }
    }
  }

  // A few lines spelled out, so that the format itself is checked too.
  for (const auto& [what, text] : std::vector<std::pair<std::string, std::string>>{
           {"models", "    model.upsampling (string, default transposed) one of: transposed, bilinear\n"},
           {"launchers", "  local: fork `seglab train` processes on this machine\n    sweep.jobs (int, default 1)"},
           {"launchers", "  slurm: submit the cells as one Slurm job array with sbatch (options in the [slurm] section)\n"
                         "    slurm.partition (string, default \"\")\n"},
           {"launchers", "    slurm.cpus_per_task (int, default 1) an integer from 1 to 1024\n"},
           {"backends", "  libtorch: "},
           {"backends", "; devices cpu"},
           {"augmentations", "    augment.hflip.p (float, default 0.5)"},
           {"losses", "    train.dice_smooth (float, default 1)"},
           {"optimizers", "    train.beta2 (float, default 0.999)"}}) {
    EXPECT_NE(outputs[what].find(text), std::string::npos) << text << "\n" << outputs[what];
  }

  // `list config`: every section of the experiment and sweep schemas with all
  // their options, [slurm] (the slurm launcher's options) among them.
  const auto config = test::run_seglab("list config");
  ASSERT_EQ(config.exit_code, 0) << config.output;
  std::vector<const ConfigSchema::Section*> sections;
  for (const auto& section : experiment_schema().sections()) sections.push_back(&section);
  for (const auto& section : sweep_control_schema().sections()) sections.push_back(&section);
  bool slurm = false;
  for (const ConfigSchema::Section* section : sections) {
    slurm = slurm || section->name == "slurm";
    EXPECT_NE(config.output.find("[" + section->name + "]  " + section->help), std::string::npos) << section->name;
    std::string lines;
    for (const auto& line : option_lines(section->name, section->options)) lines += line + "\n";
    EXPECT_NE(config.output.find(lines), std::string::npos) << section->name << "\n" << config.output;
  }
  EXPECT_TRUE(slurm);
  // The [slurm] section that `list launchers` shows under slurm is the launcher's own options.
  EXPECT_EQ(option_lines("slurm", sweep_control_schema().find_section("slurm")->options),
            option_lines("slurm", slurm_options()));

  const auto typo = test::run_seglab("list encoder");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.output.find("did you mean 'encoders'"), std::string::npos) << typo.output;
}

}  // namespace
}  // namespace seglab
