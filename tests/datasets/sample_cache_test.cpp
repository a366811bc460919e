// The HDF5 sample cache: hit on the second run, a new key when a file or the
// resize option changes, and a truncated or corrupted cache file is refused
// and rebuilt, never used.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "datasets/prepared_samples.h"
#include "datasets/sample_cache.h"
#include "engine/experiment.h"
#include "engine/run_data.h"
#include "tests/datasets/dataset_test_support.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

class SampleCache : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 4; ++i)
      test::write_pair(dir_ / ("data/images/s" + std::to_string(i) + ".png"),
                       dir_ / ("data/masks/s" + std::to_string(i) + ".png"), 80, 60, 10 + 3 * i);
    test::write_pair(dir_ / "data/images/bad.png", dir_ / "elsewhere/bad.png");  // no mask: a listed problem
  }
  Config config(int image_size = 64) {
    return config_from_text("[data]\nadapter = folder\nroot = " + (dir_ / "data") + "\nimage_size = " +
                                std::to_string(image_size) + "\non_bad_sample = skip\ncache_dir = " + (dir_ / "cache") + "\n",
                            "test");
  }
  RunData prepare(int image_size = 64) { return prepare_run_data(config(image_size), dir_ / "store"); }
  static void expect_same(const RunData& a, const RunData& b) {
    ASSERT_EQ(a.samples->usable, b.samples->usable);
    for (size_t i = 0; i < a.samples->samples.size(); ++i) {
      if (!a.samples->usable[i]) continue;
      EXPECT_EQ(cv::norm(a.samples->samples[i].image, b.samples->samples[i].image, cv::NORM_INF), 0);
      EXPECT_EQ(cv::norm(a.samples->samples[i].mask, b.samples->samples[i].mask, cv::NORM_INF), 0);
      EXPECT_EQ(a.samples->stats[i].width, b.samples->stats[i].width);
      EXPECT_DOUBLE_EQ(a.samples->stats[i].lesion_fraction, b.samples->stats[i].lesion_fraction);
    }
    ASSERT_EQ(a.skipped.size(), b.skipped.size());
    for (size_t i = 0; i < a.skipped.size(); ++i) EXPECT_EQ(a.skipped[i].path, b.skipped[i].path);
  }
  test::TempDir dir_;
};

TEST_F(SampleCache, HitOnTheSecondRunAndInvalidatedByAChangedFileOrOption) {
  const RunData first = prepare();
  EXPECT_EQ(first.samples->cache_status, "built");
  ASSERT_TRUE(fs::exists(first.samples->cache_path));
  EXPECT_EQ(first.skipped.size(), 1u);
  const RunData second = prepare();
  EXPECT_EQ(second.samples->cache_status, "hit");
  EXPECT_EQ(second.samples->cache_path, first.samples->cache_path);
  expect_same(first, second);

  const RunData other_size = prepare(32);
  EXPECT_EQ(other_size.samples->cache_status, "built");
  EXPECT_NE(other_size.samples->cache_path, first.samples->cache_path);

  test::write_pair(dir_ / "data/images/s2.png", dir_ / "data/masks/s2.png", 80, 60, 25);  // content changes
  const RunData changed = prepare();
  EXPECT_EQ(changed.samples->cache_status, "built");
  EXPECT_NE(changed.samples->cache_path, first.samples->cache_path);
  EXPECT_GT(cv::countNonZero(changed.samples->samples[2].mask), cv::countNonZero(first.samples->samples[2].mask));
}

TEST_F(SampleCache, ATruncatedCacheIsRebuiltNotUsed) {
  const RunData first = prepare();
  const std::string path = first.samples->cache_path;
  const std::string bytes = test::read_text_file(path);
  test::write_text_file(path, bytes.substr(0, bytes.size() / 2));
  const RunData rebuilt = prepare();
  EXPECT_EQ(rebuilt.samples->cache_status.rfind("rebuilt (", 0), 0u) << rebuilt.samples->cache_status;
  expect_same(first, rebuilt);
  EXPECT_EQ(prepare().samples->cache_status, "hit");  // the rebuilt file is sound
}

TEST_F(SampleCache, ACorruptedByteIsCaughtByTheChecksums) {
  const RunData first = prepare();
  const std::string path = first.samples->cache_path;
  std::string bytes = test::read_text_file(path);
  // The skin colour of the generated images, as stored (RGB): flip a byte inside it.
  const std::string skin = "\x96\xaa\xc8\x96\xaa\xc8\x96\xaa\xc8";
  const size_t at = bytes.find(skin);
  ASSERT_NE(at, std::string::npos);
  bytes[at + 4] = static_cast<char>(bytes[at + 4] ^ 0x10);
  test::write_text_file(path, bytes);
  const RunData rebuilt = prepare();
  EXPECT_EQ(rebuilt.samples->cache_status, "rebuilt (a checksum or read failed: the file is damaged)");
  expect_same(first, rebuilt);
}

TEST_F(SampleCache, AForeignFileUnderTheNameIsRefused) {
  const RunData first = prepare();
  test::write_text_file(first.samples->cache_path, "not HDF5 at all");
  EXPECT_EQ(prepare().samples->cache_status.rfind("rebuilt (", 0), 0u);
  EXPECT_FALSE(config().get_text("data.cache_dir").empty());
  // cache = false: no file is read or written.
  const RunData off = prepare_run_data(config_from_text("[data]\nadapter = folder\nroot = " + (dir_ / "data") +
                                                            "\non_bad_sample = skip\ncache = false\n",
                                                        "t"),
                                       dir_ / "store");
  EXPECT_EQ(off.samples->cache_status, "");
  EXPECT_FALSE(fs::exists(dir_ / "store/cache"));
}

}  // namespace
}  // namespace seglab
