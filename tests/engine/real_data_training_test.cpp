// The trainer end to end on the real PH2 images of ../shared/data.
#include <gtest/gtest.h>

#include <sstream>

#include "engine/experiment.h"
#include "engine/trainer.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

TEST(RealDataTraining, Ph2TrainingLowersTheLossAndIsRecorded) {
  const std::string root = test::shared_data("skin-lesions");
  const Config config = config_from_text(
      "[experiment]\nname = ph2-short\n[data]\nadapter = folder\nroot = " + root +
          "\nmask_suffix = _lesion\nimage_size = 64\nval_ratio = 0.2\n"
          "[model]\nbase_channels = 8\ndepth = 3\n[backend]\ndevice = cpu\n"
          "[train]\nepochs = 3\nbatch_size = 8\nlr = 3e-3\nschedule = constant\n",
      "test");
  test::TempDir dir;
  RunStore store(dir / "store");
  std::ostringstream out;
  TrainOptions options;
  options.out = &out;
  const TrainResult result = train(config, store, options);
  EXPECT_EQ(result.status, RunStatus::finished);
  EXPECT_NE(out.str().find("90 image/mask pairs"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("72 train, 18 val"), std::string::npos);
  const auto losses = store.catalog().metrics(result.run_id, "train.epoch_loss");
  ASSERT_EQ(losses.size(), 3u);
  EXPECT_LT(losses[2].value, losses[0].value);
  EXPECT_GT(result.final_metrics.at("val.dice"), 0.3);  // far above an empty mask after 3 short epochs
  EXPECT_EQ(store.catalog().record(result.run_id).at("data.samples"), "90");
}

}  // namespace
}  // namespace seglab
