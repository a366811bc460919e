// The split protocol end to end through the seglab binary on tiny generated
// data: the recorded split (ids per part, hashes recomputed here), no test id
// in training, checkpoint selection (the validation per-image tables) or the
// threshold search, `eval --data test` scoring exactly the test ids, and a
// cross-validation sweep (data.folds) whose runs share one test part, pool
// into out-of-fold scores covering every non-test image once per seed, and
// evaluate as an ensemble on the test part with the threshold and
// post-processing chosen out of fold.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "core/sha256.h"
#include "core/text.h"
#include "engine/out_of_fold_choice.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_experiment.h"
#include "tracking/out_of_fold.h"
#include "tracking/run_store.h"

namespace seglab {
namespace {

std::vector<std::string> id_list(const std::string& text) {
  std::vector<std::string> ids;
  std::smatch match;
  for (auto it = text.cbegin(); std::regex_search(it, text.cend(), match, std::regex("[^\n]+")); it = match[0].second)
    ids.push_back(match[0].str());
  return ids;
}

std::set<std::string> ids_of(const std::vector<ImageScore>& scores) {
  std::set<std::string> ids;
  for (const auto& s : scores) ids.insert(s.image_id);
  return ids;
}

std::set<std::string> as_set(const std::vector<std::string>& ids) { return {ids.begin(), ids.end()}; }

std::vector<std::string> both(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::vector<std::string> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// The canonical listing written out here from the recorded ids, independently
// of datasets/split_listing.cpp: a split file, rows sorted by id.
std::string listing(const std::map<std::string, std::vector<std::string>>& parts, bool test_only) {
  std::map<std::string, std::string> rows;
  for (const auto& [part, ids] : parts)
    if (!test_only || part == "test")
      for (const auto& id : ids) rows[id] = part;
  std::string text = "id,split\n";
  for (const auto& [id, part] : rows) text += id + "," + part + "\n";
  return text;
}

// One tiny run (20 images: 10 train, 5 val, 5 test; two epochs, so the best
// checkpoint is chosen on validation), trained once for every check below.
std::string train_tiny_run(const test::TempDir& dir) {
  test::TinyExperiment tiny{"tiny-split", 5, 20, 2};
  tiny.extra = "[data]\ntest_ratio = 0.25\n";
  test::write_text_file(dir / "tiny.ini", tiny.ini());
  const auto train = test::run_seglab("train " + (dir / "tiny.ini") + " --store " + (dir / "store"));
  EXPECT_EQ(train.exit_code, 0) << train.output;
  EXPECT_NE(train.output.find("10 train, 5 val, 5 test held out (ratio 0.25, test ratio 0.25, seed 42)"),
            std::string::npos)
      << train.output;
  return test::trained_run_id(train.output, "tiny-split");
}

TEST(SplitProtocol, TestIdsReachNeitherTrainingNorSelectionNorThresholdAndEvalScoresExactlyThem) {
  test::TempDir dir;
  const std::string id = train_tiny_run(dir);
  ASSERT_FALSE(id.empty());
  const std::string store = " --store " + (dir / "store");
  RunStore runs(dir / "store");
  const auto record = runs.catalog().record(id);
  std::map<std::string, std::vector<std::string>> parts;
  for (const char* part : {"train", "val", "test"}) parts[part] = id_list(record.at(std::string("data.split_ids.") + part));
  EXPECT_EQ(parts["train"].size(), 10u);
  EXPECT_EQ(parts["val"].size(), 5u);
  EXPECT_EQ(parts["test"].size(), 5u);
  EXPECT_EQ(record.at("data.test_samples"), "5");
  const auto train = as_set(parts["train"]), val = as_set(parts["val"]), test = as_set(parts["test"]);
  EXPECT_TRUE(both(train, test).empty());
  EXPECT_TRUE(both(val, test).empty());
  EXPECT_TRUE(both(train, val).empty());
  EXPECT_EQ(train.size() + val.size() + test.size(), 20u);
  EXPECT_EQ(record.at("data.split_sha256"), sha256_hex(listing(parts, false)));
  EXPECT_EQ(record.at("data.test_sha256"), sha256_hex(listing(parts, true)));
  EXPECT_EQ(record.count("data.fold_index"), 0u);  // not a fold

  // Checkpoint selection saw the validation images only.
  auto scores = runs.catalog().image_scores(id);
  EXPECT_EQ(ids_of(scores.at("val_best")), val);
  EXPECT_EQ(ids_of(scores.at("val_last")), val);

  const auto shown = test::run_seglab("runs show " + id + store);
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_NE(shown.output.find("data.split_sha256 = " + record.at("data.split_sha256")), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find("data.split_ids.test = 5 ids: " + parts["test"][0] + ", "), std::string::npos)
      << shown.output;

  // `eval --data test` scores exactly the test ids, with a threshold chosen on
  // validation images alone: the same one as when validation itself is scored.
  const auto on_test = test::run_seglab("eval " + id + " --data test --threshold val --no-masks" + store);
  ASSERT_EQ(on_test.exit_code, 0) << on_test.output;
  const auto on_val = test::run_seglab("eval " + id + " --data val --threshold val --no-masks" + store);
  ASSERT_EQ(on_val.exit_code, 0) << on_val.output;
  const auto evals = runs.catalog().evals(id);
  ASSERT_EQ(evals.size(), 2u);
  EXPECT_EQ(evals[0].options.at("data"), "test");
  EXPECT_EQ(evals[0].images, 5);
  scores = runs.catalog().image_scores(id);
  EXPECT_EQ(ids_of(scores.at("eval/" + evals[0].name)), test);
  EXPECT_EQ(ids_of(scores.at("eval/" + evals[1].name)), val);
  EXPECT_EQ(evals[0].options.at("threshold_source"), "val");
  EXPECT_EQ(evals[0].options.at("threshold"), evals[1].options.at("threshold"));
}

// 16 images, 4 held out for testing, 3 folds over the other 12, two seeds:
// six runs of one epoch.
std::string cv_sweep(const std::string& data_extra, const std::string& sweep) {
  test::TinyExperiment tiny{"tiny-cv", 1, 16, 1};
  tiny.batch_size = 4;
  return tiny.ini() + "[data]\ntest_ratio = 0.25\n" + data_extra + "[sweep]\n" + sweep;
}

TEST(CrossValidation, ASweepOverFoldsSharesOneTestPartPoolsOutOfFoldAndEnsemblesOnTheTestPart) {
  test::TempDir dir;
  test::write_text_file(dir / "cv.ini", cv_sweep("folds = 3\n", "seeds = 1, 2\n"));
  const auto swept = test::run_seglab("sweep " + (dir / "cv.ini") + " --jobs 2 --store " + (dir / "store"));
  ASSERT_EQ(swept.exit_code, 0) << swept.output;
  EXPECT_NE(swept.output.find("6 runs"), std::string::npos) << swept.output;
  EXPECT_NE(swept.output.find("every run holds out the same test part"), std::string::npos) << swept.output;

  RunStore store(dir / "store");
  const auto sweeps = store.catalog().list_sweeps();
  ASSERT_EQ(sweeps.size(), 1u);
  const auto runs = store.catalog().sweep_runs(sweeps[0].id);
  ASSERT_EQ(runs.size(), 6u);
  std::vector<std::string> ids;
  std::map<std::string, std::set<std::string>> folds_of_seed;
  std::map<std::string, std::set<std::string>> split_of_fold;  // fold -> the split hashes its runs recorded
  const auto first = store.catalog().record(runs[0].id);
  const auto test = as_set(id_list(first.at("data.split_ids.test")));
  EXPECT_EQ(test.size(), 4u);
  for (const auto& run : runs) {
    ids.push_back(run.id);
    const auto record = store.catalog().record(run.id);
    EXPECT_EQ(record.at("data.test_sha256"), first.at("data.test_sha256")) << run.id;
    EXPECT_EQ(record.at("data.split_ids.test"), first.at("data.split_ids.test")) << run.id;
    EXPECT_EQ(record.at("data.fold_count"), "3") << run.id;
    EXPECT_EQ(store.catalog().params(run.id).at("data.fold"), record.at("data.fold_index")) << run.id;
    folds_of_seed[store.catalog().params(run.id).at("experiment.seed")].insert(record.at("data.fold_index"));
    split_of_fold[record.at("data.fold_index")].insert(record.at("data.split_sha256"));
    EXPECT_TRUE(both(as_set(id_list(record.at("data.split_ids.train"))), test).empty()) << run.id;
    EXPECT_TRUE(both(ids_of(store.catalog().image_scores(run.id).at("val_best")), test).empty()) << run.id;
  }
  const std::set<std::string> all_folds{"1", "2", "3"};
  EXPECT_EQ(folds_of_seed, (std::map<std::string, std::set<std::string>>{{"1", all_folds}, {"2", all_folds}}));
  // A fold is the identical split under every seed; the folds differ from each other.
  std::set<std::string> fold_splits;
  for (const auto& [fold, hashes] : split_of_fold) {
    EXPECT_EQ(hashes.size(), 1u) << "fold " << fold;
    fold_splits.insert(*hashes.begin());
  }
  EXPECT_EQ(fold_splits.size(), 3u);

  const OutOfFoldScores pooled = pooled_out_of_fold_scores(store.catalog(), ids);
  EXPECT_EQ(pooled.folds, 3);
  EXPECT_EQ(pooled.seeds, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(pooled.image_ids.size(), 12u);
  EXPECT_TRUE(both(as_set(pooled.image_ids), test).empty());
  EXPECT_EQ(pooled.test_sha256, first.at("data.test_sha256"));
  for (int64_t seed : {1, 2})
    for (double dice : pooled.by_seed.at(seed).at("dice")) EXPECT_TRUE(dice >= 0 && dice <= 1) << dice;

  // The three folds of seed 1 as an ensemble on the test part, with threshold
  // and post-processing chosen on their pooled out-of-fold predictions.
  std::vector<std::string> seed1;
  for (const auto& run : pooled.runs)
    if (run.seed == 1) seed1.push_back(run.run_id);
  ASSERT_EQ(seed1.size(), 3u);
  const std::string store_option = " --store " + (dir / "store");
  const std::string members = seed1[0] + " " + seed1[1] + " " + seed1[2];
  const auto ensemble = test::run_seglab("eval --ensemble " + members +
                                         " --data test --out-of-fold --resolution model --no-masks" + store_option);
  ASSERT_EQ(ensemble.exit_code, 0) << ensemble.output;
  EXPECT_NE(ensemble.output.find("ensemble of 3 runs"), std::string::npos) << ensemble.output;
  const auto evals = store.catalog().evals(seed1[0]);
  ASSERT_EQ(evals.size(), 1u);
  const auto& options = evals[0].options;
  EXPECT_EQ(options.at("ensemble"), seed1[0] + "," + seed1[1] + "," + seed1[2]);
  EXPECT_EQ(options.at("threshold_source"), "out_of_fold");
  EXPECT_EQ(options.at("out_of_fold_images"), "12");
  EXPECT_EQ(evals[0].images, 4);
  EXPECT_EQ(ids_of(store.catalog().image_scores(seed1[0]).at("eval/" + evals[0].name)), test);

  // The recorded choice is the engine's, and its out-of-fold mean Dice is what
  // `eval --data val` with that threshold and post-processing gives on each
  // fold's held-out images, pooled.
  const OutOfFoldChoice choice = choose_on_out_of_fold(store, seed1);
  EXPECT_EQ(options.at("threshold"), format_number(choice.threshold));
  EXPECT_EQ(options.at("postprocess"), choice.postprocess.describe());
  EXPECT_EQ(choice.predictions, 12u);
  for (const auto& [postprocess, dice] : choice.postprocess_dice) EXPECT_LE(dice, choice.mean_dice) << postprocess;
  std::string flags = " --threshold " + format_number(choice.threshold);
  if (choice.postprocess.keep_largest) flags += " --keep-largest";
  if (choice.postprocess.fill_holes) flags += " --fill-holes";
  double sum = 0;
  size_t images = 0;
  for (const auto& id : seed1) {
    const auto on_val = test::run_seglab("eval " + id + " --data val --resolution model --no-masks" + flags + store_option);
    ASSERT_EQ(on_val.exit_code, 0) << on_val.output;
    const auto val_evals = store.catalog().evals(id);
    for (const auto& score : store.catalog().image_scores(id).at("eval/" + val_evals.back().name))
      if (score.metric == "dice") {
        sum += score.value;
        ++images;
      }
  }
  EXPECT_EQ(images, 12u);
  EXPECT_NEAR(sum / static_cast<double>(images), choice.mean_dice, 1e-12);

  // An ensemble is never scored on images its members validated on, and
  // --out-of-fold needs every fold and chooses on its own.
  const auto on_val = test::run_seglab("eval --ensemble " + members + " --data val" + store_option);
  EXPECT_EQ(on_val.exit_code, 2) << on_val.output;
  EXPECT_NE(on_val.output.find("not --data val"), std::string::npos) << on_val.output;
  const auto two_folds = test::run_seglab("eval --ensemble " + seed1[0] + " " + seed1[1] +
                                          " --data test --out-of-fold" + store_option);
  EXPECT_EQ(two_folds.exit_code, 1) << two_folds.output;
  EXPECT_NE(two_folds.output.find("seed 1 lacks fold"), std::string::npos) << two_folds.output;
  const auto fixed = test::run_seglab("eval --ensemble " + members + " --data test --out-of-fold --threshold 0.5" +
                                      store_option);
  EXPECT_EQ(fixed.exit_code, 2) << fixed.output;
  EXPECT_EQ(store.catalog().evals(seed1[0]).size(), 2u);  // the ensemble and its own val eval
}

TEST(CrossValidation, ASweepWhoseRunsWouldHoldOutDifferentTestImagesIsRefused) {
  test::TempDir dir;
  const std::string store = " --store " + (dir / "store");
  test::write_text_file(dir / "varied.ini", cv_sweep("", "data.test_ratio = 0.25, 0.5\n"));
  const auto refused = test::run_seglab("sweep " + (dir / "varied.ini") + " --dry-run" + store);
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("must hold out the same test images"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("data.test_ratio"), std::string::npos) << refused.output;
  // Validation ratio and folds leave the test part alone.
  test::write_text_file(dir / "val.ini", cv_sweep("", "data.val_ratio = 0.2, 0.3\n"));
  const auto accepted = test::run_seglab("sweep " + (dir / "val.ini") + " --dry-run" + store);
  EXPECT_EQ(accepted.exit_code, 0) << accepted.output;
  // data.folds larger than the 12 non-test images.
  test::write_text_file(dir / "many.ini", cv_sweep("folds = 13\n", "seeds = 1\n"));
  const auto too_many = test::run_seglab("sweep " + (dir / "many.ini") + " --dry-run" + store);
  EXPECT_EQ(too_many.exit_code, 1) << too_many.output;
  EXPECT_NE(too_many.output.find("13 folds are more than the 12 non-test samples"), std::string::npos) << too_many.output;
  EXPECT_NE(too_many.output.find("data.folds"), std::string::npos) << too_many.output;
}

}  // namespace
}  // namespace seglab
