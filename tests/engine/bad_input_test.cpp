// Bad input through the CLI: a short error naming the input, a non-zero exit,
// and no run left behind as "running".
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "tests/datasets/dataset_test_support.h"
#include "tests/support/test_support.h"
#include "tracking/run_store.h"

namespace seglab {
namespace {

struct Outcome {
  int exit_code;
  std::string output;
  size_t lines;
};

class BadInput : public ::testing::Test {
 protected:
  Outcome train(const std::string& ini_text, const std::string& extra = {}) {
    test::write_text_file(dir_ / "exp.ini", ini_text);
    const auto r = test::run_seglab("train " + (dir_ / "exp.ini") + " --store " + (dir_ / "store") + extra);
    return {r.exit_code, r.output, static_cast<size_t>(std::count(r.output.begin(), r.output.end(), '\n'))};
  }
  std::vector<RunInfo> runs() { return RunStore(dir_ / "store").catalog().list_runs(); }
  test::TempDir dir_;
};

TEST_F(BadInput, MissingImageFolder) {
  const Outcome o = train("[data]\nadapter = folder\nroot = " + (dir_ / "nowhere") + "\n");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_LE(o.lines, 2u) << o.output;
  EXPECT_EQ(o.output.rfind("error: " + (dir_ / "nowhere") + ": dataset folder not found", 0), 0u) << o.output;
  EXPECT_TRUE(runs().empty());
}

TEST_F(BadInput, MaskWithNoImage) {
  test::write_pair(dir_ / "data/images/a.png", dir_ / "data/masks/a.png");
  test::write_pair(dir_ / "data/other/b.png", dir_ / "data/masks/b.png");
  const Outcome o = train("[data]\nadapter = folder\nroot = " + (dir_ / "data") + "\n");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_LE(o.lines, 2u) << o.output;
  EXPECT_NE(o.output.find("masks/b.png: mask has no image"), std::string::npos) << o.output;
  EXPECT_TRUE(runs().empty());
}

TEST_F(BadInput, UnknownModelName) {
  const Outcome o = train("[model]\nname = unte\n");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_LE(o.lines, 2u) << o.output;
  EXPECT_NE(o.output.find("exp.ini:2 model.name: unknown model 'unte'"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("did you mean 'unet'?"), std::string::npos);
  EXPECT_TRUE(runs().empty());
}

TEST_F(BadInput, BadNumberInTheIni) {
  const Outcome o = train("[train]\nepochs = 1O\n");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_LE(o.lines, 2u) << o.output;
  EXPECT_NE(o.output.find("exp.ini:2: '1O' is not a valid value for train.epochs"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("train.epochs must be an integer from 1 to 100000"), std::string::npos);
  const Outcome range = train("[train]\nlr = -1\n");
  EXPECT_NE(range.output.find("train.lr must be a number from"), std::string::npos) << range.output;
  EXPECT_TRUE(runs().empty());
}

TEST_F(BadInput, BadOverrideImageSizeAndUsage) {
  Outcome o = train("[model]\ndepth = 3\n", " --set data.image_size=100");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.output.find("not a multiple of 8"), std::string::npos) << o.output;
  o = train("", " --set trainepochs=3");
  EXPECT_NE(o.output.find("malformed override"), std::string::npos) << o.output;
  const auto missing = test::run_seglab("train " + (dir_ / "none.ini"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("none.ini: cannot open config file"), std::string::npos) << missing.output;
  const auto unknown = test::run_seglab("trian x.ini");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("did you mean 'train'?"), std::string::npos) << unknown.output;
  EXPECT_EQ(test::run_seglab("eval").exit_code, 2);
  const auto no_run = test::run_seglab("eval deadbeef --store " + (dir_ / "store"));
  EXPECT_EQ(no_run.exit_code, 1);
  EXPECT_NE(no_run.output.find("no run with id 'deadbeef'"), std::string::npos) << no_run.output;
}

TEST_F(BadInput, ABadFileStopsTheRunBeforeItIsRecordedOrIsSkippedAndListed) {
  for (const char* id : {"a", "b", "c", "d", "e"})
    test::write_pair(dir_ / (std::string("data/images/") + id + ".png"), dir_ / (std::string("data/masks/") + id + ".png"));
  std::ofstream(dir_ / "data/images/c.png", std::ios::trunc) << "garbage";
  const std::string ini = "[data]\nadapter = folder\nroot = " + (dir_ / "data") +
                          "\nimage_size = 32\nval_ratio = 0.25\n[model]\nbase_channels = 4\ndepth = 2\n"
                          "[train]\nbatch_size = 3\nepochs = 1\n";
  Outcome o = train(ini);
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_LE(o.lines, 2u) << o.output;
  EXPECT_EQ(o.output.rfind("error: " + (dir_ / "data/images/c.png") + ": cannot decode image", 0), 0u) << o.output;
  EXPECT_TRUE(runs().empty());

  o = train(ini, " --set data.on_bad_sample=skip");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("skipped 1 bad sample"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("  " + (dir_ / "data/images/c.png") + ": cannot decode image"), std::string::npos) << o.output;
  const auto all = runs();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].status, RunStatus::finished);
  const auto record = RunStore(dir_ / "store").catalog().record(all[0].id);
  EXPECT_EQ(record.at("data.skipped"), "1");
  EXPECT_EQ(record.at("data.skipped.1").rfind("c: " + (dir_ / "data/images/c.png") + ": cannot decode image", 0), 0u)
      << record.at("data.skipped.1");
  EXPECT_EQ(std::stoi(record.at("data.train_samples")) + std::stoi(record.at("data.val_samples")), 4);
}

}  // namespace
}  // namespace seglab
