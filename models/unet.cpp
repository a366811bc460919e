#include "models/unet.h"

#include "core/text.h"
#include "models/unet_decoder.h"

namespace seglab {

void register_unet(Registry<ModelFactory>& registry) {
  OptionList options;
  options.add_text("upsampling", "transposed", "decoder upsampling").one_of({"transposed", "bilinear"});
  options.add_bool("batch_norm", true, "batch normalisation after every 3x3 convolution");
  options.add_list("decoder_channels", "", "width of each decoder block, deepest first; empty = match the encoder");
  options.add_bool("attention", false, "attention gates on the skip connections (Attention U-Net)");
  options.add_bool("scse", false, "concurrent spatial and channel squeeze-excitation after each decoder block");
  options.add_bool("deep_supervision", false,
                   "extra 1x1 heads on the deeper decoder blocks, upsampled to the image; training averages the loss over all heads");
  registry.add({"unet", "U-Net: encoder (model.encoder), skip connections, shared decoder, 1x1 head", options},
               [](const Config& config) {
                 Graph graph;
                 GraphBuilder b(graph);
                 const int input = graph.add_input(config.get_int("model.in_channels"));
                 const std::string& encoder_name = config.get_text("model.encoder");
                 const EncoderFeatures features =
                     encoder_registry().factory(encoder_name, "model.encoder")(b, input, config);
                 for (size_t i = 0; i < features.nodes.size(); ++i)
                   graph.tag(features.nodes[i], "features." + std::to_string(i));
                 DecoderOptions decoder;
                 decoder.transposed = config.get_text("model.upsampling") == "transposed";
                 decoder.batch_norm = config.get_bool("model.batch_norm");
                 decoder.attention = config.get_bool("model.attention");
                 decoder.scse = config.get_bool("model.scse");
                 graph.unused_encoder_weights = features.unused_weight_prefixes;
                 for (const auto& width : config.get_list("model.decoder_channels")) {
                   char* end = nullptr;
                   const long long value = std::strtoll(width.c_str(), &end, 10);
                   if (*end != '\0' || value <= 0)
                     throw ConfigError("'" + width + "' is not a positive channel count", "model.decoder_channels");
                   decoder.channels.push_back(value);
                 }
                 const DecoderOutput decoded = build_unet_decoder(b, features, decoder);
                 const int64_t classes = output_channels(config.get_int("model.num_classes"));
                 graph.add_output(b.conv(decoded.last, "head", classes, 1, 1, 0, true));
                 std::string extras;
                 if (config.get_bool("model.deep_supervision")) {
                   // Auxiliary heads on every block but the last, upsampled to the
                   // image so that each output has the prediction's shape.
                   for (size_t i = 0; i + 1 < decoded.blocks.size(); ++i) {
                     const int block = decoded.blocks[i];
                     const int aux = b.conv(block, "aux_heads." + std::to_string(i), classes, 1, 1, 0, true);
                     graph.add_output(b.upsample(aux, graph.node(block).stride));
                   }
                   extras += ", deep supervision";
                 }
                 if (decoder.attention) extras += ", attention gates";
                 if (decoder.scse) extras += ", scSE";
                 graph.description = "U-Net (" + encoder_name + " encoder, " +
                                     config.get_text("model.upsampling") + " upsampling" + extras + ")";
                 return graph;
               });
}

}  // namespace seglab
