// train -> eval -> predict -> runs list through the seglab binary on a tiny
// experiment, checking what each step leaves in the store.
#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>

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
  EXPECT_EQ(csv.rfind("id,accuracy,assd,dice,hd95,", 0), 0u) << csv;
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

TEST(Cli, ListShowsRegistriesWithTheirOptions) {
  const auto models = test::run_seglab("list models");
  EXPECT_EQ(models.exit_code, 0);
  EXPECT_NE(models.output.find("unet"), std::string::npos);
  EXPECT_NE(models.output.find("model.upsampling (string, default transposed) one of: transposed, bilinear"),
            std::string::npos)
      << models.output;
  for (const char* what : {"encoders", "datasets", "augmentations", "backends", "losses", "optimizers", "schedules", "config"})
    EXPECT_EQ(test::run_seglab(std::string("list ") + what).exit_code, 0) << what;
  const auto typo = test::run_seglab("list encoder");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.output.find("did you mean 'encoders'"), std::string::npos) << typo.output;
}

}  // namespace
}  // namespace seglab
