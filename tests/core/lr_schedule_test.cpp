#include "core/lr_schedule.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/config_schema.h"

namespace seglab {
namespace {

Config train_config(const std::string& text) {
  register_lr_schedules();
  OptionList train;
  train.add_real("lr", 0.1, "");
  train.add_real("warmup_epochs", 0, "");
  ConfigSchema schema;
  schema.add_section("train", "", train);
  schema.add_selector("train.schedule", lr_schedule_registry(), "constant", "");
  return schema.resolve(parse_ini_text(text, "x.ini"));
}

TEST(LrSchedule, Constant) {
  const auto lr = make_lr_schedule(train_config("[train]\nschedule = constant\n"), 10, 100);
  EXPECT_DOUBLE_EQ(lr(0), 0.1);
  EXPECT_DOUBLE_EQ(lr(99), 0.1);
}

TEST(LrSchedule, StepDropsEveryStepEpochs) {
  const auto lr = make_lr_schedule(train_config("[train]\nschedule = step\nstep_epochs = 2\ngamma = 0.5\n"), 10, 100);
  EXPECT_DOUBLE_EQ(lr(0), 0.1);
  EXPECT_DOUBLE_EQ(lr(19), 0.1);    // epoch 1
  EXPECT_DOUBLE_EQ(lr(20), 0.05);   // epoch 2
  EXPECT_DOUBLE_EQ(lr(45), 0.025);  // epoch 4
}

TEST(LrSchedule, CosineFromBaseToMin) {
  const auto lr = make_lr_schedule(train_config("[train]\nschedule = cosine\nmin_lr = 0.001\n"), 10, 100);
  EXPECT_DOUBLE_EQ(lr(0), 0.1);
  EXPECT_NEAR(lr(50), 0.001 + 0.5 * 0.099, 1e-12);
  EXPECT_NEAR(lr(100), 0.001, 1e-12);
}

TEST(LrSchedule, LinearWarmupThenSchedule) {
  const auto lr = make_lr_schedule(train_config("[train]\nschedule = cosine\nwarmup_epochs = 1\n"), 10, 110);
  EXPECT_NEAR(lr(0), 0.1 * 1 / 10, 1e-12);
  EXPECT_NEAR(lr(4), 0.1 * 5 / 10, 1e-12);
  EXPECT_NEAR(lr(10), 0.1, 1e-12);  // cosine starts after warm-up
  EXPECT_NEAR(lr(60), 0.05, 1e-12);
}

}  // namespace
}  // namespace seglab
