#include "datasets/split.h"

#include <gtest/gtest.h>

#include <set>

namespace seglab {

TEST(Split, RatioSeedDisjointAndComplete) {
  const Split s = split_by_ratio(90, 0.2, 42);
  EXPECT_EQ(s.val.size(), 18u);
  EXPECT_EQ(s.train.size(), 72u);
  std::set<size_t> all(s.train.begin(), s.train.end());
  all.insert(s.val.begin(), s.val.end());
  EXPECT_EQ(all.size(), 90u);
  const Split again = split_by_ratio(90, 0.2, 42);
  EXPECT_EQ(s.val, again.val);
  EXPECT_NE(s.val, split_by_ratio(90, 0.2, 43).val);
  EXPECT_TRUE(std::is_sorted(s.val.begin(), s.val.end()));
}

TEST(Split, EdgeCases) {
  EXPECT_EQ(split_by_ratio(10, 0.0, 1).val.size(), 0u);
  EXPECT_EQ(split_by_ratio(3, 0.01, 1).val.size(), 1u);  // at least one validation sample
  EXPECT_EQ(split_by_ratio(2, 0.9, 1).train.size(), 1u);  // at least one training sample
}

}  // namespace seglab

#include <cmath>
#include <map>

#include "core/error.h"
#include "datasets/csv_table.h"
#include "datasets/dataset_adapter.h"
#include "tests/datasets/data_config.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

const std::string kPh2 = "[data]\nadapter = ph2\nroot = " + std::string(test::shared_data_root()) +
                         "/skin-lesions\nmetadata = " + std::string(test::shared_data_root()) + "/skin-lesions/manifest.csv\n";

std::map<std::string, size_t> diagnoses(const DatasetAdapter& d, const std::vector<size_t>& indices) {
  std::map<std::string, size_t> counts;
  for (size_t i : indices) ++counts[d.sample_metadata(i).at("clinical_diagnosis")];
  return counts;
}

TEST(Split, StratifiedByTheManifestsDiagnosis) {
  test::shared_data("skin-lesions/manifest.csv");
  const Config config = test::data_config(kPh2 + "stratify = clinical_diagnosis\nval_ratio = 0.2\n");
  auto ph2 = make_adapter(config);
  std::vector<size_t> all(ph2->size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  const auto groups = diagnoses(*ph2, all);
  ASSERT_EQ(groups.size(), 3u);
  const Split split = make_split(config, *ph2);
  const auto val = diagnoses(*ph2, split.val);
  for (const auto& [group, count] : groups)
    EXPECT_EQ(val.at(group), static_cast<size_t>(std::llround(0.2 * count))) << group;
  EXPECT_EQ(split.train.size() + split.val.size(), 90u);
  EXPECT_EQ(make_split(config, *ph2).val, split.val);  // repeatable
  EXPECT_EQ(ph2->sample_metadata(0).at("id"), "IMD004");
}

TEST(Split, KFoldPartitionsAndStratifies) {
  const Config base = test::data_config(kPh2 + "stratify = clinical_diagnosis\n");
  auto ph2 = make_adapter(base);
  std::vector<int> seen(ph2->size(), 0);
  for (int k = 1; k <= 5; ++k) {
    const Config config = test::data_config(kPh2 + "stratify = clinical_diagnosis\nfold = " + std::to_string(k) + " of 5\n");
    const Split split = make_split(config, *ph2);
    EXPECT_EQ(split.train.size() + split.val.size(), 90u);
    EXPECT_EQ(split.val.size(), 18u);
    for (size_t i : split.val) ++seen[i];
    for (const auto& [group, count] : diagnoses(*ph2, split.val)) {
      const size_t share = (group == "melanoma" ? 18 : 36) / 5;
      EXPECT_GE(count, share) << group << " fold " << k;
      EXPECT_LE(count, share + 1) << group << " fold " << k;
    }
  }
  for (int times : seen) EXPECT_EQ(times, 1);  // each sample validates in exactly one fold
  int k = 0, n = 0;
  parse_fold("3/4", k, n);
  EXPECT_EQ(k, 3);
  EXPECT_EQ(n, 4);
  for (const char* bad : {"0 of 5", "6 of 5", "1 of 1", "two of five", "3"})
    EXPECT_THROW(parse_fold(bad, k, n), ConfigError) << bad;
}

TEST(Split, SplitFileListsIds) {
  test::TempDir dir;
  test::write_text_file(dir / "split.csv", "id,split\nIMD004,val\nIMD006,train\nIMD009,train\n");
  const Config config = test::data_config(kPh2 + "split_file = " + (dir / "split.csv") + "\n");
  auto ph2 = make_adapter(config);
  const Split split = make_split(config, *ph2);
  EXPECT_EQ(split.val, (std::vector<size_t>{0}));
  EXPECT_EQ(split.train, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(split.unused.size(), 87u);
  test::write_text_file(dir / "split.csv", "id,split\nIMD004,val\nIMD999,train\n");
  try {
    make_split(config, *ph2);
    ADD_FAILURE() << "unknown id accepted";
  } catch (const DataError& e) {
    EXPECT_EQ(e.input(), (dir / "split.csv") + ":3");
  }
  EXPECT_THROW(make_split(test::data_config(kPh2 + "split_file = " + (dir / "split.csv") + "\nfold = 1 of 3\n"), *ph2),
               ConfigError);
}

TEST(Split, StratifyNeedsMetadataAndAKnownColumn) {
  const std::string root = "[data]\nadapter = ph2\nroot = " + std::string(test::shared_data_root()) + "/skin-lesions\n";
  auto plain = make_adapter(test::data_config(root));
  EXPECT_THROW(make_split(test::data_config(root + "stratify = clinical_diagnosis\n"), *plain), ConfigError);
  const Config unknown = test::data_config(kPh2 + "stratify = colour\n");
  EXPECT_THROW(make_split(unknown, *make_adapter(unknown)), ConfigError);
}

TEST(CsvTable, QuotedFieldsAndRaggedRows) {
  test::TempDir dir;
  test::write_text_file(dir / "m.csv", "\xEF\xBB\xBFid,note\r\na,\"x, \"\"y\"\"\"\r\nb,plain\r\n");
  const CsvTable t = read_csv(dir / "m.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.header[0], "id");
  EXPECT_EQ(t.rows[0][1], "x, \"y\"");
  test::write_text_file(dir / "bad.csv", "id,note\na,1\nb,2,3\n");
  try {
    read_csv(dir / "bad.csv");
    ADD_FAILURE();
  } catch (const DataError& e) {
    EXPECT_EQ(e.input(), (dir / "bad.csv") + ":3");
  }
}

}  // namespace
}  // namespace seglab
