// data.adapter = labelme: masks drawn on load, binary or multi-class by
// data.classes and model.num_classes.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <set>

#include "core/error.h"
#include "datasets/dataset_adapter.h"
#include "datasets/labelme_annotation.h"
#include "datasets/labelme_rasterize.h"
#include "tests/datasets/data_config.h"
#include "tests/datasets/labelme_test_support.h"

namespace seglab {
namespace {

std::unique_ptr<DatasetAdapter> labelme_adapter(const std::string& root, const std::string& classes, int num_classes) {
  return make_adapter(test::data_config("[data]\nadapter = labelme\nroot = " + root + "\nclasses = " + classes +
                                           "\n[model]\nnum_classes = " + std::to_string(num_classes) + "\n"));
}

std::set<int> values_of(const cv::Mat& mask) {
  std::set<int> values;
  for (auto it = mask.begin<uchar>(); it != mask.end<uchar>(); ++it) values.insert(*it);
  return values;
}

TEST(LabelMeAdapter, BinaryLesionsWithHolesMatchTheConverter) {
  const std::string root = test::shared_data("labelme/skin");
  const auto adapter = labelme_adapter(root, "lesion", 2);
  ASSERT_EQ(adapter->size(), 8u);
  EXPECT_EQ(adapter->id(0), "IMD004");
  EXPECT_EQ(adapter->describe(), "8 LabelMe files in " + root + ", foreground lesion");
  const LoadedSample sample = adapter->load(0);  // IMD004: image embedded, a hole
  EXPECT_EQ(sample.image.size(), cv::Size(765, 574));
  EXPECT_EQ(sample.image.type(), CV_8UC3);
  EXPECT_EQ(values_of(sample.mask), (std::set<int>{0, 1}));
  const auto annotation = read_labelme_file(root + "/IMD004.json");
  cv::Mat hole = cv::Mat::zeros(sample.mask.size(), CV_8U);
  draw_labelme_shape(hole, annotation.shapes[1], 1);
  ASSERT_EQ(annotation.shapes[1].label, "_background_");
  EXPECT_EQ(cv::countNonZero(sample.mask & hole), 0);
  // Same classes as `seglab labelme2seg` would write (lesion = 1).
  const cv::Mat converted = draw_labelme_mask(annotation, [](const std::string& l) { return l == "lesion" ? 1 : 0; });
  EXPECT_EQ(cv::countNonZero(converted != sample.mask), 0);
  EXPECT_EQ(adapter->fingerprint().size(), 64u);
  EXPECT_EQ(adapter->fingerprint(), labelme_adapter(root, "lesion", 2)->fingerprint());  // repeatable
}

TEST(LabelMeAdapter, MultiClassKeepsListedOrderAndIgnore) {
  const std::string root = test::shared_data("labelme/semantic_segmentation");
  const auto adapter = labelme_adapter(root, "sofa, person", 3);
  ASSERT_EQ(adapter->size(), 3u);
  const LoadedSample sample = adapter->load(1);  // 2011_000006: person, chair, sofa, __ignore__
  ASSERT_EQ(sample.id, "2011_000006");
  const auto annotation = read_labelme_file(root + "/2011_000006.json");
  const cv::Mat expected = draw_labelme_mask(annotation, [](const std::string& l) -> uchar {
    return l == "sofa" ? 1 : l == "person" ? 2 : l == "__ignore__" ? 255 : 0;
  });
  EXPECT_EQ(cv::countNonZero(expected != sample.mask), 0);
  EXPECT_EQ(values_of(sample.mask), (std::set<int>{0, 1, 2, 255}));  // chair is background
  // The class order is part of the data: it changes the fingerprint.
  EXPECT_NE(adapter->fingerprint(), labelme_adapter(root, "person, sofa", 3)->fingerprint());

  // A binary view of the same files: both labels are one foreground.
  EXPECT_EQ(values_of(labelme_adapter(root, "sofa, person", 2)->load(1).mask), (std::set<int>{0, 1, 255}));
  // No classes given: every label, in order of first appearance.
  EXPECT_NE(labelme_adapter(root, "", 7)->describe().find("classes person, bottle, chair, sofa, bus, car"),
            std::string::npos);
}

TEST(LabelMeAdapter, ClassListErrorsNameTheKey) {
  const std::string root = test::shared_data("labelme/semantic_segmentation");
  auto message = [&](const std::string& classes, int num_classes) {
    try {
      labelme_adapter(root, classes, num_classes);
    } catch (const ConfigError& e) {
      return e.describe();
    }
    return std::string("no error");
  };
  EXPECT_NE(message("person, chair", 4).find("model.num_classes: model.num_classes = 4 does not fit the 2 labels"),
            std::string::npos)
      << message("person, chair", 4);
  EXPECT_NE(message("persn", 2).find("'persn', which no file in"), std::string::npos) << message("persn", 2);
  EXPECT_NE(message("persn", 2).find("labels found: person, bottle, chair, sofa, bus, car"), std::string::npos);
  EXPECT_NE(message("__ignore__", 2).find("LabelMe reserves"), std::string::npos);
}

}  // namespace
}  // namespace seglab
