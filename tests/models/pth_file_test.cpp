// seglab's own .pth reader against files written by torch.save (Python, via
// tests/python/torchvision_encoders.py): dtypes, strided views, an
// OrderedDict's _metadata, nested training checkpoints, and the named errors
// for the legacy format and a pickled module.
#include <gtest/gtest.h>

#include "models/pth/weights_error.h"
#include "models/pth/pth_file.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

class PthFileTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    const auto result = test::run_command(std::string(test::python()) + " " + test::source_dir() +
                                          "/tests/python/torchvision_encoders.py variants " + dir_->path());
    ASSERT_EQ(result.exit_code, 0) << result.output;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string file(const std::string& name) { return (*dir_) / name; }
  static test::TempDir* dir_;
};
test::TempDir* PthFileTest::dir_ = nullptr;

std::string error_of(const std::string& path) {
  try {
    read_pth(path);
  } catch (const WeightsError& e) {
    return e.describe();
  }
  return "no error";
}

TEST_F(PthFileTest, ReadsEveryDtypeAndStridedViewExactly) {
  const PthFile pth = read_pth(file("dtypes.pth"));
  const std::map<std::string, std::string> dtypes = {
      {"float32", "float32"}, {"float16", "float16"},   {"bfloat16", "bfloat16"}, {"float64", "float64"},
      {"int64", "int64"},     {"uint8", "uint8"},       {"transposed", "float32"}, {"sliced", "float32"},
      {"base", "float32"}};
  ASSERT_EQ(pth.tensors.size(), dtypes.size());
  for (const auto& t : pth.tensors) {
    ASSERT_TRUE(dtypes.count(t.name)) << t.name;
    EXPECT_EQ(t.dtype, dtypes.at(t.name)) << t.name;
    Tensor expected = test::read_npy(file(t.name + ".npy"));
    // test::read_npy gives a 0-d array the shape [1]; the scalar's shape is checked below.
    if (t.values.rank() == 0 && expected.numel() == 1) expected = expected.reshaped({});
    ASSERT_EQ(t.values.shape(), expected.shape()) << t.name;
    EXPECT_EQ(max_abs_difference(t.values, expected), 0.0) << t.name;
  }
  // File order is kept.
  EXPECT_EQ(pth.tensors.front().name, "float32");
  EXPECT_EQ(pth.named().at("int64").shape(), Shape{});
  EXPECT_EQ(pth.named().at("int64")[0], 12345.0f);
  EXPECT_EQ(pth.named().at("transposed").shape(), (Shape{4, 6}));
}

TEST_F(PthFileTest, ReadsAModuleStateDictWithItsMetadata) {
  for (const char* name : {"module.pth", "protocol4.pth"}) {
    const NamedTensors t = read_pth(file(name)).named();
    ASSERT_EQ(t.size(), 7u) << name;  // conv weight, bias; bn weight, bias, running mean, var, num_batches_tracked
    EXPECT_EQ(t.at("0.weight").shape(), (Shape{4, 3, 3, 3})) << name;
    EXPECT_EQ(t.at("1.running_var").values(), std::vector<float>(4, 1.0f)) << name;
    EXPECT_EQ(t.at("1.num_batches_tracked").shape(), Shape{}) << name;
  }
}

TEST_F(PthFileTest, FindsTheStateDictOfATrainingCheckpoint) {
  const PthFile pth = read_pth(file("nested.pth"));
  EXPECT_EQ(pth.tensors.size(), 7u);
  EXPECT_EQ(pth.note, "tensors read from the 'state_dict' entry");
  EXPECT_EQ(max_abs_difference(pth.named().at("0.weight"), read_pth(file("module.pth")).named().at("0.weight")), 0.0);
}

TEST_F(PthFileTest, RefusesTheLegacyFormatSayingHowToResave) {
  const std::string message = error_of(file("legacy.pth"));
  EXPECT_NE(message.find("legacy.pth"), std::string::npos) << message;
  EXPECT_NE(message.find("legacy pre-1.6"), std::string::npos) << message;
  EXPECT_NE(message.find("torch.save(torch.load(old), new)"), std::string::npos) << message;
}

TEST_F(PthFileTest, RefusesAPickledModuleAskingForItsStateDict) {
  const std::string message = error_of(file("module_object.pth"));
  EXPECT_NE(message.find("module_object.pth"), std::string::npos) << message;
  EXPECT_NE(message.find("state_dict"), std::string::npos) << message;
}

TEST_F(PthFileTest, NamesAMissingOrDamagedFile) {
  EXPECT_NE(error_of(file("absent.pth")).find("absent.pth: no such file"), std::string::npos);
  test::write_text_file(file("text.pth"), "PK\x03\x04 not really a zip");
  // A zip signature without a zip directory: cut short or damaged.
  EXPECT_NE(error_of(file("text.pth")).find("text.pth: the checkpoint is truncated or damaged"), std::string::npos)
      << error_of(file("text.pth"));
}

}  // namespace
}  // namespace seglab
