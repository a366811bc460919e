// The store: catalog.db as every command opens it, and a run's run.h5 as
// eval, predict and resume read it (truncated, not HDF5, checkpoints that do
// not fit the run's model).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <memory>
#include <thread>

#include "tests/robustness/corpus.h"
#include "tests/robustness/corpus_files.h"
#include "tests/robustness/robustness_support.h"
#include "tests/support/test_support.h"
#include "tracking/run_file.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab::test {
namespace {

std::string run_h5(const CaseContext& c) { return c.store + "/runs/" + c.run_id + "/run.h5"; }

void sql(const std::string& catalog, const std::string& statement) {
  sqlite3* db = nullptr;
  sqlite3_open(catalog.c_str(), &db);
  char* message = nullptr;
  if (sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    ADD_FAILURE() << statement << ": " << (message ? message : "?");
    sqlite3_free(message);
  }
  sqlite3_close(db);
}

// The run's checkpoints rewritten with `edit` applied to their weights.
void edit_checkpoints(const CaseContext& c, const std::function<void(NamedTensors&)>& edit, bool keep_best = true) {
  RunFileContents contents;
  contents.run_id = c.run_id;
  contents.last = read_checkpoint(run_h5(c), "last");
  edit(contents.last->weights);
  if (keep_best) contents.best = contents.last;
  contents.curves = read_curves(run_h5(c));
  write_run_file(run_h5(c), contents);
}

Invocation eval_run(const CaseContext& c, std::vector<std::string> needles) {
  return {"eval " + c.run_id + " --store " + c.store, needles};
}

// The baseline run marked interrupted, so that `seglab resume` takes it.
Invocation resume_run(const CaseContext& c, std::vector<std::string> needles) {
  RunStore(c.store).catalog().set_status(c.run_id, RunStatus::interrupted, "test");
  return {"resume " + c.run_id + " --store " + c.store, needles};
}

// Another process's connection holding an exclusive transaction for the whole case.
std::shared_ptr<sqlite3> lock_catalog(const std::string& catalog) {
  sqlite3* db = nullptr;
  sqlite3_open(catalog.c_str(), &db);
  std::shared_ptr<sqlite3> holder(db, [](sqlite3* d) {
    sqlite3_exec(d, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(d);
  });
  EXPECT_EQ(sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  return holder;
}

}  // namespace

std::vector<Case> store_cases() {
  return {
      {"catalog_truncated", "catalog",
       [](const CaseContext& c) {
         truncate_file(c.store + "/catalog.db", 1500);
         Invocation i{"runs list --store " + c.store, {"catalog.db", "the catalog file is damaged"}};
         i.catalog_damaged = true;
         return i;
       }},
      {"catalog_not_sqlite", "catalog",
       [](const CaseContext& c) {
         write_bytes(c.store + "/catalog.db", std::string(4096, 'x'));
         Invocation i{"runs list --store " + c.store, {"catalog.db", "file is not a database"}};
         i.catalog_damaged = true;
         return i;
       }},
      {"catalog_newer_schema", "catalog",
       [](const CaseContext& c) {
         sql(c.store + "/catalog.db", "PRAGMA user_version = 99");
         Invocation i{"runs show " + c.run_id + " --store " + c.store, {"catalog.db", "schema version 99, newer than this seglab"}};
         i.catalog_damaged = true;
         return i;
       }},
      {"catalog_is_a_folder", "catalog",
       [](const CaseContext& c) {
         fs::remove(c.store + "/catalog.db");
         fs::create_directories(c.store + "/catalog.db");
         Invocation i{"runs list --store " + c.store, {"catalog.db", "cannot open the catalog"}};
         i.catalog_damaged = true;
         return i;
       }},
      {"catalog_locked", "catalog",
       [](const CaseContext& c) {
         auto holder = lock_catalog(c.store + "/catalog.db");
         Invocation i{"runs list --store " + c.store, {"catalog.db", "database is locked", "another process holds the catalog locked"}};
         i.environment = "SEGLAB_BUSY_TIMEOUT_MS=200";
         i.also = [holder](const std::string&) { return std::string(); };  // keeps the lock until the command has answered
         return i;
       }},
      {"catalog_locked_during_train", "catalog",
       [](const CaseContext& c) {
         write_text_file(c.dir + "/tiny.ini", tiny_experiment());
         auto holder = lock_catalog(c.store + "/catalog.db");
         Invocation i{"train " + c.dir + "/tiny.ini --store " + c.store, {"catalog.db", "database is locked"}};
         i.environment = "SEGLAB_BUSY_TIMEOUT_MS=200";
         i.also = [holder](const std::string&) { return std::string(); };
         return i;
       }},
      {"catalog_zero_bytes", "catalog",
       [](const CaseContext& c) {
         // SQLite reads an empty file as an empty database: a new catalog, the run folders untouched.
         write_bytes(c.store + "/catalog.db", "");
         Invocation i{"runs list --store " + c.store, {}};
         i.accepted = true;
         return i;
       }},
      {"store_is_a_file", "catalog",
       [](const CaseContext& c) {
         write_bytes(c.dir + "/file-store", "not a folder");
         return Invocation{"runs list --store " + c.dir + "/file-store", {"file-store"}};
       }},
      {"run_h5_truncated", "run.h5",
       [](const CaseContext& c) {
         truncate_file(run_h5(c), fs::file_size(run_h5(c)) / 2);
         return eval_run(c, {"run.h5", "truncated or damaged"});
       }},
      {"run_h5_zero_bytes", "run.h5",
       [](const CaseContext& c) {
         write_bytes(run_h5(c), "");
         return eval_run(c, {"run.h5", "truncated or damaged"});
       }},
      {"run_h5_not_hdf5", "run.h5",
       [](const CaseContext& c) {
         write_bytes(run_h5(c), "PK\x03\x04 this is a zip, not HDF5");
         return eval_run(c, {"run.h5", "not a readable HDF5 file"});
       }},
      {"run_h5_missing", "run.h5",
       [](const CaseContext& c) {
         fs::remove(run_h5(c));
         return eval_run(c, {"run.h5", "run file not found"});
       }},
      {"run_h5_wrong_shapes", "run.h5",
       [](const CaseContext& c) {
         edit_checkpoints(c, [](NamedTensors& w) {
           auto it = w.begin();
           it->second = Tensor({2, 2});
         });
         return eval_run(c, {"run.h5", "does not fit", "has shape [2, 2]"});
       }},
      {"run_h5_wrong_names", "run.h5",
       [](const CaseContext& c) {
         std::string renamed;
         edit_checkpoints(c, [&](NamedTensors& w) {
           auto node = w.extract(w.begin());
           renamed = node.key();
           node.key() = "renamed." + renamed;
           w.insert(std::move(node));
         });
         return eval_run(c, {"run.h5", "does not fit", "missing " + renamed, "unexpected renamed." + renamed});
       }},
      {"run_h5_no_best_checkpoint", "run.h5",
       [](const CaseContext& c) {
         edit_checkpoints(c, [](NamedTensors&) {}, false);
         return eval_run(c, {"run.h5", "has no 'best' checkpoint"});
       }},
      {"run_h5_wrong_shapes_predict", "run.h5",
       [](const CaseContext& c) {
         edit_checkpoints(c, [](NamedTensors& w) { w.begin()->second = Tensor({1}); });
         cv::imwrite(c.dir + "/photo.png", cv::Mat(30, 40, CV_8UC3, cv::Scalar(90, 100, 110)));
         return Invocation{"predict " + c.run_id + " " + c.dir + "/photo.png -o " + c.dir + "/out --store " + c.store,
                           {"run.h5", "does not fit"}};
       }},
      {"run_h5_truncated_resume", "run.h5",
       [](const CaseContext& c) {
         truncate_file(run_h5(c), 2000);
         return resume_run(c, {"run.h5", "truncated or damaged"});
       }},
      {"run_h5_wrong_shapes_resume", "run.h5",
       [](const CaseContext& c) {
         edit_checkpoints(c, [](NamedTensors& w) { w.begin()->second = Tensor({3}); });
         return resume_run(c, {"run.h5", "does not fit"});
       }},
  };
}

}  // namespace seglab::test
