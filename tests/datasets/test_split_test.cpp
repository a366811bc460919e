// The test part of a split (data.test_ratio, split files with test rows), the
// folds over the non-test samples (data.folds), and the canonical listing and
// hash that runs record.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/error.h"
#include "core/sha256.h"
#include "datasets/dataset_adapter.h"
#include "datasets/split.h"
#include "datasets/split_listing.h"
#include "tests/datasets/data_config.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

const std::string kPh2 = "[data]\nadapter = ph2\nroot = " + std::string(test::shared_data_root()) +
                         "/skin-lesions\nmetadata = " + std::string(test::shared_data_root()) +
                         "/skin-lesions/manifest.csv\nstratify = clinical_diagnosis\n";

std::string synthetic(int samples) {
  return "[data]\nadapter = synthetic\nsynthetic_size = 16\nnum_samples = " + std::to_string(samples) + "\n";
}

std::map<std::string, size_t> diagnoses(const DatasetAdapter& d, const std::vector<size_t>& indices) {
  std::map<std::string, size_t> counts;
  for (size_t i : indices) ++counts[d.sample_metadata(i).at("clinical_diagnosis")];
  return counts;
}

std::vector<size_t> sorted_union(std::vector<size_t> a, const std::vector<size_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  return a;
}

bool disjoint(const std::vector<size_t>& a, const std::vector<size_t>& b) {
  std::vector<size_t> both;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
  return both.empty();
}

// The error's input (the key at fault) of what `make` throws.
template <class E, class F>
std::string input_of(F make) {
  try {
    make();
  } catch (const E& e) {
    return e.input();
  }
  return "(nothing thrown)";
}

TEST(TestSplit, TestPartIsStratifiedAndDisjointFromTrainAndVal) {
  test::shared_data("skin-lesions/manifest.csv");
  const Config config = test::data_config(kPh2 + "test_ratio = 0.2\nval_ratio = 0.2\n");
  auto ph2 = make_adapter(config);
  const Split split = make_split(config, *ph2);
  std::vector<size_t> all(ph2->size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  // Every group keeps its share in the test part: round(0.2 * group size).
  const auto groups = diagnoses(*ph2, all), test = diagnoses(*ph2, split.test);
  ASSERT_EQ(groups.size(), 3u);
  for (const auto& [group, count] : groups)
    EXPECT_EQ(test.at(group), static_cast<size_t>(std::llround(0.2 * count))) << group;
  EXPECT_EQ(split.test.size(), 18u);
  EXPECT_EQ(split.val.size(), 18u);  // val_ratio is a share of all 90 samples
  EXPECT_EQ(split.train.size(), 54u);
  EXPECT_TRUE(disjoint(split.test, split.train));
  EXPECT_TRUE(disjoint(split.test, split.val));
  EXPECT_TRUE(disjoint(split.train, split.val));
  EXPECT_EQ(sorted_union(sorted_union(split.train, split.val), split.test), all);
  EXPECT_TRUE(std::is_sorted(split.test.begin(), split.test.end()));
}

TEST(TestSplit, TestPartDependsNeitherOnValRatioNorOnTheFold) {
  const Config reference = test::data_config(kPh2 + "test_ratio = 0.2\n");
  auto ph2 = make_adapter(reference);
  const std::vector<size_t> test = make_split(reference, *ph2).test;
  for (const char* val_ratio : {"0", "0.1", "0.3"})
    EXPECT_EQ(make_split(test::data_config(kPh2 + "test_ratio = 0.2\nval_ratio = " + val_ratio + "\n"), *ph2).test, test)
        << val_ratio;
  // Folds over the 72 non-test samples: the same test part in every fold, and
  // every non-test sample validates in exactly one fold; both spellings agree.
  std::vector<int> validated(ph2->size(), 0);
  for (int k = 1; k <= 4; ++k) {
    const Split fold = make_split(test::data_config(kPh2 + "test_ratio = 0.2\nfolds = 4\nfold = " + std::to_string(k) + "\n"), *ph2);
    const Split spelled = make_split(test::data_config(kPh2 + "test_ratio = 0.2\nfold = " + std::to_string(k) + " of 4\n"), *ph2);
    EXPECT_EQ(fold.test, test) << "fold " << k;
    EXPECT_EQ(fold.val, spelled.val) << "fold " << k;
    EXPECT_EQ(fold.val.size(), 18u) << "fold " << k;
    EXPECT_TRUE(disjoint(fold.val, test));
    EXPECT_TRUE(disjoint(fold.train, test));
    for (size_t i : fold.val) ++validated[i];
  }
  for (size_t i = 0; i < validated.size(); ++i)
    EXPECT_EQ(validated[i], std::binary_search(test.begin(), test.end(), i) ? 0 : 1) << i;
  // Another split seed draws another test part.
  EXPECT_NE(make_split(test::data_config(kPh2 + "test_ratio = 0.2\nsplit_seed = 7\n"), *ph2).test, test);
}

TEST(TestSplit, WithoutATestPartSplitsAreAsBefore) {
  const Config config = test::data_config(kPh2 + "val_ratio = 0.2\n");
  auto ph2 = make_adapter(config);
  std::vector<std::string> groups;
  for (size_t i = 0; i < ph2->size(); ++i) groups.push_back(ph2->sample_metadata(i).at("clinical_diagnosis"));
  const Split split = make_split(config, *ph2);
  EXPECT_TRUE(split.test.empty());
  EXPECT_EQ(split.val, split_stratified(groups, 0.2, 42).val);
  const Config plain = test::data_config(synthetic(30) + "val_ratio = 0.3\nsplit_seed = 5\n");
  EXPECT_EQ(make_split(plain, *make_adapter(plain)).val, split_by_ratio(30, 0.3, 5).val);
  const Config fold = test::data_config(kPh2 + "fold = 2 of 5\n");
  EXPECT_EQ(make_split(fold, *ph2).val, split_k_fold(groups, 2, 5, 42).val);
}

TEST(TestSplit, BadTestRatiosAndFoldsNameTheirKey) {
  auto split_of = [](const std::string& text) {
    const Config config = test::data_config(text);
    return make_split(config, *make_adapter(config));
  };
  EXPECT_EQ(input_of<ConfigError>([&] { split_of(synthetic(20) + "test_ratio = 0.5\nval_ratio = 0.5\n"); }), "data.test_ratio");
  // Two samples: the test part takes one, leaving none for validation or none for training.
  EXPECT_EQ(input_of<ConfigError>([&] { split_of(synthetic(2) + "test_ratio = 0.3\nval_ratio = 0.2\n"); }), "data.test_ratio");
  EXPECT_EQ(input_of<ConfigError>([&] { split_of(synthetic(2) + "test_ratio = 0.5\nval_ratio = 0.4\n"); }), "data.test_ratio");
  // 20 samples, 4 to test: 17 folds of the 16 others are too many.
  EXPECT_EQ(input_of<ConfigError>([&] { split_of(synthetic(20) + "test_ratio = 0.2\nfolds = 17\nfold = 1\n"); }), "data.folds");
  EXPECT_EQ(input_of<ConfigError>([&] { split_of(synthetic(20) + "fold = 17 of 17\ntest_ratio = 0.2\n"); }), "data.fold");
  EXPECT_NO_THROW(split_of(synthetic(20) + "test_ratio = 0.2\nfolds = 16\nfold = 16\n"));
  EXPECT_EQ(input_of<ConfigError>([&] { split_of(synthetic(20) + "folds = 5\n"); }), "data.fold");
  EXPECT_EQ(input_of<ConfigError>([&] { split_of(synthetic(20) + "fold = 2\n"); }), "data.fold");
  EXPECT_EQ(input_of<ConfigError>([&] { split_of(synthetic(20) + "folds = 5\nfold = 2 of 4\n"); }), "data.folds");
  EXPECT_EQ(input_of<ConfigError>([&] { split_of(synthetic(20) + "folds = 5\nfold = 6\n"); }), "data.fold");
}

TEST(TestSplit, SplitFilesHaveATestPart) {
  test::TempDir dir;
  test::write_text_file(dir / "split.csv", "id,split\nIMD004,test\nIMD006,train\nIMD009,val\nIMD010,TEST\n");
  const std::string file = kPh2.substr(0, kPh2.find("stratify")) + "split_file = " + (dir / "split.csv") + "\n";
  const Config config = test::data_config(file);
  auto ph2 = make_adapter(config);
  const Split split = make_split(config, *ph2);
  EXPECT_EQ(split.test, (std::vector<size_t>{0, 3}));
  EXPECT_EQ(split.train, (std::vector<size_t>{1}));
  EXPECT_EQ(split.val, (std::vector<size_t>{2}));
  test::write_text_file(dir / "split.csv", "id,split\nIMD004,train\nIMD006,holdout\n");
  try {
    make_split(config, *ph2);
    ADD_FAILURE() << "unknown part accepted";
  } catch (const DataError& e) {
    EXPECT_EQ(e.input(), (dir / "split.csv") + ":3");
    EXPECT_NE(std::string(e.what()).find("holdout"), std::string::npos) << e.what();
  }
  test::write_text_file(dir / "split.csv", "id,split\nIMD004,test\nIMD006,val\n");
  EXPECT_THROW(make_split(config, *ph2), DataError);  // nothing to train on
  EXPECT_EQ(input_of<ConfigError>([&] { make_split(test::data_config(file + "test_ratio = 0.2\n"), *ph2); }),
            "data.test_ratio");
}

TEST(TestSplit, CanonicalListingIsASplitFileSortedById) {
  SplitIds ids;
  ids.train = {"b", "d"};
  ids.val = {"c"};
  ids.test = {"a", "e,1"};
  const std::string listing = canonical_split_listing(ids);
  EXPECT_EQ(listing, "id,split\na,test\nb,train\nc,val\nd,train\n\"e,1\",test\n");
  EXPECT_EQ(canonical_test_listing(ids), "id,split\na,test\n\"e,1\",test\n");
  EXPECT_EQ(split_sha256(ids), sha256_hex(listing));
  EXPECT_EQ(test_sha256(ids), sha256_hex(canonical_test_listing(ids)));
  EXPECT_EQ(split_id_lines(join_ids(ids.train)), ids.train);
  EXPECT_TRUE(split_id_lines(join_ids({})).empty());

  // The listing given back as a split file reproduces the split.
  test::TempDir dir;
  const Config config = test::data_config(kPh2 + "test_ratio = 0.2\nfold = 3 of 4\n");
  auto ph2 = make_adapter(config);
  const Split split = make_split(config, *ph2);
  test::write_text_file(dir / "split.csv", canonical_split_listing(split_ids(split, *ph2)));
  const Split again = make_split(
      test::data_config(kPh2.substr(0, kPh2.find("stratify")) + "split_file = " + (dir / "split.csv") + "\n"), *ph2);
  EXPECT_EQ(again.train, split.train);
  EXPECT_EQ(again.val, split.val);
  EXPECT_EQ(again.test, split.test);
}

}  // namespace
}  // namespace seglab
