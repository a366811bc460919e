// Sweep files: grid expansion, random sampling (reproducible, in range) and
// every error that must stop a sweep before anything runs.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <set>

#include "core/error.h"
#include "core/ini_reader.h"
#include "engine/experiment.h"
#include "engine/registration.h"
#include "engine/sweep/sweep_expansion.h"
#include "engine/sweep/sweep_runner.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

const std::string kBase = R"ini([experiment]
name = tiny
[data]
num_samples = 12
synthetic_size = 32
image_size = 32
[model]
base_channels = 4
depth = 2
[train]
epochs = 1
)ini";

SweepPlan plan_of(const std::string& sweep_section) {
  return load_sweep(kBase + "[sweep]\n" + sweep_section, "s.ini").plan;
}

// The ConfigError a sweep section raises, as the CLI would print it.
std::string error_of(const std::string& sweep_section) {
  try {
    plan_of(sweep_section);
  } catch (const ConfigError& e) {
    return e.describe();
  }
  ADD_FAILURE() << "no error for:\n" << sweep_section;
  return {};
}

// data.folds = K in the experiment runs every fold of every configuration,
// before the seeds; a data.fold written or varied by hand is left as it is.
TEST(SweepExpansion, DataFoldsRunsEveryFoldOfEveryConfiguration) {
  const SweepPlan grid =
      load_sweep(kBase + "[data]\nfolds = 3\n[sweep]\ntrain.lr = 0.001, 0.01\nseeds = 1, 2\n", "s.ini").plan;
  ASSERT_EQ(grid.jobs.size(), 12u);
  EXPECT_EQ(grid.varied_keys, (std::vector<std::string>{"train.lr", "data.fold", "experiment.seed"}));
  EXPECT_EQ(grid.jobs[0].label(), "train.lr=0.001 data.fold=1 experiment.seed=1");
  EXPECT_EQ(grid.jobs[1].label(), "train.lr=0.001 data.fold=1 experiment.seed=2");
  EXPECT_EQ(grid.jobs[11].label(), "train.lr=0.01 data.fold=3 experiment.seed=2");
  for (const auto& job : grid.jobs) EXPECT_EQ(job.config.get_int("data.folds"), 3);

  const std::string data_folds = "[data]\nfolds = 2\n";
  const SweepPlan random = load_sweep(kBase + data_folds + "[sweep]\nmethod = random\ntrials = 3\ntrain.lr = "
                                                               "loguniform(0.0001, 0.1)\n",
                                      "s.ini")
                               .plan;
  ASSERT_EQ(random.jobs.size(), 6u);  // each drawn configuration in both folds
  for (size_t i = 0; i < random.jobs.size(); i += 2) {
    EXPECT_EQ(random.jobs[i].config.get_text("train.lr"), random.jobs[i + 1].config.get_text("train.lr"));
    EXPECT_EQ(random.jobs[i].config.get_text("data.fold"), "1");
    EXPECT_EQ(random.jobs[i + 1].config.get_text("data.fold"), "2");
  }
  const SweepPlan by_hand = load_sweep(kBase + data_folds + "[sweep]\ndata.fold = 2\n", "s.ini").plan;
  ASSERT_EQ(by_hand.jobs.size(), 1u);
  EXPECT_EQ(by_hand.varied_keys, std::vector<std::string>{"data.fold"});
}

TEST(SweepExpansion, GridIsEveryCombinationFirstKeySlowestThenSeeds) {
  const SweepPlan plan = plan_of("train.lr = 0.001, 0.01\nmodel.base_channels = 4, 8\nrepeats = 2\n");
  ASSERT_EQ(plan.jobs.size(), 8u);
  EXPECT_EQ(plan.varied_keys, (std::vector<std::string>{"train.lr", "model.base_channels", "experiment.seed"}));
  const char* expected[8][3] = {{"0.001", "4", "42"}, {"0.001", "4", "43"}, {"0.001", "8", "42"}, {"0.001", "8", "43"},
                                {"0.01", "4", "42"},  {"0.01", "4", "43"},  {"0.01", "8", "42"},  {"0.01", "8", "43"}};
  std::set<std::string> keys;
  for (size_t i = 0; i < plan.jobs.size(); ++i) {
    const SweepJob& job = plan.jobs[i];
    EXPECT_EQ(job.config.get_real("train.lr"), std::stod(expected[i][0]));
    EXPECT_EQ(job.config.get_int("model.base_channels"), std::stoll(expected[i][1]));
    EXPECT_EQ(job.config.get_int("experiment.seed"), std::stoll(expected[i][2]));
    EXPECT_EQ(job.config.get_int("train.epochs"), 1);  // the base is kept
    EXPECT_EQ(job.key, job.config.hash().substr(0, 12));
    EXPECT_EQ(job.key.size(), 12u);
    keys.insert(job.key);
  }
  EXPECT_EQ(keys.size(), 8u);
  EXPECT_EQ(plan.jobs[5].label(), "train.lr=0.01 model.base_channels=4 experiment.seed=43");
}

TEST(SweepExpansion, SeedListAndJobKeysIndependentOfLineOrder) {
  const SweepPlan a = plan_of("train.lr = 0.001, 0.01\nseeds = 7, 9\nmodel.depth = 1, 2\n");
  const SweepPlan b = plan_of("model.depth = 2, 1\nseeds = 9, 7\ntrain.lr = 1e-2, 1e-3\n");
  ASSERT_EQ(a.jobs.size(), 8u);
  std::set<std::string> keys_a, keys_b;
  for (const auto& j : a.jobs) keys_a.insert(j.key);
  for (const auto& j : b.jobs) keys_b.insert(j.key);
  EXPECT_EQ(keys_a, keys_b);
  EXPECT_EQ(a.jobs[0].config.get_int("experiment.seed"), 7);
  EXPECT_EQ(a.jobs[1].config.get_int("experiment.seed"), 9);
}

TEST(SweepExpansion, BracketsKeepAListValueWhole) {
  const SweepPlan plan = plan_of("augment.pipeline = [], [hflip, vflip], rot90\n");
  ASSERT_EQ(plan.jobs.size(), 3u);
  EXPECT_TRUE(plan.jobs[0].config.get_list("augment.pipeline").empty());
  EXPECT_EQ(plan.jobs[1].config.get_list("augment.pipeline"), (std::vector<std::string>{"hflip", "vflip"}));
  EXPECT_EQ(plan.jobs[2].config.get_list("augment.pipeline"), (std::vector<std::string>{"rot90"}));
  EXPECT_EQ(plan.jobs[1].label(), "augment.pipeline=[hflip, vflip]");
}

const char* kRandom =
    "method = random\ntrials = 40\nseed = 5\ntrain.lr = loguniform(1e-4, 1e-2)\ntrain.batch_size = int(2, 6)\n"
    "train.optimizer = choice(adam, sgd)\ndata.val_ratio = uniform(0.1, 0.3)\n";

TEST(SweepExpansion, RandomSamplesAreInRangeAndReproducibleFromTheSweepSeed) {
  const SweepPlan plan = plan_of(kRandom);
  EXPECT_EQ(plan.jobs.size() + static_cast<size_t>(plan.duplicates_dropped), 40u);
  EXPECT_EQ(plan.duplicates_dropped, 0);  // continuous draws do not repeat
  std::set<long long> batch_sizes;
  std::set<std::string> optimizers;
  double log_lr_sum = 0;
  for (const auto& job : plan.jobs) {
    const double lr = job.config.get_real("train.lr");
    EXPECT_GE(lr, 1e-4);
    EXPECT_LT(lr, 1e-2);
    log_lr_sum += std::log10(lr);
    const long long batch = job.config.get_int("train.batch_size");
    EXPECT_GE(batch, 2);
    EXPECT_LE(batch, 6);
    batch_sizes.insert(batch);
    const double ratio = job.config.get_real("data.val_ratio");
    EXPECT_GE(ratio, 0.1);
    EXPECT_LT(ratio, 0.3);
    optimizers.insert(job.config.get_text("train.optimizer"));
  }
  // Both ends of int() are drawn, both choices, and loguniform spreads over the decades.
  EXPECT_EQ(batch_sizes, (std::set<long long>{2, 3, 4, 5, 6}));
  EXPECT_EQ(optimizers, (std::set<std::string>{"adam", "sgd"}));
  EXPECT_NEAR(log_lr_sum / plan.jobs.size(), -3.0, 0.35);

  // Same seed, same draws; another seed, other draws; more trials keep the first ones.
  const SweepPlan again = plan_of(kRandom);
  const SweepPlan other = plan_of(std::string(kRandom) + "");
  std::string reseeded = kRandom;
  reseeded.replace(reseeded.find("seed = 5"), 8, "seed = 6");
  const SweepPlan different = plan_of(reseeded);
  std::string more = kRandom;
  more.replace(more.find("trials = 40"), 11, "trials = 50");
  const SweepPlan extended = plan_of(more);
  ASSERT_EQ(extended.jobs.size(), 50u);
  for (size_t i = 0; i < plan.jobs.size(); ++i) {
    EXPECT_EQ(again.jobs[i].key, plan.jobs[i].key);
    EXPECT_EQ(other.jobs[i].key, plan.jobs[i].key);
    EXPECT_EQ(extended.jobs[i].key, plan.jobs[i].key);
    EXPECT_NE(different.jobs[i].key, plan.jobs[i].key);
  }
}

TEST(SweepExpansion, RandomDropsRepeatedDrawsOfAChoice) {
  const SweepPlan plan = plan_of("method = random\ntrials = 12\ntrain.optimizer = choice(adam, sgd)\n");
  EXPECT_EQ(plan.jobs.size(), 2u);
  EXPECT_EQ(plan.duplicates_dropped, 10);
}

TEST(SweepExpansion, ErrorsBeforeAnythingRuns) {
  auto expect_error = [](const std::string& section, const std::vector<std::string>& parts) {
    const std::string message = error_of(section);
    for (const auto& part : parts) EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
  };
  // Unknown keys, in the varied keys and in the controls, with a suggestion.
  expect_error("model.encodr = plain\n", {"s.ini:13: unknown key 'model.encodr'", "did you mean 'model.encoder'"});
  expect_error("trian.lr = 0.1\n", {"s.ini:13", "unknown section [trian]"});
  expect_error("methd = random\n", {"s.ini:13: unknown key 'sweep.methd'", "did you mean 'sweep.method'"});
  // Values that fail their option's validation, each naming the file and line.
  expect_error("train.lr = 0.01, fast\n", {"s.ini:13: 'fast' is not a valid value for train.lr"});
  expect_error("train.epochs = 1, 0\n", {"s.ini:13 train.epochs", "'0' is not allowed", "from 1 to 100000"});
  expect_error("model.encoder = plain, resnet999\n", {"s.ini:13 model.encoder", "unknown encoder 'resnet999'"});
  expect_error("augment.pipeline = [hflip, spin]\n", {"unknown augmentation 'spin'"});
  expect_error("method = random\ntrials = 3\ntrain.lr = uniform(0.001, 20)\n", {"s.ini:15 train.lr", "'20' is not allowed"});
  expect_error("method = random\ntrials = 3\ntrain.batch_size = int(0, 4)\n", {"'0' is not allowed for train.batch_size"});
  expect_error("method = random\ntrials = 3\ntrain.optimizer = choice(adam, lion)\n", {"unknown optimizer 'lion'"});
  expect_error("method = bayes\ntrain.lr = 0.1\n", {"sweep.method", "grid, random"});
  expect_error("jobs = 0\ntrain.lr = 0.1\n", {"sweep.jobs", "from 1 to 256"});
  expect_error("launcher = kubernetes\ntrain.lr = 0.1\n", {"unknown sweep launcher 'kubernetes'", "local, slurm"});
  // Empty grids and malformed values.
  expect_error("model.encoder =\n", {"s.ini:13 sweep.model.encoder", "empty list of values for model.encoder"});
  expect_error("augment.pipeline = [hflip, vflip\n", {"unclosed bracket"});
  expect_error("method = random\ntrials = 3\ntrain.lr = normal(0, 1)\n", {"unknown distribution 'normal'"});
  expect_error("method = random\ntrials = 3\ntrain.lr = uniform(0.1)\n", {"uniform() takes two bounds, got 1"});
  expect_error("method = random\ntrials = 3\ntrain.lr = uniform(0.1, 0.01)\n", {"is empty"});
  expect_error("method = random\ntrials = 3\ntrain.lr = loguniform(0, 0.1)\n", {"loguniform needs positive bounds"});
  expect_error("method = random\ntrials = 3\ntrain.epochs = int(1.5, 3)\n", {"int() needs whole-number bounds"});
  expect_error("method = random\ntrials = 3\ntrain.lr = choice()\n", {"choice() of nothing"});
  // Controls that do not fit together.
  expect_error("train.lr = uniform(0.001, 0.01)\n", {"is a distribution, but sweep.method = grid"});
  expect_error("method = random\ntrain.lr = uniform(0.001, 0.01)\n", {"needs sweep.trials"});
  expect_error("trials = 4\ntrain.lr = 0.1, 0.2\n", {"sweep.trials is for sweep.method = random"});
  expect_error("repeats = 2\nseeds = 1, 2\ntrain.lr = 0.1\n", {"sweep.repeats and sweep.seeds both given"});
  expect_error("repeats = 2\nexperiment.seed = 1, 2\n", {"experiment.seed is varied and repeated at once"});
  expect_error("method = grid\n", {"the [sweep] section varies nothing"});
  expect_error("train.epochs = 2, 2\n", {"two cells of the grid are the same configuration"});
  expect_error("train.lr = 0.1\ntrain.lr = 0.2\n", {"given twice"});
}

TEST(SweepExpansion, AFileWithoutSweepSectionIsRefusedAndTrainRefusesASweepFile) {
  try {
    load_sweep(kBase, "plain.ini");
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(e.describe().find("plain.ini: no [sweep] section"), std::string::npos) << e.describe();
  }
  test::TempDir dir;
  test::write_text_file(dir / "s.ini", kBase + "[sweep]\ntrain.lr = 0.1, 0.2\n");
  try {
    load_experiment(dir / "s.ini");
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(e.describe().find("s.ini:13: this is a sweep file"), std::string::npos) << e.describe();
    EXPECT_NE(e.describe().find("seglab sweep " + (dir / "s.ini")), std::string::npos) << e.describe();
  }
}

TEST(SweepExpansion, ShippedAugmentationAblationExpandsOverTheSkinData) {
  // Resolving the folder adapter's options needs no data; the data check is in
  // the dry run below.
  const std::string path = std::string(test::source_dir()) + "/experiments/augmentation_ablation.ini";
  const SweepPlan plan = load_sweep(test::read_text_file(path), path).plan;
  ASSERT_EQ(plan.jobs.size(), 9u);
  EXPECT_EQ(plan.varied_keys, (std::vector<std::string>{"augment.pipeline", "experiment.seed"}));
  EXPECT_EQ(plan.jobs[0].config.get_text("data.adapter"), "folder");
  EXPECT_EQ(plan.jobs[0].config.get_text("data.root"), "../shared/data/skin-lesions");
  EXPECT_EQ(plan.jobs[0].config.get_text("data.mask_suffix"), "_lesion");
  EXPECT_TRUE(plan.jobs[0].config.get_list("augment.pipeline").empty());
  EXPECT_EQ(plan.jobs[8].config.get_list("augment.pipeline").size(), 3u);
  EXPECT_EQ(plan.jobs[8].config.get_int("experiment.seed"), 3);
}

TEST(SweepExpansion, ShippedEncoderAblationIsSixEncodersTimesThreeSeeds) {
  const std::string path = std::string(test::source_dir()) + "/experiments/encoder_ablation.ini";
  const SweepPlan plan = load_sweep(test::read_text_file(path), path).plan;
  ASSERT_EQ(plan.jobs.size(), 18u);
  EXPECT_EQ(plan.varied_keys, (std::vector<std::string>{"model.encoder", "experiment.seed"}));
  EXPECT_EQ(plan.jobs[0].config.get_text("model.encoder"), "vgg16_bn");
  EXPECT_EQ(plan.jobs[17].config.get_text("model.encoder"), "efficientnet_b0");
  EXPECT_EQ(plan.jobs[17].config.get_int("experiment.seed"), 3);
  EXPECT_EQ(plan.jobs[0].config.get_int("data.image_size"), 224);

  // The dry run from the checkout checks the PH2 folder too and lists all 18.
  test::TempDir dir;
  const auto dry = test::run_command("cd " + std::string(test::source_dir()) + " && " + test::seglab_binary() +
                                     " sweep experiments/encoder_ablation.ini --dry-run --store " + (dir / "store"));
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("18 runs: 0 finished, 0 running, 0 failed, 0 interrupted, 18 not started; 18 would run"),
            std::string::npos)
      << dry.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "store/catalog.db")) << "a dry run writes nothing";
}

// The shipped cross-validation example: three encoders x three folds over the
// non-test PH2 images on oneDNN, with a stratified test part.
TEST(SweepExpansion, ShippedEncoderCrossValidationIsThreeEncodersTimesThreeFolds) {
  const std::string path = std::string(test::source_dir()) + "/experiments/encoder_cv_ph2.ini";
  const SweepPlan plan = load_sweep(test::read_text_file(path), path).plan;
  ASSERT_EQ(plan.jobs.size(), 9u);
  EXPECT_EQ(plan.varied_keys, (std::vector<std::string>{"model.encoder", "data.fold"}));
  for (const auto& job : plan.jobs) {
    EXPECT_EQ(job.config.get_text("backend.name"), "onednn");
    EXPECT_EQ(job.config.get_text("data.stratify"), "clinical_diagnosis");
    EXPECT_DOUBLE_EQ(job.config.get_real("data.test_ratio"), 0.2);
    EXPECT_EQ(job.config.get_int("data.folds"), 3);
  }
  EXPECT_EQ(plan.jobs[0].config.get_text("model.encoder"), "plain");
  EXPECT_EQ(plan.jobs[8].config.get_text("model.encoder"), "resnet34");

  test::TempDir dir;
  const auto dry = test::run_command("cd " + std::string(test::source_dir()) + " && " + test::seglab_binary() +
                                     " sweep experiments/encoder_cv_ph2.ini --dry-run --store " + (dir / "store"));
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("9 runs: 0 finished, 0 running, 0 failed, 0 interrupted, 9 not started; 9 would run"),
            std::string::npos)
      << dry.output;
}

}  // namespace
}  // namespace seglab
