// The efficiency figure's inference time comes from `seglab bench` records
// (median latency at batch 1, on one named setup), not from the throughput
// seen while training; and epoch axes tick on whole numbers.
#include <gtest/gtest.h>

#include <filesystem>

#include "reports/bench_latency.h"
#include "reports/gnuplot_renderer.h"
#include "reports/pgfplots_writer.h"
#include "reports/report_figures.h"
#include "reports/report_writer.h"
#include "tests/reports/report_store_support.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

BenchRecord bench(const std::string& run, int64_t batch, double median_ms, const std::string& cpu, int64_t threads) {
  BenchRecord b;
  b.run_id = run;
  b.created_at = "2026-12-07T10:00:00Z";
  b.checkpoint = "best";
  b.backend = "onednn";
  b.device = "cpu";
  b.precision = "fp32";
  b.threads = threads;
  b.batch = batch;
  b.image_size = 64;
  b.warmup = 5;
  b.repeats = 30;
  b.median_ms = median_ms;
  b.min_ms = median_ms * 0.9;
  b.p90_ms = median_ms * 1.1;
  b.cpu = cpu;
  b.cores = 16;
  b.host = "bench-host";
  b.seglab_version = "0.1.0";
  b.seglab_commit = "abc";
  return b;
}

// The fake store's throughput gives 20 ms (resnet34, 50 images/s) and 5 ms
// (plain, 200 images/s); the bench records say otherwise, so the .dat shows
// which one the figure used.
TEST(BenchEfficiency, InferenceTimeIsTheRecordedBatchOneMedianOnTheMostCommonSetup) {
  test::TempDir store_dir, out_dir;
  test::make_report_store(store_dir.path());
  {
    RunStore store(store_dir.path());
    const std::string cpu = "Test Xeon 6338";
    store.catalog().add_bench(bench("bbbb0001", 1, 7.0, cpu, 4));
    store.catalog().add_bench(bench("bbbb0001", 8, 40.0, cpu, 4));  // batch 8: 5 ms per image, not shown
    store.catalog().add_bench(bench("bbbb0002", 1, 9.0, cpu, 4));
    store.catalog().add_bench(bench("aaaa0001", 1, 3.0, cpu, 4));
    // Another machine measured one run only: the figure keeps to one setup.
    store.catalog().add_bench(bench("aaaa0002", 1, 100.0, "Slow Laptop CPU", 2));
  }
  RunStore store(store_dir.path());
  ReportOptions options;
  options.out_dir = out_dir.path();
  options.grid = false;
  write_report(select_report_runs(store, {}), options, test::fake_sample_source());

  const std::string dat = test::read_text_file(out_dir / "efficiency_inference_time.dat");
  // resnet34: mean(7, 9) = 8 ms; plain: 3 ms from aaaa0001 alone (aaaa0002 was measured elsewhere).
  EXPECT_NE(dat.find("\n8 0.91 "), std::string::npos) << dat;
  EXPECT_NE(dat.find("\n3 0.82 "), std::string::npos) << dat;
  EXPECT_EQ(dat.find("\n20 "), std::string::npos) << "throughput used instead of the record: " << dat;
  EXPECT_NE(dat.find("Test Xeon 6338 (16 cores), 4 threads, onednn cpu fp32"), std::string::npos) << dat;
  EXPECT_NE(dat.find("Left out, with no batch-1 bench record on this setup: run aaaa0002"), std::string::npos) << dat;
  const std::string script = test::read_text_file(out_dir / "efficiency_inference_time.gp");
  EXPECT_NE(script.find("inference latency, batch 1 (ms per image)"), std::string::npos) << script;
  // report.md carries the caption, so the machine and the left-out run are named there too.
  const std::string index = test::read_text_file(out_dir / "report.md");
  EXPECT_NE(index.find("measured by seglab bench on Test Xeon 6338"), std::string::npos) << index;
}

TEST(BenchEfficiency, WithoutRecordsTheAxisSaysItIsValidationThroughputDuringTraining) {
  test::TempDir store_dir;
  test::make_report_store(store_dir.path());
  RunStore store(store_dir.path());
  const auto runs = select_report_runs(store, {});
  const auto figures = efficiency_figures(group_variants(runs, varied_keys(runs)));
  ASSERT_EQ(figures.size(), 3u);
  const Figure& time = figures[2];
  EXPECT_EQ(time.name, "efficiency_inference_time");
  EXPECT_EQ(time.x_label, "ms per image from validation throughput during training");
  EXPECT_NE(time.caption.find("Not a measured latency"), std::string::npos) << time.caption;
  EXPECT_EQ(score_header("val.images_per_second"), "validation throughput during training (images/s)");
}

TEST(BenchEfficiency, LatencySetupIsTheOneThatMeasuredMostRuns) {
  ReportRun a, b, c;
  a.info.id = "a";
  b.info.id = "b";
  c.info.id = "c";
  a.bench = {bench("a", 1, 5, "CPU one", 4), bench("a", 1, 6, "CPU one", 4)};  // the latest wins
  b.bench = {bench("b", 1, 7, "CPU one", 4), bench("b", 1, 1, "CPU two", 4)};
  c.bench = {bench("c", 8, 2, "CPU one", 4)};  // batch 8 only
  const LatencyChoice choice = choose_latency_records({&a, &b, &c});
  EXPECT_EQ(choice.setup, "CPU one (16 cores), 4 threads, onednn cpu fp32");
  ASSERT_EQ(choice.by_run.size(), 2u);
  EXPECT_DOUBLE_EQ(choice.by_run.at("a")->median_ms, 6);
  EXPECT_DOUBLE_EQ(choice.by_run.at("b")->median_ms, 7);
  EXPECT_EQ(choice.left_out, std::vector<std::string>{"c"});
}

// Two or three epochs made gnuplot and pgfplots tick at 1.5 and 2.5.
TEST(EpochAxis, CurvesTickOnWholeEpochs) {
  test::TempDir store_dir;
  test::make_report_store(store_dir.path());
  RunStore store(store_dir.path());
  const auto runs = select_report_runs(store, {});
  const auto f = curves_figure(group_variants(runs, varied_keys(runs)), "val.dice");
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(f->x_integer);
  EXPECT_DOUBLE_EQ(integer_tick_step(*f), 1);
  EXPECT_NE(gnuplot_script(*f).find("set xtics 1\nset format x '%.0f'"), std::string::npos) << gnuplot_script(*f);
  EXPECT_NE(pgfplots_text(*f).find("xtick distance=1,"), std::string::npos) << pgfplots_text(*f);
  Figure many = *f;
  many.series[0].x = {1, 100};
  EXPECT_DOUBLE_EQ(integer_tick_step(many), 20);  // 99 / 20 < 8 ticks
}

}  // namespace
}  // namespace seglab
