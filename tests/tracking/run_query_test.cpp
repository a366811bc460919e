#include "tracking/run_query.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace seglab {
namespace {

RunSummary summary(const std::string& id, const std::string& encoder, double dice, double loss,
                   std::vector<std::string> tags = {}) {
  RunSummary s;
  s.info.id = id;
  s.info.name = "n" + id;
  s.info.status = id == "c" ? RunStatus::failed : RunStatus::finished;
  s.params["model.encoder"] = encoder;
  s.params["train.lr"] = id == "a" ? "0.001" : "0.0003";
  if (dice >= 0) s.metrics["val.dice"] = dice;
  s.metrics["train.epoch_loss"] = loss;
  s.tags = std::move(tags);
  s.epochs = 3;
  return s;
}

std::vector<std::string> ids(const std::vector<RunSummary>& runs) {
  std::vector<std::string> out;
  for (const auto& r : runs) out.push_back(r.info.id);
  return out;
}

TEST(RunQuery, ConditionsOnParamsMetricsFieldsAndTags) {
  const auto a = summary("a", "resnet34", 0.9, 0.2, {"baseline"});
  const auto b = summary("b", "plain", 0.8, 0.1);
  EXPECT_TRUE(parse_condition("model.encoder=resnet34").matches(a));
  EXPECT_FALSE(parse_condition("model.encoder=resnet34").matches(b));
  EXPECT_TRUE(parse_condition("model.encoder!=resnet34").matches(b));
  EXPECT_TRUE(parse_condition("val.dice>=0.85").matches(a));
  EXPECT_FALSE(parse_condition("val.dice>=0.85").matches(b));
  EXPECT_TRUE(parse_condition("val.dice<0.85").matches(b));
  EXPECT_TRUE(parse_condition("train.lr=1e-3").matches(a));  // numbers compare as numbers
  EXPECT_TRUE(parse_condition("status=finished").matches(a));
  EXPECT_TRUE(parse_condition("tag=baseline").matches(a));
  EXPECT_TRUE(parse_condition("tag!=baseline").matches(b));
  EXPECT_FALSE(parse_condition("no.such.key=1").matches(a));
  const RunCondition c = parse_condition(" val.dice >= 0.5 ");
  EXPECT_EQ(c.key, "val.dice");
  EXPECT_EQ(c.op, ">=");
  EXPECT_EQ(c.value, "0.5");
  EXPECT_THROW(parse_condition("val.dice"), UsageError);
  EXPECT_THROW(parse_condition("=3"), UsageError);
}

TEST(RunQuery, SortsMetricsBestFirstAndRunsWithoutTheKeyLast) {
  std::vector<RunSummary> runs{summary("a", "x", 0.8, 0.3), summary("b", "y", 0.95, 0.1), summary("c", "z", -1, 0.2),
                               summary("d", "w", 0.9, 0.4)};
  sort_runs(runs, "val.dice", false);
  EXPECT_EQ(ids(runs), (std::vector<std::string>{"b", "d", "a", "c"}));
  sort_runs(runs, "val.dice", true);
  EXPECT_EQ(ids(runs), (std::vector<std::string>{"a", "d", "b", "c"}));
  sort_runs(runs, "train.epoch_loss", false);  // a loss: lowest first
  EXPECT_EQ(ids(runs), (std::vector<std::string>{"b", "c", "a", "d"}));
  sort_runs(runs, "model.encoder", false);  // text ascending
  EXPECT_EQ(ids(runs), (std::vector<std::string>{"d", "a", "b", "c"}));
}

}  // namespace
}  // namespace seglab
