#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include <random>

#include "core/error.h"
#include "core/text.h"
#include "engine/cli/command_options.h"
#include "engine/cli/runs_actions.h"
#include "tracking/process_identity.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace seglab {
namespace {

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string exact(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

void write_lines(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw StoreError("cannot write " + path.filename().string(), path.string(), "check the disk space");
}

}  // namespace

int runs_tag(const std::vector<std::string>& args) {
  std::vector<std::string> words;
  std::string store;
  po::options_description options("runs tag options");
  options.add_options()("words", po::value<std::vector<std::string>>(&words), "run id, then tags")(
      "remove", "remove the tags instead of adding them");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("words", -1);
  po::variables_map values;
  if (!parse_command(args, "runs tag <id> <tag>... [--remove]", options, positional, values)) return 0;
  if (words.size() < 2) throw UsageError("expected a run id and at least one tag", "seglab runs tag", "e.g. seglab runs tag 3f9a baseline");
  RunStore run_store(RunStore::resolve_path(store));
  const RunInfo run = run_store.catalog().find_run(words[0]);
  const std::vector<std::string> tags(words.begin() + 1, words.end());
  for (const auto& tag : tags)
    if (tag.empty() || tag.find_first_of(", \t") != std::string::npos)
      throw UsageError("tag '" + tag + "' has a space or comma", "seglab runs tag", "use one word per tag");
  if (values.count("remove")) run_store.catalog().remove_tags(run.id, tags);
  else run_store.catalog().add_tags(run.id, tags);
  const auto now = run_store.catalog().tags(run.id);
  std::cout << "run " << run.id << " tags: " << (now.empty() ? "(none)" : join(now, ", ")) << "\n";
  return 0;
}

int runs_note(const std::vector<std::string>& args) {
  std::vector<std::string> words;
  std::string store;
  po::options_description options("runs note options");
  options.add_options()("words", po::value<std::vector<std::string>>(&words), "run id, then the note");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("words", -1);
  po::variables_map values;
  if (!parse_command(args, "runs note <id> <text>", options, positional, values)) return 0;
  if (words.size() < 2) throw UsageError("expected a run id and a note", "seglab runs note", "e.g. seglab runs note 3f9a \"lr too high\"");
  RunStore run_store(RunStore::resolve_path(store));
  const RunInfo run = run_store.catalog().find_run(words[0]);
  run_store.catalog().add_note(run.id, join(std::vector<std::string>(words.begin() + 1, words.end()), " "));
  std::cout << "run " << run.id << ": " << run_store.catalog().notes(run.id).size() << " note(s)\n";
  return 0;
}

int runs_delete(const std::vector<std::string>& args) {
  std::vector<std::string> ids;
  std::string store;
  po::options_description options("runs delete options");
  options.add_options()("run", po::value<std::vector<std::string>>(&ids), "run ids (or unique prefixes)")(
      "yes,y", "do not ask for confirmation");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("run", -1);
  po::variables_map values;
  if (!parse_command(args, "runs delete <id>... [--yes]", options, positional, values)) return 0;
  if (ids.empty()) throw UsageError("no run id given", "seglab runs delete", "see `seglab runs list`");
  RunStore run_store(RunStore::resolve_path(store));
  run_store.catalog().mark_dead_runs();
  std::vector<RunInfo> runs;
  for (const auto& id : ids) {
    const RunInfo run = run_store.catalog().find_run(id);
    if (run.status == RunStatus::running)
      throw StoreError("run " + run.id + " is still running (pid " + std::to_string(run.pid) + " on " + run.host + ")",
                       run_store.catalog().path(), "stop it first");
    runs.push_back(run);
  }
  if (!values.count("yes")) {
    std::cout << "delete " << runs.size() << " run(s) and their folders:";
    for (const auto& r : runs) std::cout << " " << r.id << " \"" << r.name << "\"";
    std::cout << "? [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "y" && answer != "Y" && answer != "yes") {
      std::cout << "nothing deleted\n";
      return 1;
    }
  }
  for (const auto& r : runs) {
    // Catalog first: a crash in between leaves an orphan folder, never a run without its files.
    run_store.catalog().delete_run(r.id);
    std::error_code ec;
    fs::remove_all(run_store.run_dir(r.id), ec);
    std::cout << "deleted run " << r.id << "\n";
  }
  return 0;
}

int runs_export(const std::vector<std::string>& args) {
  std::string run_id, output, store;
  po::options_description options("runs export options");
  options.add_options()("run", po::value<std::string>(&run_id), "run id (or a unique prefix)")(
      "output,o", po::value<std::string>(&output), "folder to create");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("run", 1);
  po::variables_map values;
  if (!parse_command(args, "runs export <id> -o <dir>", options, positional, values)) return 0;
  if (run_id.empty() || output.empty()) throw UsageError("expected a run id and -o <dir>", "seglab runs export", "e.g. seglab runs export 3f9a -o exported/");
  std::error_code ec;
  if (fs::exists(output, ec) && !fs::is_empty(output, ec))
    throw UsageError("the output folder is not empty", output, "choose a new folder");

  RunStore run_store(RunStore::resolve_path(store));
  const Catalog& catalog = run_store.catalog();
  const RunInfo run = catalog.find_run(run_id);
  // Built beside the target and renamed at the end, so a failure leaves no half export.
  const fs::path target = fs::absolute(output);
  const fs::path staging = target.parent_path() / (target.filename().string() + ".partial-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  fs::create_directories(staging);
  try {
    if (fs::exists(run_store.run_dir(run.id)))
      fs::copy(run_store.run_dir(run.id), staging, fs::copy_options::recursive);
    std::string info = "field,value\n";
    const std::pair<const char*, std::string> fields[] = {
        {"id", run.id}, {"name", run.name}, {"status", run_status_name(run.status)}, {"created_at", run.created_at},
        {"ended_at", run.ended_at}, {"error", run.error}, {"config_hash", run.config_hash}, {"command", run.command},
        {"host", run.host}, {"pid", std::to_string(run.pid)}, {"parent_id", run.parent_id},
        {"resumes", std::to_string(run.resumes)}, {"tags", join(catalog.tags(run.id), " ")}};
    for (const auto& [key, value] : fields) info += std::string(key) + "," + csv_field(value) + "\n";
    write_lines(staging / "run.csv", info);
    std::string params = "key,value\n";
    for (const auto& [key, value] : catalog.params(run.id)) params += key + "," + csv_field(value) + "\n";
    write_lines(staging / "params.csv", params);
    std::string record = "key,value\n";
    for (const auto& [key, value] : catalog.record(run.id)) record += key + "," + csv_field(value) + "\n";
    write_lines(staging / "record.csv", record);
    std::string metrics = "key,step,epoch,value,wall_time\n";
    for (const auto& p : catalog.metrics(run.id))
      metrics += p.key + "," + std::to_string(p.step) + "," + std::to_string(p.epoch) + "," + exact(p.value) + "," +
                 exact(p.wall_time) + "\n";
    write_lines(staging / "metrics.csv", metrics);
    std::string scores = "source,image_id,metric,value\n";
    for (const auto& [source, rows] : catalog.image_scores(run.id))
      for (const auto& s : rows) scores += csv_field(source) + "," + csv_field(s.image_id) + "," + s.metric + "," + exact(s.value) + "\n";
    write_lines(staging / "image_scores.csv", scores);
    std::string notes = "created_at,text\n";
    for (const auto& n : catalog.notes(run.id)) notes += n.created_at + "," + csv_field(n.text) + "\n";
    write_lines(staging / "notes.csv", notes);
    fs::remove(target, ec);  // an empty folder may stand there
    fs::rename(staging, target);
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
  std::cout << "exported run " << run.id << " to " << output << " (files, run.csv, params.csv, record.csv, metrics.csv, "
            << "image_scores.csv, notes.csv)\n";
  return 0;
}

}  // namespace seglab
