#include "models/unet.h"

#include "core/text.h"
#include "models/unet_decoder.h"

namespace seglab {

void register_unet(Registry<ModelFactory>& registry) {
  OptionList options;
  options.add_text("upsampling", "transposed", "decoder upsampling").one_of({"transposed", "bilinear"});
  options.add_bool("batch_norm", true, "batch normalisation after every 3x3 convolution");
  options.add_list("decoder_channels", "", "width of each decoder block, deepest first; empty = match the encoder");
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
                 for (const auto& width : config.get_list("model.decoder_channels")) {
                   char* end = nullptr;
                   const long long value = std::strtoll(width.c_str(), &end, 10);
                   if (*end != '\0' || value <= 0)
                     throw ConfigError("'" + width + "' is not a positive channel count", "model.decoder_channels");
                   decoder.channels.push_back(value);
                 }
                 const int last = build_unet_decoder(b, features, decoder);
                 const int head =
                     b.conv(last, "head", output_channels(config.get_int("model.num_classes")), 1, 1, 0, true);
                 graph.add_output(head);
                 graph.description = "U-Net (" + encoder_name + " encoder, " +
                                     config.get_text("model.upsampling") + " upsampling)";
                 return graph;
               });
}

}  // namespace seglab
