#include "core/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace seglab {

Registry<LrScheduleFactory>& lr_schedule_registry() {
  static Registry<LrScheduleFactory> registry("LR schedule");
  return registry;
}

void register_lr_schedules() {
  auto& registry = lr_schedule_registry();
  if (!registry.names().empty()) return;

  registry.add({"constant", "the base rate throughout", {}},
               [](const Config&, const LrContext& c) -> LrFunction { return [lr = c.base_lr](int64_t) { return lr; }; });

  OptionList step_options;
  step_options.add_int("step_epochs", 30, "epochs between rate drops").at_least(1);
  step_options.add_real("gamma", 0.1, "factor applied at each drop").range(0, 1);
  registry.add({"step", "multiply the rate by gamma every step_epochs epochs", step_options},
               [](const Config& config, const LrContext& c) -> LrFunction {
                 const int64_t every = config.get_int("train.step_epochs");
                 const double gamma = config.get_real("train.gamma");
                 return [c, every, gamma](int64_t step) {
                   const int64_t epoch = step / std::max<int64_t>(1, c.steps_per_epoch);
                   return c.base_lr * std::pow(gamma, static_cast<double>(epoch / every));
                 };
               });

  OptionList cosine_options;
  cosine_options.add_real("min_lr", 0.0, "rate reached at the last step").at_least(0);
  registry.add({"cosine", "cosine decay from the base rate to min_lr after warm-up", cosine_options},
               [](const Config& config, const LrContext& c) -> LrFunction {
                 const double min_lr = config.get_real("train.min_lr");
                 return [c, min_lr](int64_t step) {
                   const double span = static_cast<double>(std::max<int64_t>(1, c.total_steps - c.warmup_steps));
                   const double t = std::clamp(static_cast<double>(step - c.warmup_steps) / span, 0.0, 1.0);
                   return min_lr + 0.5 * (c.base_lr - min_lr) * (1.0 + std::cos(M_PI * t));
                 };
               });
}

LrFunction make_lr_schedule(const Config& config, int64_t steps_per_epoch, int64_t total_steps) {
  LrContext context;
  context.base_lr = config.get_real("train.lr");
  context.steps_per_epoch = std::max<int64_t>(1, steps_per_epoch);
  context.total_steps = std::max<int64_t>(1, total_steps);
  context.warmup_steps =
      static_cast<int64_t>(std::llround(config.get_real("train.warmup_epochs") * static_cast<double>(steps_per_epoch)));
  const std::string& name = config.get_text("train.schedule");
  LrFunction schedule = lr_schedule_registry().factory(name, "train.schedule")(config, context);
  if (context.warmup_steps <= 0) return schedule;
  const int64_t warmup = context.warmup_steps;
  return [schedule, warmup](int64_t step) {
    const double rate = schedule(step);
    return step < warmup ? rate * static_cast<double>(step + 1) / static_cast<double>(warmup) : rate;
  };
}

}  // namespace seglab
