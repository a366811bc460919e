#include "models/plain_encoder.h"

#include <string>

namespace seglab {

void register_plain_encoder(Registry<EncoderFactory>& registry) {
  OptionList options;
  options.add_int("base_channels", 64, "channels of the first stage; doubled at each deeper stage").range(1, 1024);
  options.add_int("depth", 4, "number of 2x downsamplings (image sides must be multiples of 2^depth)").range(1, 6);
  registry.add({"plain", "classic U-Net encoder: double 3x3 conv stages with max pooling", options},
               [](GraphBuilder& b, int input, const Config& config) {
                 const int64_t base = config.get_int("model.base_channels");
                 const int depth = static_cast<int>(config.get_int("model.depth"));
                 const bool batch_norm = config.get_bool("model.batch_norm");
                 EncoderFeatures features;
                 int x = input;
                 for (int stage = 0; stage <= depth; ++stage) {
                   if (stage > 0) x = b.max_pool(x, 2, 2);
                   const std::string scope = "encoder.stage" + std::to_string(stage);
                   const int64_t width = base << stage;
                   x = b.conv_bn_relu(x, scope + ".conv1", scope + ".bn1", width, 3, 1, batch_norm);
                   x = b.conv_bn_relu(x, scope + ".conv2", scope + ".bn2", width, 3, 1, batch_norm);
                   features.nodes.push_back(x);
                   features.channels.push_back(width);
                   features.strides.push_back(1 << stage);
                 }
                 return features;
               });
}

}  // namespace seglab
