#include "engine/cli/cli.h"

#include <iostream>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/text.h"
#include "core/version.h"
#include "engine/cli/command.h"

namespace seglab {

std::string& command_line() {
  static std::string line;
  return line;
}

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"train", "train <experiment.ini> [--set section.key=value]...", "train one run, print its id", train_command},
      {"sweep", "sweep <sweep.ini> [--dry-run] [--jobs N] | resume <id> | status <id> | cancel <id>",
       "run every cell of a [sweep] that is not finished yet", sweep_command},
      {"eval", "eval <run-id> [--data val|test|<ini>] [--tta ...] [--list]",
       "score a run: metrics, per-image scores, masks, overlays", eval_command},
      {"bench", "bench <run-id> [--threads N] [--batch 1,8] [--list]",
       "measure inference latency (median of N), record it with the machine", bench_command},
      {"predict", "predict <run-id> <image or folder> -o <dir>", "segment your own images", predict_command},
      {"resume", "resume <run-id>", "continue an interrupted run from its last checkpoint", resume_command},
      {"reproduce", "reproduce <run-id>", "re-run a recorded run, diff its metrics", reproduce_command},
      {"runs", "runs list|show|compare|tag|note|delete|export", "query and manage the store", runs_command,
       {"list", "show", "compare", "tag", "note", "delete", "export"}},
      {"store", "store copy <from> <to>", "copy a store between SQLite and PostgreSQL (rows and run files)",
       store_command},
      {"report", "report --sweep <id> | --runs <id>... | --where k=v -o <dir>",
       "figures (PDF/SVG/PNG) and LaTeX tables from recorded runs", report_command},
      {"data", "data check|preview <experiment.ini> [-o dir]", "check every sample; draw augmented samples",
       data_command},
      {"serve", "serve [--store dir] [--port 8080] [--host 127.0.0.1]",
       "local web UI: runs, curves, compare, segment an image", serve_command},
      {"labelme2seg", "labelme2seg <dir> [--labels f] [--viz] [--skip-bad]",
       "LabelMe JSON -> class-index PNG masks", labelme2seg_command},
      {"list", "list models|encoders|datasets|augmentations|backends|...", "show a registry with every option",
       list_command},
      {"weights", "weights inspect <file.pth>", "list a PyTorch checkpoint's tensors: names, dtypes, shapes",
       weights_command},
      {"docs", "docs cli|config [-o file]", "write the command or config key reference as Markdown", docs_command},
  };
  return all;
}

namespace {

void print_usage(std::ostream& out) {
  out << "seglab " << seglab_version() << ": U-Net segmentation experiments, recorded and reproducible\n\n"
      << "usage: seglab <command> [options]   (seglab <command> --help for its options)\n\n";
  for (const auto& c : commands()) {
    std::string usage = c.usage;
    out << "  " << usage << std::string(usage.size() < 62 ? 62 - usage.size() : 1, ' ') << c.summary << "\n";
  }
  out << "\nThe store is ./seglab-runs unless --store or SEGLAB_STORE says otherwise.\n";
}

}  // namespace

int run_cli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string> words(argv, argv + argc);
  command_line() = join(words, " ");
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage(std::cout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "seglab " << seglab_version() << " (" << git_commit().substr(0, 12) << (git_dirty() ? ", dirty" : "")
              << ")\n";
    return 0;
  }
  const Command* command = nullptr;
  std::vector<std::string> names;
  for (const auto& c : commands()) {
    names.push_back(c.name);
    if (args[0] == c.name) command = &c;
  }
  try {
    if (!command) {
      const std::string guess = closest_match(args[0], names);
      throw UsageError("unknown command '" + args[0] + "'", "seglab",
                       (guess.empty() ? std::string() : "did you mean '" + guess + "'? ") + "commands: " + join(names, ", "));
    }
    return command->run(std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const UsageError& e) {
    std::cerr << "error: " << e.describe() << "\n";
    return 2;
  } catch (const Error& e) {
    std::cerr << "error: " << e.describe() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace seglab
