#include "tests/reports/report_store_support.h"

#include <cstdio>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/text.h"
#include "tests/support/test_support.h"
#include "tracking/run_file.h"

namespace seglab::test {

const std::vector<FakeRun>& fake_runs() {
  static const std::vector<FakeRun> runs{{"aaaa0001", "plain", 1, 0.80},
                                         {"aaaa0002", "plain", 2, 0.84},
                                         {"bbbb0001", "resnet34", 1, 0.90},
                                         {"bbbb0002", "resnet34", 2, 0.92}};
  return runs;
}

cv::Mat fake_truth(int index) {
  cv::Mat mask = cv::Mat::zeros(64, 64, CV_8UC1);
  cv::circle(mask, cv::Point(32, 32), 10 + 3 * index, cv::Scalar(1), cv::FILLED);
  return mask;
}

namespace {

// A catalog row for a run being recorded; each fake variant's encoder is its config hash.
RunInfo running_run(const std::string& id, const std::string& name, const std::string& created_at,
                    const std::string& encoder) {
  RunInfo info;
  info.id = id;
  info.name = name;
  info.status = RunStatus::running;
  info.created_at = created_at;
  info.config_hash = encoder;
  return info;
}

}  // namespace

void make_report_store(const std::string& root) {
  RunStore store(root);
  int minute = 0;
  for (const auto& r : fake_runs()) {
    const RunInfo info = running_run(r.id, "ablation", "2026-11-25T10:0" + std::to_string(minute++) + ":00Z", r.encoder);
    const bool big = r.encoder == "resnet34";
    store.catalog().create_run(info,
                               {{"model.encoder", r.encoder}, {"experiment.seed", std::to_string(r.seed)},
                                {"experiment.name", "ablation"}, {"train.lr", "0.001"}},
                               {{"model.parameters", big ? "24000000" : "2000000"}, {"model.gflops", big ? "10.5" : "3.5"}});
    RunFileContents file;
    file.run_id = r.id;
    std::vector<MetricPoint> points;
    for (int epoch = 1; epoch <= 3; ++epoch) {
      // Dice rises to its final value: final - 0.1 * (3 - epoch).
      const double dice = r.final_dice - 0.1 * (3 - epoch);
      const double loss = 1.0 / epoch + 0.01 * r.seed;
      points.push_back({"val.dice", epoch * 10, epoch, dice, 0});
      points.push_back({"val.iou", epoch * 10, epoch, dice * 0.9, 0});
      points.push_back({"train.epoch_loss", epoch * 10, epoch, loss, 0});
      points.push_back({"val.images_per_second", epoch * 10, epoch, big ? 50.0 : 200.0, 0});
      for (const auto& [key, value] : {std::pair<std::string, double>{"val.dice", dice}, {"val.iou", dice * 0.9},
                                       {"train.epoch_loss", loss}}) {
        file.curves[key].epochs.push_back(epoch);
        file.curves[key].values.push_back(value);
      }
    }
    points.push_back({"eval.val.dice", 30, 3, r.final_dice, 0});
    store.catalog().log_metrics(r.id, points);
    store.catalog().set_status(r.id, RunStatus::finished);
    std::filesystem::create_directories(store.run_dir(r.id));
    write_run_file(store.run_file(r.id), file);

    const std::string eval = store.run_dir(r.id) + "/eval/val-best";
    std::filesystem::create_directories(eval + "/masks");
    std::string csv = "id,dice,iou\n";
    for (int i = 0; i < 5; ++i) {
      // img0 is the easiest image, img4 the hardest, for every run.
      const double dice = r.final_dice - 0.05 * i;
      csv += "img" + std::to_string(i) + "," + format_number(dice) + "," + format_number(dice * 0.9) + "\n";
      cv::Mat predicted = fake_truth(i) * 255;
      cv::circle(predicted, cv::Point(40, 30), 6, cv::Scalar(255), cv::FILLED);
      cv::imwrite(eval + "/masks/img" + std::to_string(i) + ".png", predicted);
    }
    write_text_file(eval + "/per_image.csv", csv);
    write_text_file(eval + "/confusion_matrix.csv", big ? "true\\predicted,background,lesion\nbackground,900,100\nlesion,50,950\n"
                                                        : "true\\predicted,background,lesion\nbackground,800,200\nlesion,100,900\n");
  }
}

void make_curve_store(const std::string& root, const std::vector<CurveRun>& runs) {
  RunStore store(root);
  int minute = 0;
  for (const auto& r : runs) {
    const RunInfo info = running_run(r.id, "curves", "2026-11-26T10:0" + std::to_string(minute++) + ":00Z", r.encoder);
    store.catalog().create_run(info,
                               {{"model.encoder", r.encoder}, {"experiment.seed", std::to_string(r.seed)},
                                {"experiment.name", "curves"}},
                               {});
    store.catalog().set_status(r.id, RunStatus::finished);
    RunFileContents file;
    file.run_id = r.id;
    for (size_t i = 0; i < r.dice.size(); ++i) {
      file.curves["val.dice"].epochs.push_back(static_cast<double>(i + 1));
      file.curves["val.dice"].values.push_back(r.dice[i]);
    }
    std::filesystem::create_directories(store.run_dir(r.id));
    write_run_file(store.run_file(r.id), file);
  }
}

SampleSource fake_sample_source() {
  return [](const ReportRun&, const std::string& id) -> std::optional<GridSample> {
    if (id.size() != 4 || id.rfind("img", 0) != 0) return std::nullopt;
    const int index = id[3] - '0';
    GridSample s;
    s.truth = fake_truth(index);
    s.image = cv::Mat(64, 64, CV_8UC3, cv::Scalar(180, 200, 220));
    s.image.setTo(cv::Scalar(60, 70, 120), s.truth);
    return s;
  };
}

}  // namespace seglab::test

namespace seglab::test {

const std::map<std::string, std::string>& scored_record() {
  static const std::map<std::string, std::string> record{
      {"data.description", "PH2 dermoscopy images"}, {"data.fingerprint", "f00dfeed12345678" + std::string(48, 'a')},
      {"data.samples", "200"}, {"data.split", "ratio 0.2, seed 7, stratified by clinical_diagnosis"},
      {"data.train_samples", "130"}, {"data.val_samples", "40"}, {"data.test_samples", "30"},
      {"seglab.version", "0.1.0"}, {"seglab.git_commit", "abcdef1234567890"}, {"backend.name", "onednn"},
      {"lib.libtorch", "1.13.1"}, {"lib.onednn", "2.7.3"}};
  return record;
}

namespace {

// A k-fold run's record as datasets/split.cpp describes it: its own fold,
// and the 170 non-test images divided into train and val by the fold.
std::map<std::string, std::string> fold_record(const std::string& fold) {
  auto record = scored_record();
  if (fold.empty()) return record;
  record["data.split"] = "fold " + fold + ", test ratio 0.15, seed 7, stratified by clinical_diagnosis";
  const bool first = fold.rfind("1 of", 0) == 0;
  record["data.train_samples"] = first ? "113" : "114";
  record["data.val_samples"] = first ? "57" : "56";
  return record;
}

}  // namespace

void make_scored_store(const std::string& root, const std::vector<ScoredRun>& runs) {
  RunStore store(root);
  int second = 0;
  for (const auto& r : runs) {
    RunInfo info;
    info.id = r.id;
    info.name = "scored";
    info.status = RunStatus::running;
    char created[32];
    std::snprintf(created, sizeof created, "2026-11-27T10:%02d:%02dZ", second / 60, second % 60);
    ++second;
    info.created_at = created;
    info.config_hash = r.encoder + r.fold;
    std::map<std::string, std::string> params{{"model.encoder", r.encoder}, {"experiment.seed", std::to_string(r.seed)},
                                              {"experiment.name", "scored"}, {"train.monitor", "val.dice"},
                                              {"train.epochs", "12"}, {"data.split_seed", "7"},
                                              {"data.stratify", "clinical_diagnosis"}};
    if (!r.fold.empty()) params["data.fold"] = r.fold;
    store.catalog().create_run(info, params, fold_record(r.fold));
    store.catalog().set_status(r.id, RunStatus::finished);
    std::filesystem::create_directories(store.run_dir(r.id));
    EvalRecord eval;
    eval.run_id = r.id;
    eval.name = r.data + "-best";
    eval.created_at = created;
    eval.images = static_cast<int64_t>(r.dice.size());
    eval.options = {{"data", r.data}, {"checkpoint", "best"}, {"threshold", "0.45"}, {"threshold_source", "config"},
                    {"tta", "none"}, {"postprocess", "none"}, {"resolution", "original"}};
    store.catalog().add_eval(eval);
    const auto record_scores = [&](const std::string& name, double gain) {
      std::vector<ImageScore> scores;
      for (const auto& [id, dice] : r.dice) {
        scores.push_back({id, "dice", dice + gain});
        scores.push_back({id, "iou", (dice + gain) * 0.9});
        if (r.boundary)
          scores.push_back({id, "boundary_iou", (dice + gain) * 0.8}), scores.push_back({id, "nsd", (dice + gain) * 0.95});
      }
      store.catalog().set_image_scores(r.id, "eval/" + name, scores);
    };
    record_scores(eval.name, 0);
    if (r.tuned_gain > 0) {
      EvalRecord tuned = eval;
      tuned.name = r.data + "-best-tval-tta_d4-largest";
      tuned.options = {{"data", r.data}, {"checkpoint", "best"}, {"threshold", "0.4"}, {"threshold_source", "val"},
                       {"tta", "d4"}, {"postprocess", "largest"}, {"resolution", "original"}};
      store.catalog().add_eval(tuned);
      record_scores(tuned.name, r.tuned_gain);
    }
  }
}

}  // namespace seglab::test
