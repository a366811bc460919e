// `seglab eval` and the catalog, through the binary: the eval's per-image
// scores (source "eval/<name>") and its files (tables, mask and overlay
// folders) are recorded so `runs show` and `runs export` find them; bad
// samples of a generated folder (a truncated JPEG) are left out and listed
// under data.on_bad_sample = skip exactly as training lists them, and stop the
// eval under error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/sha256.h"
#include "tests/datasets/dataset_test_support.h"
#include "tests/support/test_support.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

class EvalCatalog : public ::testing::Test {
 protected:
  // Eight 40x30 pairs, g.jpg truncated to a third; a tiny run trained on them
  // with data.on_bad_sample = skip.
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    for (const char* id : {"a", "b", "c", "d", "e", "f", "h", "i"})
      test::write_pair(data() + "/images/" + id + ".png", data() + "/masks/" + id + ".png");
    test::write_pair(data() + "/images/g.jpg", data() + "/masks/g.png");
    const std::string jpeg = test::read_text_file(data() + "/images/g.jpg");
    test::write_text_file(data() + "/images/g.jpg", jpeg.substr(0, jpeg.size() / 3));
    test::write_text_file(*dir_ / "skip.ini", "[experiment]\nname = skippy\nseed = 3\n[data]\nadapter = folder\nroot = " +
                                                  data() + "\nimage_size = 32\nval_ratio = 0.25\non_bad_sample = skip\n"
                                                  "[model]\nbase_channels = 4\ndepth = 2\n[backend]\ndevice = cpu\n"
                                                  "[train]\nbatch_size = 3\nepochs = 1\n");
    train_ = new test::CommandResult(test::run_seglab("train " + (*dir_ / "skip.ini") + store()));
    ASSERT_EQ(train_->exit_code, 0) << train_->output;
    std::smatch match;
    ASSERT_TRUE(std::regex_search(train_->output, match, std::regex("run ([0-9a-f]{8})"))) << train_->output;
    id_ = match[1].str();
  }
  static void TearDownTestSuite() {
    delete train_;
    delete dir_;
  }
  static std::string data() { return *dir_ / "data"; }
  static std::string store() { return " --store " + (*dir_ / "store"); }
  static std::string run_dir() { return *dir_ / ("store/runs/" + id_); }
  static test::CommandResult eval(const std::string& args) { return test::run_seglab("eval " + id_ + " " + args + store()); }

  static test::TempDir* dir_;
  static test::CommandResult* train_;
  static std::string id_;
};
test::TempDir* EvalCatalog::dir_ = nullptr;
test::CommandResult* EvalCatalog::train_ = nullptr;
std::string EvalCatalog::id_;

TEST_F(EvalCatalog, SkippedSamplesAreLeftOutAndListedAsInTraining) {
  const std::string listed = "  " + data() + "/images/g.jpg: ";
  const size_t in_training = train_->output.find(listed);
  ASSERT_NE(in_training, std::string::npos) << train_->output;
  const std::string problem = train_->output.substr(in_training, train_->output.find('\n', in_training) - in_training);

  const auto r = eval("--data all");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("all split: 8 images\nskipped 1 bad sample (data.on_bad_sample = skip; listed in skipped.csv):\n" +
                          problem + "\n"),
            std::string::npos)
      << r.output;
  const std::string out = run_dir() + "/eval/all-best";
  const std::string skipped = test::read_text_file(out + "/skipped.csv");
  EXPECT_EQ(skipped.rfind("id,path,problem\ng," + data() + "/images/g.jpg,", 0), 0u) << skipped;
  EXPECT_NE(skipped.find("truncated JPEG"), std::string::npos) << skipped;
  std::set<std::string> masks;
  for (const auto& f : fs::directory_iterator(out + "/masks")) masks.insert(f.path().stem().string());
  EXPECT_EQ(masks, (std::set<std::string>{"a", "b", "c", "d", "e", "f", "h", "i"}));

  RunStore runs(*dir_ / "store");
  const auto evals = runs.catalog().evals(id_);
  ASSERT_FALSE(evals.empty());
  EXPECT_EQ(evals.back().images, 8);
  EXPECT_EQ(evals.back().options.at("skipped_samples"), "1");
  // The validation split is the training run's, bad sample removed the same way.
  const auto record = runs.catalog().record(id_);
  const auto val = eval("--data val");
  ASSERT_EQ(val.exit_code, 0) << val.output;
  EXPECT_NE(val.output.find("val split: " + record.at("data.val_samples") + " images"), std::string::npos) << val.output;
}

TEST_F(EvalCatalog, ABadSampleStopsTheEvalUnderError) {
  test::write_text_file(*dir_ / "strict.ini", "[data]\nadapter = folder\nroot = " + data() + "\n");
  const auto r = eval("--data " + (*dir_ / "strict.ini"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output.rfind("error: " + data() + "/images/g.jpg: ", 0), 0u) << r.output;
  EXPECT_NE(r.output.find("data.on_bad_sample = skip"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(run_dir() + "/eval/strict-best"));
}

TEST_F(EvalCatalog, PerImageScoresAndFilesAreInTheCatalog) {
  const auto r = eval("--data train --checkpoint last");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string out = run_dir() + "/eval/train-last";

  // Per-image scores under "eval/train-last", equal to per_image.csv.
  RunStore runs(*dir_ / "store");
  const auto sources = runs.catalog().image_scores(id_);
  ASSERT_EQ(sources.count("eval/train-last"), 1u);
  std::map<std::pair<std::string, std::string>, double> scores;
  for (const auto& s : sources.at("eval/train-last")) scores[{s.image_id, s.metric}] = s.value;
  std::istringstream csv(test::read_text_file(out + "/per_image.csv"));
  std::string line;
  std::getline(csv, line);
  std::vector<std::string> header;
  std::stringstream hs(line);
  for (std::string cell; std::getline(hs, cell, ',');) header.push_back(cell);
  size_t images = 0, checked = 0;
  while (std::getline(csv, line)) {
    ++images;
    std::stringstream ls(line);
    std::string id, cell;
    std::getline(ls, id, ',');
    for (size_t k = 1; std::getline(ls, cell, ',') && k < header.size(); ++k) {
      if (cell.empty()) continue;
      ASSERT_EQ(scores.count({id, header[k]}), 1u) << id << " " << header[k];
      EXPECT_NEAR(scores.at({id, header[k]}), std::stod(cell), 1e-9 + 1e-6 * std::abs(std::stod(cell)));
      ++checked;
    }
  }
  EXPECT_GT(images, 0u);
  EXPECT_EQ(checked, scores.size());

  // Every file of the eval is an artifact with its size and hash; the mask
  // folder with its total size.
  std::map<std::string, Artifact> artifacts;
  for (const auto& a : runs.catalog().artifacts(id_)) artifacts[a.path] = a;
  for (const char* file : {"per_image.csv", "summary.csv", "summary.json", "confusion_matrix.csv", "per_class.csv"}) {
    const std::string path = std::string("eval/train-last/") + file;
    ASSERT_EQ(artifacts.count(path), 1u) << path;
    EXPECT_EQ(artifacts.at(path).kind, "eval");
    EXPECT_EQ(artifacts.at(path).bytes, static_cast<int64_t>(fs::file_size(out + "/" + file)));
    EXPECT_EQ(artifacts.at(path).sha256, sha256_file(out + "/" + file));
  }
  ASSERT_EQ(artifacts.count("eval/train-last/masks/"), 1u);
  int64_t mask_bytes = 0;
  size_t masks = 0;
  for (const auto& f : fs::directory_iterator(out + "/masks")) mask_bytes += static_cast<int64_t>(f.file_size()), ++masks;
  EXPECT_EQ(masks, images);
  EXPECT_EQ(artifacts.at("eval/train-last/masks/").kind, "eval_masks");
  EXPECT_EQ(artifacts.at("eval/train-last/masks/").bytes, mask_bytes);
  EXPECT_EQ(artifacts.at("eval/train-last/overlays/").kind, "eval_overlays");

  // `runs show` lists them.
  const auto show = test::run_seglab("runs show " + id_ + store());
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find(" eval/train-last/masks/ ("), std::string::npos) << show.output;
  EXPECT_NE(show.output.find(" eval/train-last (" + std::to_string(images) + " images)"), std::string::npos) << show.output;
  // And `runs export` carries them.
  const auto exported = test::run_seglab("runs export " + id_ + " -o " + (*dir_ / "export") + store());
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_NE(test::read_text_file(*dir_ / "export/image_scores.csv").find("eval/train-last,"), std::string::npos);
}

}  // namespace
}  // namespace seglab
