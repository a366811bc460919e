// Pooled out-of-fold scores of one cross-validation variant, read from the
// catalog alone, on SQLite and PostgreSQL: every non-test image once per
// seed, the per-seed scores and their mean, and the errors that name the runs
// at fault.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <functional>

#include "core/error.h"
#include "tests/tracking/catalog_backends.h"
#include "tracking/out_of_fold.h"
#include "tracking/process_identity.h"

namespace seglab {
namespace {

using CatalogOutOfFold = test::CatalogTest;

const std::vector<std::string> kNonTest = {"i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8"};

std::string lines(const std::vector<std::string>& ids) {
  std::string text;
  for (size_t i = 0; i < ids.size(); ++i) text += (i ? "\n" : "") + ids[i];
  return text;
}

// Fold k of 3 for `seed` holds out the images whose index + seed is k - 1 mod 3.
bool held_out(size_t index, int seed, int fold) { return static_cast<int>((index + seed) % 3) == fold - 1; }
double dice_of(size_t index, int seed) { return 0.5 + index / 100.0 + seed / 1000.0; }

struct FakeFold {
  int seed = 1, fold = 1;
  std::string encoder = "resnet18";
  std::string test_sha = "t-sha";
  std::function<void(std::vector<ImageScore>&)> change_scores;
  RunStatus status = RunStatus::finished;
  bool record_fold = true;
};

std::string add_fold(Catalog& catalog, const std::string& id, const FakeFold& f) {
  RunInfo run;
  run.id = id;
  run.name = "cv";
  run.created_at = utc_now_iso();
  run.config_hash = "hash-" + id;
  run.host = this_host_name();
  run.pid = static_cast<int64_t>(::getpid());
  run.process_identity = own_process_identity();
  std::vector<std::string> train, val;
  for (size_t i = 0; i < kNonTest.size(); ++i) (held_out(i, f.seed, f.fold) ? val : train).push_back(kNonTest[i]);
  const std::map<std::string, std::string> params{{"data.fold", std::to_string(f.fold)}, {"data.folds", "3"},
                                                  {"experiment.seed", std::to_string(f.seed)},
                                                  {"experiment.name", "cv-" + id}, {"model.encoder", f.encoder}};
  std::map<std::string, std::string> record{{"data.split_ids.train", lines(train)}, {"data.split_ids.val", lines(val)},
                                            {"data.split_ids.test", "t0\nt1"}, {"data.test_sha256", f.test_sha}};
  if (f.record_fold) {
    record["data.fold_index"] = std::to_string(f.fold);
    record["data.fold_count"] = "3";
  }
  catalog.create_run(run, params, record);
  std::vector<ImageScore> scores;
  for (size_t i = 0; i < kNonTest.size(); ++i)
    if (held_out(i, f.seed, f.fold)) {
      scores.push_back({kNonTest[i], "dice", dice_of(i, f.seed)});
      scores.push_back({kNonTest[i], "iou", dice_of(i, f.seed) / 2});
    }
  if (f.change_scores) f.change_scores(scores);
  catalog.set_image_scores(id, "val_best", scores);
  catalog.set_image_scores(id, "val_last", {{"i0", "dice", 0.0}});
  catalog.set_status(id, f.status);
  return id;
}

// The StoreError's message of pooling `ids`.
std::string pooling_error(const Catalog& catalog, const std::vector<std::string>& ids) {
  try {
    pooled_out_of_fold_scores(catalog, ids);
  } catch (const StoreError& e) {
    return e.what();
  }
  return "(pooled without an error)";
}

TEST_P(CatalogOutOfFold, PoolsEveryNonTestImageOncePerSeed) {
  auto catalog = open();
  std::vector<std::string> ids;
  for (int seed : {2, 1})
    for (int fold = 3; fold >= 1; --fold)
      ids.push_back(add_fold(*catalog, "s" + std::to_string(seed) + "f" + std::to_string(fold), {seed, fold}));
  const OutOfFoldScores pooled = pooled_out_of_fold_scores(*catalog, ids);
  EXPECT_EQ(pooled.folds, 3);
  EXPECT_EQ(pooled.seeds, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(pooled.image_ids, kNonTest);
  EXPECT_EQ(pooled.metrics, (std::vector<std::string>{"dice", "iou"}));
  EXPECT_EQ(pooled.test_sha256, "t-sha");
  EXPECT_EQ(pooled.source, "val_best");
  ASSERT_EQ(pooled.runs.size(), 6u);
  EXPECT_EQ(pooled.runs.front().run_id, "s1f1");  // by seed, then fold
  EXPECT_EQ(pooled.runs.back().run_id, "s2f3");
  for (size_t i = 0; i < kNonTest.size(); ++i) {
    EXPECT_DOUBLE_EQ(pooled.by_seed.at(1).at("dice")[i], dice_of(i, 1)) << i;
    EXPECT_DOUBLE_EQ(pooled.by_seed.at(2).at("iou")[i], dice_of(i, 2) / 2) << i;
    EXPECT_DOUBLE_EQ(pooled.pooled.at("dice")[i], (dice_of(i, 1) + dice_of(i, 2)) / 2) << i;
  }
  // Grouped by variant: another encoder's fold is its own group.
  FakeFold vgg{1, 1};
  vgg.encoder = "vgg16_bn";
  std::vector<std::string> mixed = ids;
  mixed.push_back(add_fold(*catalog, "vgg1", vgg));
  const auto groups = group_folds_by_variant(*catalog, mixed);
  ASSERT_EQ(groups.size(), 2u);
  std::map<size_t, size_t> sizes;
  for (const auto& [key, members] : groups) ++sizes[members.size()];
  EXPECT_EQ(sizes, (std::map<size_t, size_t>{{1, 1}, {6, 1}}));
  EXPECT_EQ(groups.begin()->second, ids);  // "model.encoder = resnet18" sorts first, input order kept
  // Another source: "val_last" has one image, so no metric covers every image.
  EXPECT_THROW(pooled_out_of_fold_scores(*catalog, ids, "val_last"), StoreError);
}

TEST_P(CatalogOutOfFold, RefusesRunsThatAreNotTheFoldsOfOneVariant) {
  auto catalog = open();
  std::vector<std::string> ids;
  for (int fold = 1; fold <= 3; ++fold) ids.push_back(add_fold(*catalog, "f" + std::to_string(fold), {1, fold}));
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> all = ids;
    all.insert(all.end(), more.begin(), more.end());
    return all;
  };
  EXPECT_NE(pooling_error(*catalog, {"f1", "f2"}).find("seed 1 lacks fold 3 of 3"), std::string::npos);
  add_fold(*catalog, "again", {1, 2});
  EXPECT_NE(pooling_error(*catalog, with({"again"})).find("fold 2 twice: runs f2 and again"), std::string::npos)
      << pooling_error(*catalog, with({"again"}));
  FakeFold other_encoder{2, 1};
  other_encoder.encoder = "vgg16_bn";
  add_fold(*catalog, "vgg", other_encoder);
  EXPECT_NE(pooling_error(*catalog, with({"vgg"})).find("model.encoder = resnet18 vs vgg16_bn"), std::string::npos)
      << pooling_error(*catalog, with({"vgg"}));
  FakeFold other_test{2, 1};
  other_test.test_sha = "another";
  add_fold(*catalog, "test", other_test);
  EXPECT_NE(pooling_error(*catalog, with({"test"})).find("held out different test parts"), std::string::npos);
  FakeFold running{2, 1};
  running.status = RunStatus::running;
  add_fold(*catalog, "busy", running);
  EXPECT_NE(pooling_error(*catalog, with({"busy"})).find("run busy is running"), std::string::npos);
  FakeFold plain{2, 1};
  plain.record_fold = false;
  add_fold(*catalog, "plain", plain);
  EXPECT_NE(pooling_error(*catalog, with({"plain"})).find("run plain has no data.fold_index"), std::string::npos);
  // A fold that lost the score of one of its images leaves that metric out;
  // when no metric is complete, pooling fails.
  FakeFold partial{3, 1};
  partial.change_scores = [](std::vector<ImageScore>& s) { s.erase(s.begin(), s.begin() + 2); };  // an image
  std::vector<std::string> seed3{add_fold(*catalog, "p1", partial)};
  for (int fold = 2; fold <= 3; ++fold) seed3.push_back(add_fold(*catalog, "p" + std::to_string(fold), {3, fold}));
  EXPECT_NE(pooling_error(*catalog, seed3).find("no metric has a per-image score"), std::string::npos);
  partial.change_scores = [](std::vector<ImageScore>& s) { s.erase(s.begin() + 1); };  // its first iou
  add_fold(*catalog, "q1", partial);
  const OutOfFoldScores dice_only = pooled_out_of_fold_scores(*catalog, {"q1", "p2", "p3"});
  EXPECT_EQ(dice_only.metrics, std::vector<std::string>{"dice"});
  EXPECT_EQ(dice_only.by_seed.at(3).count("iou"), 0u);
}

TEST_P(CatalogOutOfFold, VariantKeyLeavesOutFoldSeedAndName) {
  const std::map<std::string, std::string> a{{"data.fold", "1"}, {"experiment.seed", "1"}, {"experiment.name", "x"},
                                             {"model.encoder", "resnet18"}};
  std::map<std::string, std::string> b = a;
  b["data.fold"] = "3";
  b["experiment.seed"] = "9";
  b["experiment.name"] = "y";
  EXPECT_EQ(cross_validation_variant_key(a), cross_validation_variant_key(b));
  EXPECT_EQ(cross_validation_variant_key(a), "model.encoder = resnet18\n");
  b["model.encoder"] = "vgg16_bn";
  EXPECT_NE(cross_validation_variant_key(a), cross_validation_variant_key(b));
}

SEGLAB_CATALOG_BACKENDS(CatalogOutOfFold);

}  // namespace
}  // namespace seglab
