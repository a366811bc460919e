// `seglab eval` end to end through the binary on a tiny trained run: the
// results folder, scores that agree with the masks it wrote, original
// resolution on the real PH2 images, a reproducible validation threshold, the
// options recorded per eval, and bad options that leave nothing behind. Each
// test trains the tiny run once (three epochs of 15 32x32 images).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <opencv2/imgcodecs.hpp>

#include "core/confusion_matrix.h"
#include "core/segmentation_metrics.h"
#include "datasets/dataset_adapter.h"
#include "datasets/image_io.h"
#include "engine/experiment.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_experiment.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

const std::string kTinyExperiment = test::TinyExperiment{"tiny-eval", 5, 20, 3}.ini();

using Table = std::vector<std::map<std::string, std::string>>;

Table read_csv(const std::string& path) {
  std::istringstream in(test::read_text_file(path));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream hs(line);
  for (std::string cell; std::getline(hs, cell, ',');) header.push_back(cell);
  Table rows;
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    std::map<std::string, std::string> row;
    size_t i = 0;
    for (std::string cell; std::getline(ls, cell, ',') && i < header.size(); ++i) row[header[i]] = cell;
    rows.push_back(row);
  }
  return rows;
}

size_t files_in(const std::string& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}));
}

class Eval : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    test::write_text_file(*dir_ / "tiny.ini", kTinyExperiment);
    const auto train = test::run_seglab("train " + (*dir_ / "tiny.ini") + store());
    ASSERT_EQ(train.exit_code, 0) << train.output;
    id_ = test::trained_run_id(train.output, "tiny-eval");
    ASSERT_FALSE(id_.empty());
    // The real PH2 images as an external data set for the tiny run.
    test::write_text_file(*dir_ / "ph2.ini", "[data]\nadapter = folder\nroot = " + test::shared_data("skin-lesions") +
                                                 "\nmask_suffix = _lesion\n");
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string store() { return " --store " + (*dir_ / "store"); }
  static std::string eval_dir(const std::string& name) { return *dir_ / ("store/runs/" + id_ + "/eval/" + name); }
  static test::CommandResult eval(const std::string& args) { return test::run_seglab("eval " + id_ + " " + args + store()); }

  static test::TempDir* dir_;
  static std::string id_;
};
test::TempDir* Eval::dir_ = nullptr;
std::string Eval::id_;

std::string chosen_threshold(const std::string& output) {
  std::smatch match;
  EXPECT_TRUE(std::regex_search(output, match, std::regex("threshold ([0-9.]+) \\(val\\), tta none"))) << output;
  return match.size() > 1 ? match[1].str() : "";
}

// The tiny run predicts little at 0.5 after three epochs; the threshold chosen
// on validation gives masks with lesion and background to score.
TEST_F(Eval, WritesTheResultsFolderWithScoresOfTheMasksItWrote) {
  const auto r = eval("--threshold val");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("val split: 5 images"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("post-processing none, scored at original resolution"), std::string::npos) << r.output;
  const std::string threshold = chosen_threshold(r.output);
  // Chosen again, the threshold is the same, and the folder of the same name is replaced.
  const auto again = eval("--threshold val");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(chosen_threshold(again.output), threshold);
  {
    RunStore runs(*dir_ / "store");
    const auto evals = runs.catalog().evals(id_);
    ASSERT_EQ(evals.size(), 2u);
    EXPECT_EQ(evals[1].options.at("threshold"), threshold);
    EXPECT_EQ(evals[1].options.at("threshold_source"), "val");
  }
  const std::string out = eval_dir("val-best-tval");
  for (const char* file : {"per_image.csv", "summary.csv", "summary.json", "confusion_matrix.csv", "per_class.csv"})
    EXPECT_TRUE(fs::exists(out + "/" + file)) << file;
  EXPECT_EQ(files_in(out + "/masks"), 5u);
  EXPECT_EQ(files_in(out + "/overlays"), 5u);

  // Each image's scores are those of the mask written for it against its ground truth.
  const Config config = load_experiment(*dir_ / "tiny.ini");
  const auto dataset = make_adapter(config);
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < dataset->size(); ++i) index_of[dataset->id(i)] = i;
  const Table per_image = read_csv(out + "/per_image.csv");
  ASSERT_EQ(per_image.size(), 5u);
  ConfusionMatrix pooled(2);
  for (const auto& row : per_image) {
    const cv::Mat written = cv::imread(out + "/masks/" + row.at("id") + ".png", cv::IMREAD_UNCHANGED) / 255;
    const cv::Mat truth = dataset->load(index_of.at(row.at("id"))).mask;
    ASSERT_EQ(written.size(), truth.size());
    ConfusionMatrix m(2);
    m.add(written.data, truth.data, written.total());
    pooled.merge(m);
    const Scores s = image_scores(m);
    const Scores b = boundary_scores(written.data, truth.data, written.rows, written.cols, 2);
    for (const char* name : {"dice", "iou", "recall", "precision", "isic_jaccard"})
      EXPECT_NEAR(std::stod(row.at(name)), s.at(name), 1e-9) << name;
    EXPECT_NEAR(std::stod(row.at("hd95")), b.at("hd95"), 1e-9);
    EXPECT_NEAR(std::stod(row.at("assd")), b.at("assd"), 1e-9);
    EXPECT_NEAR(std::stod(row.at("boundary_iou")), b.at("boundary_iou"), 1e-9);  // always, at d = 0.02
    EXPECT_EQ(row.count("hd95_mm"), 0u);  // the synthetic data has no pixel spacing
    EXPECT_EQ(row.count("nsd"), 0u);      // no tolerance given, no NSD
  }
  const Table confusion = read_csv(out + "/confusion_matrix.csv");
  ASSERT_EQ(confusion.size(), 2u);
  EXPECT_EQ(std::stoll(confusion[1].at("class1")), pooled.at(1, 1));
  EXPECT_EQ(std::stoll(confusion[0].at("class1")), pooled.at(0, 1));
  const Table per_class = read_csv(out + "/per_class.csv");
  ASSERT_EQ(per_class.size(), 2u);
  EXPECT_NEAR(std::stod(per_class[1].at("iou")), class_scores(pooled, 1).iou, 1e-9);
  EXPECT_NEAR(std::stod(per_class[0].at("recall")), class_scores(pooled, 0).recall, 1e-9);
  const std::string json = test::read_text_file(out + "/summary.json");
  EXPECT_NE(json.find("\"threshold\": " + threshold + ","), std::string::npos) << json;
  EXPECT_NE(json.find("\"eval_id\": 2,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"hd95\": {\"mean\": "), std::string::npos) << json;
  EXPECT_NE(json.find("\"pooled\": null"), std::string::npos);  // hd95 has no pooled figure
}

TEST_F(Eval, ScoresRealImagesAtTheirOriginalResolutionInPixelsAndMm) {
  const auto r = eval("--data " + (*dir_ / "ph2.ini") + " --threshold val --pixel-spacing-mm 0.02");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("90 images"), std::string::npos) << r.output;
  const std::string out = eval_dir("ph2-best-tval-px0.02mm");
  const Table per_image = read_csv(out + "/per_image.csv");
  ASSERT_EQ(per_image.size(), 90u);
  for (size_t i = 0; i < per_image.size(); i += 30) {
    const auto& row = per_image[i];
    const std::string id = row.at("id");
    const cv::Mat written = cv::imread(out + "/masks/" + id + ".png", cv::IMREAD_UNCHANGED) / 255;
    const cv::Mat truth = read_binary_mask(test::shared_data("skin-lesions/masks/" + id + "_lesion.bmp"));
    ASSERT_EQ(written.size(), truth.size()) << id;  // the original size, not 32x32
    ConfusionMatrix m(2);
    m.add(written.data, truth.data, written.total());
    EXPECT_NEAR(std::stod(row.at("dice")), image_scores(m).at("dice"), 1e-9) << id;
    EXPECT_NEAR(std::stod(row.at("hd95_mm")), 0.02 * std::stod(row.at("hd95")), 1e-9) << id;
    EXPECT_NEAR(std::stod(row.at("assd_mm")), 0.02 * std::stod(row.at("assd")), 1e-9) << id;
  }
  // At the model's resolution the masks are 32x32.
  const auto model = eval("--data " + (*dir_ / "ph2.ini") + " --resolution model --no-masks");
  ASSERT_EQ(model.exit_code, 0) << model.output;
  EXPECT_EQ(read_csv(eval_dir("ph2-best-model_res") + "/per_image.csv").size(), 90u);
  EXPECT_EQ(files_in(eval_dir("ph2-best-model_res") + "/masks"), 0u);
}

TEST_F(Eval, RecordsEachEvalWithItsOptionsAndRefusesBadOnes) {
  // The suite's run is shared: other tests may have recorded evals already.
  const size_t before = RunStore(*dir_ / "store").catalog().evals(id_).size();
  ASSERT_EQ(eval("--checkpoint last").exit_code, 0);
  const auto tta = eval("--checkpoint last --tta d4 --keep-largest --fill-holes --min-area 3");
  ASSERT_EQ(tta.exit_code, 0) << tta.output;
  const std::string name = "val-last-tta_d4-min3+largest+holes";
  EXPECT_TRUE(fs::exists(eval_dir(name) + "/summary.json"));
  RunStore runs(*dir_ / "store");
  const auto evals = runs.catalog().evals(id_);
  ASSERT_EQ(evals.size(), before + 2);
  const EvalRecord& plain = evals[before];
  const EvalRecord& with_tta = evals[before + 1];
  EXPECT_EQ(plain.options.at("tta"), "none");
  EXPECT_EQ(with_tta.options.at("tta"), "d4");
  EXPECT_EQ(with_tta.options.at("postprocess"), "min3+largest+holes");
  EXPECT_EQ(with_tta.options.at("checkpoint"), "last");
  EXPECT_EQ(with_tta.name, name);
  EXPECT_EQ(with_tta.images, 5);
  EXPECT_TRUE(with_tta.metrics.count("dice") && with_tta.metrics.count("hd95"));
  const auto list = test::run_seglab("eval " + id_ + " --list" + store());
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("min3+largest+holes"), std::string::npos) << list.output;

  // Bad options are refused before anything is written or recorded.
  const size_t recorded = evals.size();
  const auto typo = eval("--tta flip");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.output.find("did you mean 'flips'"), std::string::npos) << typo.output;
  EXPECT_EQ(eval("--threshold 1.5").exit_code, 2);
  EXPECT_EQ(eval("--resolution full").exit_code, 2);
  const auto test_split = eval("--data test");
  EXPECT_EQ(test_split.exit_code, 1);
  EXPECT_NE(test_split.output.find("has no test part"), std::string::npos) << test_split.output;
  EXPECT_NE(test_split.output.find("data.test_ratio"), std::string::npos) << test_split.output;
  EXPECT_EQ(eval("--data " + (*dir_ / "missing.ini")).exit_code, 1);
  EXPECT_EQ(runs.catalog().evals(id_).size(), recorded);
  const std::string evals_dir = *dir_ / ("store/runs/" + id_ + "/eval");
  for (const auto& entry : fs::directory_iterator(evals_dir))
    EXPECT_EQ(entry.path().filename().string().find(".partial"), std::string::npos) << entry.path();
}

// NSD only with a tolerance, recorded beside it (and Boundary IoU's d), so a
// reader of the catalog or of summary.json knows what the numbers mean.
TEST_F(Eval, RecordsNsdWithItsToleranceAndBoundaryIouWithItsBand) {
  // The plain eval first: the scoring settings below must not replace its folder.
  ASSERT_EQ(eval("--threshold val").exit_code, 0);
  const std::string plain_header = test::read_text_file(eval_dir("val-best-tval") + "/per_image.csv").substr(0, 200);
  const size_t before = RunStore(*dir_ / "store").catalog().evals(id_).size();
  const auto r = eval("--threshold val --nsd-tolerance 2 --boundary-iou-dilation 0.05");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("boundary_iou: band width 0.05 of the image diagonal; nsd: surface within 2 px"),
            std::string::npos)
      << r.output;
  {
    RunStore runs(*dir_ / "store");
    const auto evals = runs.catalog().evals(id_);
    ASSERT_EQ(evals.size(), before + 1);
    const EvalRecord& e = evals.back();
    EXPECT_EQ(e.options.at("nsd_tolerance"), "2");
    EXPECT_EQ(e.options.at("boundary_iou_dilation"), "0.05");
    ASSERT_TRUE(e.metrics.count("nsd") && e.metrics.count("boundary_iou"));
    EXPECT_GE(e.metrics.at("nsd").mean, 0.0);
    EXPECT_LE(e.metrics.at("nsd").mean, 1.0);
    EXPECT_EQ(e.metrics.count("nsd_mm"), 0u);  // the synthetic data has no pixel spacing
  }
  const std::string out = eval_dir("val-best-tval-nsd2-biou0.05");
  EXPECT_NE(test::read_text_file(out + "/summary.json").find("\"nsd_tolerance\": \"2\""), std::string::npos);
  // The plain eval keeps its folder (no nsd column) and its own name.
  EXPECT_EQ(test::read_text_file(eval_dir("val-best-tval") + "/per_image.csv").substr(0, 200), plain_header);
  EXPECT_EQ(plain_header.find("nsd"), std::string::npos) << plain_header;
  EXPECT_EQ(RunStore(*dir_ / "store").catalog().evals(id_).back().name, "val-best-tval-nsd2-biou0.05");
  // --list shows the tolerance.
  const auto list = test::run_seglab("eval " + id_ + " --list" + store());
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("nsd_tol"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("val-best-tval-nsd2-biou0.05"), std::string::npos) << list.output;
  // Each image's scores are those of its written mask at the recorded tolerance and band.
  const Config config = load_experiment(*dir_ / "tiny.ini");
  const auto dataset = make_adapter(config);
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < dataset->size(); ++i) index_of[dataset->id(i)] = i;
  BoundaryOptions options;
  options.nsd_tolerance = 2.0;
  options.boundary_iou_dilation = 0.05;
  const Table per_image = read_csv(out + "/per_image.csv");
  ASSERT_EQ(per_image.size(), 5u);
  for (const auto& row : per_image) {
    const cv::Mat written = cv::imread(out + "/masks/" + row.at("id") + ".png", cv::IMREAD_UNCHANGED) / 255;
    const cv::Mat truth = dataset->load(index_of.at(row.at("id"))).mask;
    const Scores b = boundary_scores(written.data, truth.data, written.rows, written.cols, 2, options);
    EXPECT_NEAR(std::stod(row.at("nsd")), b.at("nsd"), 1e-9) << row.at("id");
    EXPECT_NEAR(std::stod(row.at("boundary_iou")), b.at("boundary_iou"), 1e-9) << row.at("id");
  }

  // Bad values are refused before anything is recorded.
  EXPECT_EQ(eval("--nsd-tolerance -1").exit_code, 2);
  EXPECT_EQ(eval("--boundary-iou-dilation 0").exit_code, 2);
  EXPECT_EQ(RunStore(*dir_ / "store").catalog().evals(id_).size(), before + 1);
}

}  // namespace
}  // namespace seglab
