// `seglab labelme2seg` through the binary, and short training runs straight
// from LabelMe folders through the labelme adapter (binary and multi-class).
#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <regex>
#include <sstream>

#include "engine/evaluator.h"
#include "engine/experiment.h"
#include "engine/trainer.h"
#include "tests/datasets/labelme_test_support.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

TEST(LabelMe2SegCli, ConvertsAFolderWithOverlays) {
  test::TempDir dir;
  const std::string folder = test::copy_labelme_folder("skin", dir / "skin");
  const auto result = test::run_seglab("labelme2seg " + folder + " --viz");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("IMD004.json: 765x574, 2 shapes (image from imageData) -> " + folder +
                               "/annotations/IMD004.png, " + folder + "/annotations_viz/IMD004.png"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("wrote 8 masks to " + folder + "/annotations/ and 2 classes to " + folder +
                               "/class_names.txt: _background_, lesion"),
            std::string::npos)
      << result.output;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() != ".json") continue;
    const std::string stem = entry.path().stem().string();
    const cv::Mat mask = cv::imread(folder + "/annotations/" + stem + ".png", cv::IMREAD_UNCHANGED);
    ASSERT_EQ(mask.type(), CV_8UC1) << stem;
    EXPECT_GT(cv::countNonZero(mask == 1), 0) << stem;
    EXPECT_EQ(cv::countNonZero(mask > 1), 0) << stem;
    const cv::Mat viz = cv::imread(folder + "/annotations_viz/" + stem + ".png", cv::IMREAD_COLOR);
    EXPECT_EQ(viz.size(), mask.size()) << stem;
  }
}

TEST(LabelMe2SegCli, BadFileStopsOrIsSkippedWithSkipBad) {
  test::TempDir dir;
  const std::string folder = test::copy_labelme_folder("bbox_detection", dir / "boxes");
  test::write_text_file(folder + "/broken.json", "{\"shapes\": [");
  const auto stopped = test::run_seglab("labelme2seg " + folder);
  EXPECT_EQ(stopped.exit_code, 1) << stopped.output;
  EXPECT_NE(stopped.output.find("error: " + folder + "/broken.json: JSON does not parse"), std::string::npos)
      << stopped.output;
  EXPECT_FALSE(fs::exists(folder + "/annotations"));

  const auto skipped = test::run_seglab("labelme2seg " + folder + " --skip-bad --labels " + folder + "/labels.txt");
  ASSERT_EQ(skipped.exit_code, 0) << skipped.output;
  EXPECT_NE(skipped.output.find("wrote 3 masks"), std::string::npos) << skipped.output;
  EXPECT_NE(skipped.output.find("skipped 1 bad file:\n  " + folder + "/broken.json: JSON does not parse"),
            std::string::npos)
      << skipped.output;
  const auto usage = test::run_seglab("labelme2seg");
  EXPECT_EQ(usage.exit_code, 2) << usage.output;
}

std::string labelme_experiment(const std::string& root, const std::string& data_keys, const std::string& train_keys,
                               const std::string& model_keys = "") {
  return "[experiment]\nname = labelme-short\n[data]\nadapter = labelme\nroot = " + root + "\n" + data_keys +
         "image_size = 32\n[augment]\npipeline = hflip\n[model]\nbase_channels = 4\ndepth = 2\n" + model_keys +
         "[backend]\ndevice = cpu\n[train]\nepochs = 2\nbatch_size = 2\nlr = 0.01\nschedule = constant\n" + train_keys;
}

TEST(LabelMeTraining, BinaryRunFromTheSkinFolder) {
  test::TempDir dir;
  test::write_text_file(dir / "skin.ini",
                        labelme_experiment(test::shared_data("labelme/skin"), "classes = lesion\nval_ratio = 0.25\n", ""));
  const std::string store = " --store " + (dir / "store");
  const auto train = test::run_seglab("train " + (dir / "skin.ini") + store);
  ASSERT_EQ(train.exit_code, 0) << train.output;
  EXPECT_NE(train.output.find("8 LabelMe files in " + test::shared_data("labelme/skin") + ", foreground lesion: 6 train, 2 val"),
            std::string::npos)
      << train.output;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(train.output, match, std::regex("finished run ([0-9a-f]{8})"))) << train.output;
  const auto eval = test::run_seglab("eval " + match[1].str() + store);
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  EXPECT_NE(eval.output.find("val split: 2 images"), std::string::npos) << eval.output;
}

TEST(LabelMeTraining, MultiClassRunReportsPerClassIouAndMiou) {
  const Config config = config_from_text(
      labelme_experiment(test::shared_data("labelme/semantic_segmentation"), "classes = person, chair, sofa\nval_ratio = 0.34\n",
                         "loss = cross_entropy\nmonitor = val.miou\n", "num_classes = 4\n"),
      "test");
  test::TempDir dir;
  RunStore store(dir / "store");
  std::ostringstream out;
  TrainOptions options;
  options.out = &out;
  const TrainResult result = train(config, store, options);
  ASSERT_EQ(result.status, RunStatus::finished) << out.str();
  EXPECT_NE(out.str().find("3 LabelMe files in"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("classes person, chair, sofa: 2 train, 1 val"), std::string::npos) << out.str();
  for (const char* key : {"val.miou", "val.iou_class0", "val.iou_class1", "val.iou_class2", "val.iou_class3"}) {
    ASSERT_TRUE(result.final_metrics.count(key)) << key;
    EXPECT_GE(result.final_metrics.at(key), 0.0);
    EXPECT_LE(result.final_metrics.at(key), 1.0);
  }
  const double per_class_mean = (result.final_metrics.at("val.iou_class0") + result.final_metrics.at("val.iou_class1") +
                                 result.final_metrics.at("val.iou_class2") + result.final_metrics.at("val.iou_class3")) /
                                4;
  EXPECT_NEAR(result.final_metrics.at("val.miou"), per_class_mean, 1e-9);  // one image: mean over images = per image

  // Eval scores the held-out image; ignored pixels are in no class's count.
  std::ostringstream eval_out;
  EvalOptions at_model_size;  // masks at data.image_size, 32x32
  at_model_size.resolution = "model";
  const EvalResult eval = evaluate_run(store, result.run_id, at_model_size, eval_out);
  ASSERT_EQ(eval.images, 1u);
  EXPECT_NE(eval_out.str().find("iou_class3"), std::string::npos) << eval_out.str();
  const cv::Mat predicted = cv::imread(eval.output_dir + "/masks/" + eval.ids[0] + ".png", cv::IMREAD_UNCHANGED);
  ASSERT_EQ(predicted.size(), cv::Size(32, 32));
  EXPECT_EQ(cv::countNonZero(predicted > 3), 0);
  EXPECT_NE(eval_out.str().find("iou_class<k>: 0 _background_, 1 person, 2 chair, 3 sofa"), std::string::npos)
      << eval_out.str();
  EXPECT_NE(out.str().find("miou "), std::string::npos) << out.str();

  // All three images, two with __ignore__ regions: 255 never reaches a class count.
  EvalOptions all;
  all.data = "all";
  std::ostringstream all_out;
  const EvalResult everything = evaluate_run(store, result.run_id, all, all_out);
  EXPECT_EQ(everything.images, 3u);
}

}  // namespace
}  // namespace seglab
