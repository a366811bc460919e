#include "engine/registration.h"

#include "backends/training_registries.h"
#include "core/lr_schedule.h"
#include "datasets/dataset_registration.h"
#include "engine/sweep/launcher.h"
#include "models/model_registry.h"

namespace seglab {

void register_all() {
  register_lr_schedules();
  register_models();
  register_backends();
  register_datasets();
  register_launchers();
}

namespace {

ConfigSchema build_schema() {
  register_all();
  ConfigSchema schema;

  OptionList experiment;
  experiment.add_text("name", "experiment", "name shown in run lists and reports");
  experiment.add_int("seed", 42, "seed of weight init, shuffling and augmentation").at_least(0);
  experiment.add_text("description", "", "free text kept with the run");
  schema.add_section("experiment", "what the run is", experiment);

  add_data_sections(schema);

  schema.add_section("model", "the network", model_section_options());
  schema.add_selector("model.name", model_registry(), "unet", "model (seglab list models)");
  schema.add_selector("model.encoder", encoder_registry(), "plain", "encoder (seglab list encoders)");

  schema.add_section("backend", "where and how the network runs", backend_section_options());
  schema.add_selector("backend.name", backend_registry(), "libtorch", "compute backend (seglab list backends)");

  OptionList train;
  train.add_int("epochs", 10, "passes over the training split").range(1, 100000);
  train.add_int("batch_size", 8, "images per optimizer step").range(1, 4096);
  train.add_real("lr", 1e-3, "base learning rate").range(1e-12, 10);
  train.add_real("warmup_epochs", 0, "linear warm-up from 0 to lr over this many epochs").range(0, 1000);
  train.add_int("freeze_encoder_epochs", 0, "epochs at the start during which encoder.* parameters are not updated")
      .at_least(0);
  train.add_text("monitor", "val.dice", "metric that picks the best checkpoint (higher is better, *loss lower)");
  train.add_int("checkpoint_every", 0, "also keep a checkpoint every this many epochs in run.h5 (0 = only last and best)")
      .range(0, 100000);
  schema.add_section("train", "optimisation", train);
  schema.add_selector("train.optimizer", optimizer_registry(), "adamw", "optimizer (seglab list optimizers)");
  schema.add_selector("train.loss", loss_registry(), "bce_dice", "loss (seglab list losses)");
  schema.add_selector("train.schedule", lr_schedule_registry(), "cosine", "LR schedule (seglab list schedules)");

  OptionList eval;
  eval.add_real("threshold", 0.5, "probability above which a pixel is lesion (binary runs)").range(0, 1);
  schema.add_section("eval", "evaluation", eval);
  return schema;
}

}  // namespace

const ConfigSchema& experiment_schema() {
  static const ConfigSchema schema = build_schema();
  return schema;
}

}  // namespace seglab
