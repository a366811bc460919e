#pragma once
// Learning-rate schedules (constant, step, cosine) with linear warm-up, as a
// registry. The engine asks for the rate of every optimizer step and passes it
// to the backend, so all backends follow exactly the same schedule.
#include <cstdint>
#include <functional>

#include "core/config.h"
#include "core/registry.h"

namespace seglab {

struct LrContext {
  double base_lr = 1e-3;
  int64_t steps_per_epoch = 1;
  int64_t total_steps = 1;
  int64_t warmup_steps = 0;
};

// Rate at a 0-based optimizer step.
using LrFunction = std::function<double(int64_t step)>;
using LrScheduleFactory = std::function<LrFunction(const Config& config, const LrContext& context)>;

Registry<LrScheduleFactory>& lr_schedule_registry();
void register_lr_schedules();

// The schedule named by train.schedule, with train.warmup_epochs of linear warm-up.
LrFunction make_lr_schedule(const Config& config, int64_t steps_per_epoch, int64_t total_steps);

}  // namespace seglab
