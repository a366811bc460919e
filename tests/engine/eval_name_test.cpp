// The results-folder name of `seglab eval` (engine/evaluator.h): every option
// that changes the scores is in it, so evals with distinct settings keep
// distinct folders and per-image scores.
#include <gtest/gtest.h>

#include "engine/evaluator.h"

namespace seglab {
namespace {

TEST(EvalName, DefaultsAreLeftOutAndEveryOtherSettingIsNamed) {
  EvalOptions o;
  EXPECT_EQ(eval_name(o, "val"), "val-best");
  o.threshold = "val";
  o.tta = "d4";
  o.postprocess.keep_largest = true;
  EXPECT_EQ(eval_name(o, "test"), "test-best-tval-tta_d4-largest");
}

TEST(EvalName, ScoringSettingsGetTheirOwnFolder) {
  EvalOptions o;
  o.nsd_tolerance = 2.0;
  EXPECT_EQ(eval_name(o, "val"), "val-best-nsd2");
  o = EvalOptions{};
  o.boundary_iou_dilation = 0.05;
  EXPECT_EQ(eval_name(o, "val"), "val-best-biou0.05");
  o = EvalOptions{};
  o.pixel_spacing_mm = 0.02;
  EXPECT_EQ(eval_name(o, "ph2"), "ph2-best-px0.02mm");
  o.nsd_tolerance = 1.5;
  o.boundary_iou_dilation = 0.01;
  o.threshold = "val";
  EXPECT_EQ(eval_name(o, "val"), "val-best-tval-nsd1.5-biou0.01-px0.02mm");
  o = EvalOptions{};
  o.boundary_iou_dilation = kBoundaryIouDilationRatio;  // the default, as the CLI passes it
  EXPECT_EQ(eval_name(o, "val"), "val-best");
}

}  // namespace
}  // namespace seglab
