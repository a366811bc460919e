// Runs every case of the corpus (corpus.h) through the real binary, on
// SEGLAB_ROBUSTNESS_JOBS worker threads (default 2: each case is one or two
// short seglab processes), and checks the outcome a user sees. Prints one line
// per case and a table per kind of input.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "tests/robustness/corpus.h"
#include "tests/robustness/robustness_support.h"

namespace seglab::test {
namespace {

std::vector<Case> all_cases() {
  std::vector<Case> all;
  for (auto* list : {image_cases, labelme_cases, ini_cases, store_cases, weights_cases})
    for (auto& c : list()) all.push_back(std::move(c));
  return all;
}

struct Outcome {
  bool accepted = false;
  CaseRun run;
  std::vector<std::string> problems;
};

Outcome run_case(const Case& c) {
  Outcome o;
  TempDir dir;
  CaseContext context{dir.path(), dir / "store", baseline_store().run_id};
  try {
    copy_baseline_store(context.store);
    Invocation invocation = c.make(context);
    o.accepted = invocation.accepted;
    // Taken after the case damaged what it damages: the command itself must
    // change none of these files.
    const auto before = run_files_digest(context.store);
    const bool catalog_damaged = invocation.catalog_damaged;
    const std::string catalog = context.store + "/catalog.db";
    const std::string catalog_before = std::filesystem::is_regular_file(catalog) ? read_text_file(catalog) : "";
    o.run = run_seglab_limited(invocation.arguments, invocation.limit_s, invocation.environment);
    if (o.accepted) {
      if (o.run.exit_code != 0) o.problems.push_back("exit " + std::to_string(o.run.exit_code) + " for a valid input");
      for (const auto& needle : invocation.needles)
        if (o.run.output.find(needle) == std::string::npos) o.problems.push_back("missing '" + needle + "'");
    } else {
      o.problems = refusal_problems(o.run, invocation.needles);
    }
    if (invocation.also)
      if (std::string problem = invocation.also(o.run.output); !problem.empty()) o.problems.push_back(problem);
    invocation = {};  // releases what the case held (a catalog lock)
    if (catalog_damaged) {
      if ((std::filesystem::is_regular_file(catalog) ? read_text_file(catalog) : "") != catalog_before)
        o.problems.push_back("the command changed the damaged catalog");
      const CaseRun again = run_seglab_limited("runs list --store " + context.store, 30);
      if (!refusal_problems(again, {"catalog.db"}).empty()) o.problems.push_back("`runs list` afterwards:\n" + again.output);
    } else {
      // `seglab runs list` itself where the store was damaged; in process elsewhere.
      for (auto& p : store_problems(context.store, before, c.input == "catalog" || c.input == "run.h5"))
        o.problems.push_back(p);
    }
  } catch (const std::exception& e) {
    o.problems.push_back(std::string("the case threw: ") + e.what());
  }
  return o;
}

TEST(Corpus, EveryMalformedInputGetsAClearErrorAndLeavesTheStoreConsistent) {
  const std::vector<Case> cases = all_cases();
  ASSERT_GE(cases.size(), 60u);
  baseline_store();  // trained once, before the workers copy it
  const char* jobs_text = std::getenv("SEGLAB_ROBUSTNESS_JOBS");
  const int jobs = jobs_text ? std::max(1, std::atoi(jobs_text)) : 2;
  std::vector<Outcome> outcomes(cases.size());
  std::atomic<size_t> next{0};
  std::mutex print;
  std::vector<std::thread> workers;
  for (int w = 0; w < jobs; ++w)
    workers.emplace_back([&] {
      for (size_t i = next++; i < cases.size(); i = next++) {
        outcomes[i] = run_case(cases[i]);
        const Outcome& o = outcomes[i];
        const std::string first = o.run.output.substr(0, o.run.output.find('\n'));
        std::lock_guard<std::mutex> lock(print);
        std::printf("[case] %-34s %-8s exit %3d %5.1f s %s  %s\n", cases[i].name.c_str(), cases[i].input.c_str(),
                    o.run.exit_code, o.run.seconds, o.problems.empty() ? "ok  " : "FAIL", first.c_str());
        std::fflush(stdout);
      }
    });
  for (auto& w : workers) w.join();

  struct Tally {
    int cases = 0, refused = 0, accepted = 0, failed = 0;
  };
  std::map<std::string, Tally> tallies;
  Tally total;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Outcome& o = outcomes[i];
    for (Tally* t : {&tallies[cases[i].input], &total}) {
      ++t->cases;
      ++(o.problems.empty() ? (o.accepted ? t->accepted : t->refused) : t->failed);
    }
    if (!o.problems.empty()) {
      std::string listed;
      for (const auto& p : o.problems) listed += "\n  " + p;
      ADD_FAILURE() << "case " << cases[i].name << " (" << cases[i].input << "):" << listed << "\noutput:\n"
                    << o.run.output;
    }
  }
  std::printf("\n%-9s %6s %14s %9s %7s\n", "input", "cases", "clear errors", "accepted", "failed");
  for (const auto& [input, t] : tallies)
    std::printf("%-9s %6d %14d %9d %7d\n", input.c_str(), t.cases, t.refused, t.accepted, t.failed);
  std::printf("%-9s %6d %14d %9d %7d\n", "all", total.cases, total.refused, total.accepted, total.failed);
}

}  // namespace
}  // namespace seglab::test
