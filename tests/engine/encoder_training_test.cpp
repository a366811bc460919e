// U-Net with every encoder trains on real PH2 images (../shared/data), and the
// trainer imports encoder weights from a torch.save file and freezes the
// encoder for the first epochs.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "backends/training_registries.h"
#include "core/sha256.h"
#include "datasets/batch_loader.h"
#include "datasets/dataset_adapter.h"
#include "engine/experiment.h"
#include "engine/trainer.h"
#include "models/model_registry.h"
#include "models/parameter_init.h"
#include "models/pth/pth_file.h"
#include "tests/support/test_support.h"
#include "tracking/run_file.h"

namespace seglab {
namespace {

std::string ph2_data(int image_size) {
  return "[data]\nadapter = folder\nroot = " + test::shared_data("skin-lesions") +
         "\nmask_suffix = _lesion\nimage_size = " + std::to_string(image_size) + "\n";
}

class EncoderTraining : public ::testing::TestWithParam<std::string> {};

TEST_P(EncoderTraining, LossFallsOnRealImages) {
  // 32x32 images, 4 of them, 5 steps: seconds per encoder on two cores.
  const Config config = config_from_text(ph2_data(32) + "[model]\nencoder = " + GetParam() +
                                             "\n[backend]\ndevice = cpu\n[train]\nlr = 1e-3\n",
                                         "test");
  const auto dataset = make_adapter(config);
  LoaderOptions options;
  options.image_size = 32;
  options.batch_size = 4;
  BatchLoader loader(*dataset, {0, 20, 40, 60}, options);
  loader.start_epoch(1);
  Batch batch;
  ASSERT_TRUE(loader.next(batch));

  const Graph graph = build_model(config);
  auto network = make_backend(config)->compile(graph, initialize_parameters(graph, 3), compile_options(config));
  std::vector<float> losses;
  for (int step = 0; step < 5; ++step) losses.push_back(network->train_step(batch.images, batch.targets, 1e-3));
  EXPECT_LT(losses.back(), 0.9 * losses.front()) << GetParam() << ": " << ::testing::PrintToString(losses);
}

INSTANTIATE_TEST_SUITE_P(AllEncoders, EncoderTraining,
                         ::testing::Values("resnet18", "resnet34", "resnet50", "vgg16_bn", "mobilenet_v2",
                                           "efficientnet_b0"),
                         [](const auto& info) { return info.param; });

TEST(EncoderTraining, TrainerImportsWeightsAndFreezesTheEncoder) {
  test::TempDir dir;
  const auto made = test::run_command(std::string(test::python()) + " " + test::source_dir() +
                                      "/tests/python/torchvision_encoders.py encoder resnet18 32 " + dir.path());
  ASSERT_EQ(made.exit_code, 0) << made.output;
  const NamedTensors saved = read_pth(dir / "weights.pth").named();
  RunStore store(dir / "store");
  auto run = [&](int epochs) {
    const Config config = config_from_text(
        ph2_data(32) + "val_ratio = 0.8\n[model]\nencoder = resnet18\nencoder_weights = " + (dir / "weights.pth") +
            "\n[backend]\ndevice = cpu\n[train]\nbatch_size = 8\nlr = 1e-3\nfreeze_encoder_epochs = 1\nepochs = " +
            std::to_string(epochs) + "\n",
        "test");
    std::ostringstream out;
    TrainOptions options;
    options.out = &out;
    const TrainResult result = train(config, store, options);
    EXPECT_EQ(result.status, RunStatus::finished) << out.str();
    EXPECT_NE(out.str().find("encoder weights: loaded 120 encoder tensors from " + (dir / "weights.pth") +
                             " (ignored 2 classifier tensors: fc.weight, fc.bias)"),
              std::string::npos)
        << out.str();
    EXPECT_NE(out.str().find("encoder frozen for the first 1 epoch (60 tensors)"), std::string::npos) << out.str();
    return read_checkpoint(store.run_file(result.run_id), "last").weights;
  };

  const NamedTensors frozen = run(1);
  for (const char* name : {"conv1.weight", "layer4.1.conv2.weight", "layer2.0.bn1.weight"})
    EXPECT_EQ(max_abs_difference(frozen.at(std::string("encoder.") + name), saved.at(name)), 0.0) << name;
  // Batch-norm statistics still follow the data, as with requires_grad = false in PyTorch.
  EXPECT_GT(max_abs_difference(frozen.at("encoder.bn1.running_mean"), saved.at("bn1.running_mean")), 0.0);

  const NamedTensors unfrozen = run(2);
  EXPECT_GT(max_abs_difference(unfrozen.at("encoder.conv1.weight"), saved.at("conv1.weight")), 0.0);
}

// The run records the SHA-256 of the imported file; `seglab reproduce` lists
// a file that differs from it before training, and stops when it is gone.
TEST(EncoderTraining, RecordsTheWeightsFilesHashAndReproduceReportsAChangedOrMissingFile) {
  test::TempDir dir;
  const auto made = test::run_command(std::string(test::python()) + " " + test::source_dir() +
                                      "/tests/python/torchvision_encoders.py encoder resnet18 32 " + dir.path());
  ASSERT_EQ(made.exit_code, 0) << made.output;
  const std::string weights = dir / "weights.pth";
  const std::string root = test::ph2_subset(dir / "ph2", {"IMD004", "IMD006", "IMD009", "IMD010"});
  test::write_text_file(dir / "exp.ini", "[experiment]\nname = weighed\n[data]\nadapter = folder\nroot = " + root +
                                             "\nmask_suffix = _lesion\nimage_size = 32\nval_ratio = 0.25\n"
                                             "[model]\nencoder = resnet18\nencoder_weights = " + weights +
                                             "\n[backend]\ndevice = cpu\n[train]\nepochs = 1\nbatch_size = 3\n");
  const std::string store = " --store " + (dir / "store");
  const auto trained = test::run_seglab("train " + (dir / "exp.ini") + store);
  ASSERT_EQ(trained.exit_code, 0) << trained.output;
  RunStore runs(dir / "store");
  const std::string id = runs.catalog().list_runs().front().id;
  const std::string sha = sha256_file(weights);
  EXPECT_EQ(runs.catalog().record(id).at("model.encoder_weights_sha256"), sha);

  // The original's record says another file was imported.
  runs.catalog().import_run([&] {
    RunRows rows = runs.catalog().export_run(id);
    rows.record["model.encoder_weights_sha256"] = "feedface";
    rows.info.id = "feedface";
    return rows;
  }());
  const auto changed = test::run_seglab("reproduce feedface" + store);
  ASSERT_EQ(changed.exit_code, 0) << changed.output;
  EXPECT_NE(changed.output.find("  model.encoder_weights_sha256: feedface -> " + sha), std::string::npos)
      << changed.output;

  std::filesystem::remove(weights);
  const auto missing = test::run_seglab("reproduce " + id + store);
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_NE(missing.output.find("model.encoder_weights"), std::string::npos) << missing.output;
  EXPECT_NE(missing.output.find("missing now (it had SHA-256 " + sha + ")"), std::string::npos) << missing.output;
  EXPECT_NE(missing.output.find(weights), std::string::npos) << missing.output;
}

TEST(EncoderTraining, AMismatchedCheckpointIsRefusedBeforeARunExists) {
  test::TempDir dir;
  const auto made = test::run_command(std::string(test::python()) + " " + test::source_dir() +
                                      "/tests/python/torchvision_encoders.py mismatch " + dir.path());
  ASSERT_EQ(made.exit_code, 0) << made.output;
  test::write_text_file(dir / "exp.ini", ph2_data(32) + "[model]\nencoder = resnet18\nencoder_weights = " +
                                             (dir / "mismatch.pth") + "\n[train]\nepochs = 1\n");
  const auto refused = test::run_seglab("train " + (dir / "exp.ini") + " --store " + (dir / "store"));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("mismatch.pth: does not fit the encoder"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("missing encoder.layer1.0.conv1.weight"), std::string::npos) << refused.output;
  const auto listed = test::run_seglab("runs list --store " + (dir / "store"));
  EXPECT_NE(listed.output.find("no runs"), std::string::npos) << listed.output;

  const auto inspected = test::run_seglab("weights inspect " + (dir / "mismatch.pth"));
  EXPECT_EQ(inspected.exit_code, 0) << inspected.output;
  EXPECT_NE(inspected.output.find("mismatch.pth: 122 tensors"), std::string::npos) << inspected.output;
  EXPECT_NE(inspected.output.find("layer2.0.conv1.weight"), std::string::npos);
  EXPECT_NE(inspected.output.find("[128, 64, 1, 1]"), std::string::npos);
  EXPECT_NE(inspected.output.find("int64"), std::string::npos);
}

TEST(EncoderTraining, ListEncodersGivesParametersAndGflopsFromTheGraph) {
  const auto listed = test::run_seglab("list encoders");
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  // Encoder parameter counts are torchvision's without the classifier head
  // (checked against torchvision in models_tests): resnet18 11176512,
  // mobilenet_v2 2223872.
  EXPECT_NE(listed.output.find("  resnet18: torchvision resnet18"), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("; 11.18 M parameters, "), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("; 2.22 M parameters, "), std::string::npos) << listed.output;
  for (const char* name : {"plain", "vgg16_bn", "resnet18", "resnet34", "resnet50", "mobilenet_v2", "efficientnet_b0"})
    EXPECT_NE(listed.output.find(std::string("  ") + name + ": "), std::string::npos) << name;
  EXPECT_NE(listed.output.find("GFLOP at 256x256 (U-Net: "), std::string::npos) << listed.output;
}

}  // namespace
}  // namespace seglab
