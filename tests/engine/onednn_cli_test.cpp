// The seglab command line end to end on the oneDNN backend, on real PH2
// images (eight of ../shared/data/skin-lesions, read at 32x32): a training
// run killed with SIGKILL and resumed ends exactly where an uninterrupted one
// does; eval, predict and serve's /api/predict give the same masks; and the
// oneDNN-trained checkpoint scores the same under LibTorch (eval --backend).
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "core/text.h"
#include "datasets/base64.h"
#include "datasets/image_io.h"
#include "reports/text_table.h"
#include "tests/support/serve_process.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_experiment.h"
#include "tracking/run_file.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace seglab {
namespace {

const std::vector<std::string> kImages = {"IMD004", "IMD006", "IMD009", "IMD010",
                                          "IMD013", "IMD017", "IMD018", "IMD021"};

// 6 training images in batches of 3: 2 steps per epoch, 12 in all; 2 for
// validation. One thread, so the oneDNN run is repeatable bit for bit.
std::string experiment(const std::string& root, const std::string& backend) {
  return "[experiment]\nname = ph2-" + backend + "\nseed = 5\n[data]\nadapter = folder\nroot = " + root +
         "\nmask_suffix = _lesion\nimage_size = 32\nval_ratio = 0.25\n"
         "[model]\nbase_channels = 8\ndepth = 2\n[backend]\nname = " + backend + "\ndevice = cpu\nthreads = 1\n"
         "[train]\nepochs = 6\nbatch_size = 3\nlr = 0.02\nschedule = constant\n";
}

struct Outcome {
  std::map<std::pair<std::string, int64_t>, double> points;  // (key, step) -> value
  NamedTensors weights;
};

Outcome outcome_of(const std::string& store, const std::string& id) {
  RunStore runs(store);
  Outcome o;
  for (const auto& p : runs.catalog().metrics(id))
    if (!ends_with(p.key, "images_per_second")) o.points[{p.key, p.step}] = p.value;  // wall-clock, never repeatable
  o.weights = read_checkpoint(runs.run_file(id), "last").weights;
  return o;
}

void expect_bitwise_same(const Outcome& got, const Outcome& want) {
  ASSERT_EQ(got.points.size(), want.points.size());
  for (const auto& [key, value] : want.points) {
    ASSERT_EQ(got.points.count(key), 1u) << "missing " << key.first << " at step " << key.second;
    EXPECT_EQ(std::memcmp(&got.points.at(key), &value, sizeof value), 0)
        << key.first << " at step " << key.second << " is " << got.points.at(key) << ", want " << value;
  }
  ASSERT_EQ(got.weights.size(), want.weights.size());
  for (const auto& [name, tensor] : want.weights) {
    const Tensor& other = got.weights.at(name);
    ASSERT_EQ(other.numel(), tensor.numel()) << name;
    EXPECT_EQ(std::memcmp(other.data(), tensor.data(), sizeof(float) * static_cast<size_t>(tensor.numel())), 0)
        << "weights of " << name << " differ";
  }
}

// Fraction of the mask's pixels that are lesion (mask values 0/1).
double lesion_fraction(const cv::Mat& mask) { return cv::countNonZero(mask) / static_cast<double>(mask.total()); }

// The mask of /api/predict's answer (a base64 PNG, 0/255), as 0/1.
cv::Mat served_mask(const json& answer, const std::string& scratch_png) {
  const auto bytes = decode_base64(answer.at("mask_png").get<std::string>());
  if (!bytes) return {};
  test::write_text_file(scratch_png, std::string(bytes->begin(), bytes->end()));
  return read_binary_mask(scratch_png);
}

TEST(OneDnnCli, TrainKilledAndResumedOnPh2EqualsAnUninterruptedRun) {
  test::TempDir dir;
  test::write_text_file(dir / "ph2.ini", experiment(test::ph2_subset(dir / "ph2", kImages), "onednn"));
  const std::string store = dir / "store";
  const std::string train = std::string(test::seglab_binary()) + " train " + (dir / "ph2.ini") + " --store " + store;

  const auto reference_run = test::run_command(train);
  ASSERT_EQ(reference_run.exit_code, 0) << reference_run.output;
  EXPECT_NE(reference_run.output.find("8 image/mask pairs"), std::string::npos) << reference_run.output;
  const std::string reference_id = test::trained_run_id(reference_run.output, "ph2-onednn");
  EXPECT_EQ(RunStore(store).catalog().record(reference_id).at("backend.name"), "onednn");
  const Outcome reference = outcome_of(store, reference_id);
  ASSERT_EQ(reference.points.count({"train.loss", 12}), 1u);
  // It learned something: the last epoch's loss is below the first's.
  EXPECT_LT(reference.points.at({"train.epoch_loss", 12}), reference.points.at({"train.epoch_loss", 2}));

  // Killed at the first step of epoch 4 (step 7 of 12); epoch 3's checkpoint may still be queued.
  const auto crashed = test::run_command("SEGLAB_CRASH_AT=train.step#7 " + train);
  ASSERT_EQ(crashed.exit_code, 128 + 9) << crashed.output;
  const std::string id = test::trained_run_id(crashed.output, "ph2-onednn");
  const auto resumed = test::run_seglab("resume " + id + " --store " + store);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resuming from epoch"), std::string::npos) << resumed.output;
  {
    SCOPED_TRACE("killed at step 7 and resumed");
    expect_bitwise_same(outcome_of(store, id), reference);
  }
  RunStore runs(store);
  EXPECT_EQ(runs.catalog().find_run(id).status, RunStatus::finished);
  EXPECT_EQ(runs.catalog().find_run(id).resumes, 1);
}

TEST(OneDnnCli, EvalPredictAndServeAgreeOnPh2AndLibTorchScoresTheSameCheckpoint) {
  test::TempDir dir;
  const std::string root = test::ph2_subset(dir / "ph2", kImages);
  test::write_text_file(dir / "ph2.ini", experiment(root, "onednn"));
  const std::string store = " --store " + (dir / "store");
  const auto train = test::run_seglab("train " + (dir / "ph2.ini") + store);
  ASSERT_EQ(train.exit_code, 0) << train.output;
  const std::string id = test::trained_run_id(train.output, "ph2-onednn");
  ASSERT_FALSE(id.empty());

  // eval on the run's own backend: the 2 validation images, at their original size.
  const auto eval = test::run_seglab("eval " + id + store);
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  EXPECT_NE(eval.output.find("2 images"), std::string::npos) << eval.output;
  // The same checkpoint on the LibTorch backend.
  const auto other = test::run_seglab("eval " + id + " --backend libtorch" + store);
  ASSERT_EQ(other.exit_code, 0) << other.output;
  RunStore runs(dir / "store");
  const auto evals = runs.catalog().evals(id);
  ASSERT_EQ(evals.size(), 2u);
  EXPECT_EQ(evals[0].name, "val-best");
  EXPECT_EQ(evals[1].name, "val-best-libtorch");
  EXPECT_EQ(evals[1].options.at("backend"), "libtorch");
  const double dice = evals[0].metrics.at("dice").mean;
  EXPECT_NE(eval.output.find(format_metric(dice)), std::string::npos) << eval.output;  // the table's dice row
  // Trained enough that the score means something, and the backends agree on
  // it up to pixels that float rounding puts on the other side of 0.5.
  EXPECT_GT(dice, 0.5);
  EXPECT_NEAR(evals[1].metrics.at("dice").mean, dice, 2e-3);

  const std::string eval_masks = runs.run_dir(id) + "/eval/val-best/masks";
  const std::string libtorch_masks = runs.run_dir(id) + "/eval/val-best-libtorch/masks";
  std::vector<std::string> val_ids;
  for (const auto& entry : fs::directory_iterator(eval_masks)) val_ids.push_back(entry.path().stem().string());
  std::sort(val_ids.begin(), val_ids.end());
  ASSERT_EQ(val_ids.size(), 2u);

  test::ServeProcess serve(dir / "store", dir / "serve.log");
  ASSERT_GT(serve.port(), 0) << serve.log();
  for (const auto& image_id : val_ids) {
    SCOPED_TRACE(image_id);
    const std::string image = root + "/images/" + image_id + ".bmp";
    const cv::Mat original = read_rgb_image(image);
    const cv::Mat evaluated = read_binary_mask(eval_masks + "/" + image_id + ".png");
    ASSERT_EQ(evaluated.size(), original.size());
    // A real mask: neither empty nor the whole image.
    EXPECT_GT(lesion_fraction(evaluated), 0.02);
    EXPECT_LT(lesion_fraction(evaluated), 0.95);
    const cv::Mat under_libtorch = read_binary_mask(libtorch_masks + "/" + image_id + ".png");
    EXPECT_LT(cv::countNonZero(under_libtorch != evaluated), 0.001 * original.total());

    // predict on the same image writes the same mask as eval.
    const auto predict = test::run_seglab("predict " + id + " " + image + " -o " + (dir / "predicted") + store);
    ASSERT_EQ(predict.exit_code, 0) << predict.output;
    const cv::Mat predicted = read_binary_mask(dir / ("predicted/" + image_id + "_mask.png"));
    ASSERT_EQ(predicted.size(), original.size());
    EXPECT_EQ(cv::countNonZero(predicted != evaluated), 0);
    EXPECT_NE(predict.output.find(std::to_string(original.cols) + "x" + std::to_string(original.rows)),
              std::string::npos)
        << predict.output;

    // serve's segment call on the uploaded file answers with predict's mask.
    const auto posted = test::run_command("curl -s -S -o " + (dir / "answer.json") + " -w '%{http_code}' -F image=@" +
                                          image + " -F run=" + id + " http://127.0.0.1:" +
                                          std::to_string(serve.port()) + "/api/predict");
    ASSERT_EQ(posted.exit_code, 0) << posted.output;
    ASSERT_EQ(posted.output, "200") << test::read_text_file(dir / "answer.json") << serve.log();
    const json answer = json::parse(test::read_text_file(dir / "answer.json"));
    EXPECT_EQ(answer["run"], id);
    EXPECT_EQ(answer["width"], original.cols);
    EXPECT_EQ(answer["height"], original.rows);
    const cv::Mat served = served_mask(answer, dir / "served.png");
    ASSERT_EQ(served.size(), original.size());
    EXPECT_EQ(cv::countNonZero(served != predicted), 0);
    EXPECT_NEAR(answer["lesion_fraction"].get<double>(), lesion_fraction(predicted), 1e-12);
  }
  EXPECT_EQ(serve.stop(), 0) << serve.log();
}

}  // namespace
}  // namespace seglab
