// Metrics against values worked out by hand on small masks.
#include <gtest/gtest.h>

#include <vector>

#include "core/confusion_matrix.h"
#include "core/error.h"
#include "core/segmentation_metrics.h"

namespace seglab {
namespace {

Scores score(const std::vector<uint8_t>& predicted, const std::vector<uint8_t>& target, int classes = 2) {
  ConfusionMatrix m(classes);
  m.add(predicted.data(), target.data(), predicted.size());
  return image_scores(m);
}

// 4x4 masks: the lesion is the 2x2 block at the top left (4 pixels); the
// prediction covers 3 of them plus 2 background pixels.
const std::vector<uint8_t> kTarget = {1, 1, 0, 0,  //
                                      1, 1, 0, 0,  //
                                      0, 0, 0, 0,  //
                                      0, 0, 0, 0};
const std::vector<uint8_t> kPredicted = {1, 1, 1, 0,  //
                                         1, 0, 0, 0,  //
                                         0, 0, 0, 0,  //
                                         0, 0, 0, 1};

TEST(Metrics, BinaryScoresByHand) {
  // TP 3, FP 2, FN 1, TN 10.
  const Scores s = score(kPredicted, kTarget);
  EXPECT_DOUBLE_EQ(s.at("iou"), 3.0 / 6.0);
  EXPECT_DOUBLE_EQ(s.at("dice"), 6.0 / 9.0);
  EXPECT_DOUBLE_EQ(s.at("precision"), 3.0 / 5.0);
  EXPECT_DOUBLE_EQ(s.at("recall"), 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(s.at("specificity"), 10.0 / 12.0);
  EXPECT_DOUBLE_EQ(s.at("accuracy"), 13.0 / 16.0);
  // Background class: TP 10, FP 1 (missed lesion), FN 2 (false lesion) -> 10/13.
  EXPECT_DOUBLE_EQ(s.at("miou"), (0.5 + 10.0 / 13.0) / 2.0);
  // ISIC: IoU 0.5 < 0.65 counts as 0.
  EXPECT_DOUBLE_EQ(s.at("isic_jaccard"), 0.0);
}

TEST(Metrics, ThresholdedJaccardKeepsIouFromPointSixFive) {
  EXPECT_DOUBLE_EQ(thresholded_jaccard(0.649), 0.0);
  EXPECT_DOUBLE_EQ(thresholded_jaccard(0.65), 0.65);
  EXPECT_DOUBLE_EQ(thresholded_jaccard(0.9), 0.9);
}

TEST(Metrics, EmptyPredictionOfALesion) {
  const std::vector<uint8_t> empty(16, 0);
  const Scores s = score(empty, kTarget);
  EXPECT_DOUBLE_EQ(s.at("dice"), 0.0);
  EXPECT_DOUBLE_EQ(s.at("iou"), 0.0);
  EXPECT_DOUBLE_EQ(s.at("precision"), 1.0);  // ISIC: 0/0 is 1, nothing was claimed
  EXPECT_DOUBLE_EQ(s.at("recall"), 0.0);
  EXPECT_DOUBLE_EQ(s.at("specificity"), 1.0);
  EXPECT_DOUBLE_EQ(s.at("accuracy"), 12.0 / 16.0);
}

TEST(Metrics, EmptyGroundTruthAndEmptyPredictionIsPerfect) {
  const std::vector<uint8_t> empty(16, 0);
  const Scores s = score(empty, empty);
  for (const char* name : {"dice", "iou", "isic_jaccard", "precision", "recall", "specificity", "accuracy", "miou"})
    EXPECT_DOUBLE_EQ(s.at(name), 1.0) << name;
}

TEST(Metrics, EmptyGroundTruthWithAFalseLesion) {
  const std::vector<uint8_t> empty(16, 0);
  std::vector<uint8_t> predicted(16, 0);
  predicted[5] = predicted[6] = 1;
  const Scores s = score(predicted, empty);
  EXPECT_DOUBLE_EQ(s.at("dice"), 0.0);
  EXPECT_DOUBLE_EQ(s.at("iou"), 0.0);
  EXPECT_DOUBLE_EQ(s.at("precision"), 0.0);
  EXPECT_DOUBLE_EQ(s.at("recall"), 1.0);  // ISIC: 0/0 is 1, there was nothing to find
  EXPECT_DOUBLE_EQ(s.at("specificity"), 14.0 / 16.0);
}

TEST(Metrics, MultiClassPerClassIouAndIgnoredPixels) {
  // Classes 0, 1, 2; the last pixel is ignored (255) whatever is predicted.
  const std::vector<uint8_t> target = {0, 0, 1, 1, 2, 2, 2, 255};
  const std::vector<uint8_t> predicted = {0, 1, 1, 1, 2, 2, 0, 1};
  ConfusionMatrix m(3);
  m.add(predicted.data(), target.data(), target.size());
  EXPECT_EQ(m.total(), 7);
  EXPECT_EQ(m.at(0, 1), 1);
  EXPECT_EQ(m.at(2, 0), 1);
  const Scores s = image_scores(m);
  // class 0: TP 1, FP 1 (2->0), FN 1 (0->1) -> 1/3; class 1: TP 2, FP 1 -> 2/3; class 2: TP 2, FN 1 -> 2/3.
  EXPECT_DOUBLE_EQ(s.at("iou_class0"), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.at("iou_class1"), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.at("iou_class2"), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.at("miou"), (1.0 / 3 + 2.0 / 3 + 2.0 / 3) / 3);
  EXPECT_DOUBLE_EQ(s.at("iou"), 2.0 / 3.0);  // mean over the foreground classes
  EXPECT_DOUBLE_EQ(s.at("accuracy"), 5.0 / 7.0);
}

TEST(Metrics, ClassIndexOutsideRangeIsAnError) {
  const std::vector<uint8_t> target = {0, 3};
  ConfusionMatrix m(2);
  EXPECT_THROW(m.add(target.data(), target.data(), 2), Error);
}

TEST(Metrics, AggregateGivesMeanAndPopulationStd) {
  const auto a = aggregate({{{"dice", 0.5}}, {{"dice", 1.0}}, {{"dice", 0.0}}});
  EXPECT_DOUBLE_EQ(a.at("dice").mean, 0.5);
  EXPECT_NEAR(a.at("dice").std, 0.408248290463863, 1e-12);
}

// Reports mark the best variant by this: distances and losses down, the rest
// (overlaps, NSD, Boundary IoU) up, whatever prefix or suffix the name carries.
TEST(Metrics, DistancesAndLossesAreLowerBetterEverythingElseHigher) {
  for (const char* lower : {"hd95", "assd_mm", "eval.val.hd95_class2", "val.assd", "val.loss", "epoch_loss"})
    EXPECT_TRUE(lower_is_better(lower)) << lower;
  for (const char* higher : {"dice", "nsd", "nsd_mm", "eval.val.nsd", "nsd_class1", "boundary_iou",
                             "eval.test.boundary_iou_class2", "val.dice", "isic_jaccard", "miou"})
    EXPECT_FALSE(lower_is_better(higher)) << higher;
}

}  // namespace
}  // namespace seglab
