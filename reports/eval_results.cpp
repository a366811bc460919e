#include "reports/eval_results.h"

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/text.h"
#include "reports/variant_scores.h"

namespace seglab {
namespace {

std::map<std::string, std::map<std::string, double>> read_per_image_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw StoreError("cannot read the per-image scores", path, "run `seglab eval` again");
  std::string line;
  std::getline(in, line);
  const auto header = split_list(line, ',');
  if (header.empty() || header[0] != "id") throw StoreError("per-image scores lack their 'id' column", path, "run `seglab eval` again");
  std::map<std::string, std::map<std::string, double>> rows;
  int line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (trim(line).empty()) continue;
    const auto cells = split_list(line, ',');
    if (cells.size() != header.size())
      throw StoreError("line " + std::to_string(line_number) + " has " + std::to_string(cells.size()) +
                           " fields, the header " + std::to_string(header.size()),
                       path, "run `seglab eval` again");
    auto& row = rows[cells[0]];
    for (size_t i = 1; i < cells.size(); ++i) {
      try {
        row[header[i]] = std::stod(cells[i]);
      } catch (const std::exception&) {
        throw StoreError("'" + cells[i] + "' in column " + header[i] + " is not a number", path + ":" + std::to_string(line_number),
                         "run `seglab eval` again");
      }
    }
  }
  return rows;
}

}  // namespace

std::optional<EvalResults> find_eval_results(const ReportRun& run, const std::string& data, const std::string& eval) {
  const std::string root = run.dir + "/eval";
  std::vector<std::string> labels;
  if (!run.evals.empty()) {
    if (const EvalRecord* e = latest_eval(run, data, eval)) labels.push_back(e->name);
  } else if (eval.empty()) {
    labels = {data + "-best", data + "-last"};
    if (data == "val") labels.insert(labels.end(), {"all-best", "all-last"});
  } else {
    labels = {eval};
  }
  for (const std::string& label : labels) {
    const std::string dir = root + "/" + label;
    if (!std::filesystem::exists(dir + "/per_image.csv")) continue;
    EvalResults r;
    r.dir = dir;
    r.label = label;
    r.run = &run;
    r.per_image = read_per_image_csv(dir + "/per_image.csv");
    return r;
  }
  return std::nullopt;
}

bool has_masks(const EvalResults& e) {
  if (e.per_image.empty()) return false;
  for (const auto& [id, scores] : e.per_image)
    if (!std::filesystem::exists(e.mask_path(id))) return false;
  return true;
}

}  // namespace seglab
