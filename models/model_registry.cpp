#include "models/model_registry.h"

#include "models/efficientnet_encoder.h"
#include "models/mobilenet_encoder.h"
#include "models/plain_encoder.h"
#include "models/resnet_encoder.h"
#include "models/unet.h"
#include "models/vgg_encoder.h"

namespace seglab {

Registry<ModelFactory>& model_registry() {
  static Registry<ModelFactory> registry("model");
  return registry;
}

Registry<EncoderFactory>& encoder_registry() {
  static Registry<EncoderFactory> registry("encoder");
  return registry;
}

void register_models() {
  if (!model_registry().names().empty()) return;
  register_unet(model_registry());
  register_plain_encoder(encoder_registry());
  register_vgg_encoder(encoder_registry());
  register_resnet_encoders(encoder_registry());
  register_mobilenet_encoder(encoder_registry());
  register_efficientnet_encoder(encoder_registry());
}

OptionList model_section_options() {
  OptionList options;
  options.add_int("in_channels", 3, "image channels (3 for RGB)").range(1, 16);
  options.add_int("num_classes", 2, "classes including background; 2 = binary (one sigmoid output)").range(2, 255);
  options.add_text("encoder_weights", "",
                   "PyTorch checkpoint (torch.save(model.state_dict())) loaded into encoder.* by name; empty = random init");
  options.add_bool("encoder_weights_strict", true,
                   "refuse a checkpoint with missing, unexpected or wrongly shaped tensors (false: load what fits)");
  return options;
}

Graph build_model(const Config& config) {
  return model_registry().factory(config.get_text("model.name"), "model.name")(config);
}

int64_t output_channels(int64_t num_classes) { return num_classes == 2 ? 1 : num_classes; }

}  // namespace seglab
