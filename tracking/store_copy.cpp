#include "tracking/store_copy.h"

#include <filesystem>
#include <set>

#include "core/error.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

int64_t row_count(const RunRows& r) {
  int64_t n = 1 + static_cast<int64_t>(r.params.size() + r.record.size() + r.tags.size() + r.notes.size() +
                                       r.metrics.size() + r.artifacts.size());
  for (const auto& [source, scores] : r.image_scores) n += static_cast<int64_t>(scores.size());
  for (const auto& e : r.evals) n += 1 + static_cast<int64_t>(e.options.size() + e.metrics.size());
  n += static_cast<int64_t>(r.bench.size());
  return n;
}

int64_t copy_folder(const std::string& from, const std::string& to) {
  if (!fs::exists(from)) return 0;
  std::error_code ec;
  fs::create_directories(to, ec);
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
  if (ec) throw StoreError("cannot copy the run files: " + ec.message(), from, "check space and permissions of " + to);
  int64_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(to))
    if (entry.is_regular_file()) ++files;
  return files;
}

}  // namespace

StoreCopyCounts copy_store(const RunStore& from, RunStore& to) {
  const Catalog& source = from.catalog();
  Catalog& destination = to.catalog();
  const auto runs = source.list_runs();
  const auto sweeps = source.list_sweeps();

  std::set<std::string> taken;
  for (const auto& r : destination.list_runs()) taken.insert(r.id);
  for (const auto& s : destination.list_sweeps()) taken.insert(s.id);
  std::vector<std::string> clashes;
  for (const auto& r : runs)
    if (taken.count(r.id)) clashes.push_back(r.id);
  for (const auto& s : sweeps)
    if (taken.count(s.id)) clashes.push_back(s.id);
  if (!clashes.empty())
    throw StoreError("the destination already has " + std::to_string(clashes.size()) +
                         " of the ids to copy (" + clashes.front() + (clashes.size() > 1 ? ", ..." : "") + ")",
                     to.display(), "copy into an empty store, or delete those runs there first");

  const size_t runs_before = destination.list_runs().size(), sweeps_before = destination.list_sweeps().size();
  StoreCopyCounts counts;
  for (const auto& s : sweeps) {
    counts.files += copy_folder(from.sweep_dir(s.id), to.sweep_dir(s.id));
    destination.create_sweep(s);
    ++counts.sweeps;
  }
  for (const auto& r : runs) {
    const RunRows rows = source.export_run(r.id);
    counts.files += copy_folder(from.run_dir(r.id), to.run_dir(r.id));
    destination.import_run(rows);
    const RunRows copied = destination.export_run(r.id);
    if (row_count(copied) != row_count(rows) || copied.metrics.size() != rows.metrics.size())
      throw StoreError("run " + r.id + " has " + std::to_string(row_count(copied)) + " rows after copying, not " +
                           std::to_string(row_count(rows)),
                       to.display(), "delete the run there and copy again");
    counts.rows += row_count(rows);
    ++counts.runs;
  }
  if (destination.list_runs().size() != runs_before + runs.size() ||
      destination.list_sweeps().size() != sweeps_before + sweeps.size())
    throw StoreError("the destination's run or sweep count does not match after copying", to.display(),
                     "another process wrote the destination meanwhile; check `seglab runs list` there");
  return counts;
}

}  // namespace seglab
