#include "models/unet_decoder.h"

#include <algorithm>
#include <string>

#include "core/error.h"

namespace seglab {
namespace {

// Strides the decoder visits after the deepest feature: half of it each time
// down to 1.
std::vector<int> block_strides(const EncoderFeatures& f) {
  std::vector<int> strides;
  for (int s = f.strides.back() / 2; s >= 1; s /= 2) strides.push_back(s);
  return strides;
}

int skip_at(const EncoderFeatures& f, int stride) {
  for (size_t i = 0; i + 1 < f.strides.size(); ++i)
    if (f.strides[i] == stride) return static_cast<int>(i);
  return -1;
}

}  // namespace

std::vector<int64_t> automatic_decoder_channels(const EncoderFeatures& f) {
  std::vector<int64_t> widths;
  int64_t previous = f.channels.back();
  for (int stride : block_strides(f)) {
    const int skip = skip_at(f, stride);
    const int64_t width = skip >= 0 ? f.channels[skip] : std::max<int64_t>(8, previous / 2);
    widths.push_back(width);
    previous = width;
  }
  return widths;
}

namespace {

int attention_gate(GraphBuilder& b, int gating, int skip, const std::string& scope, bool batch_norm) {
  const int64_t inner = std::max<int64_t>(1, b.channels(skip) / 2);
  auto project = [&](int x, const std::string& name, int64_t width) {
    int y = b.conv(x, scope + "." + name + ".0", width, 1, 1, 0, /*bias=*/true);
    return batch_norm ? b.batch_norm(y, scope + "." + name + ".1") : y;
  };
  const int joined = b.relu(b.add(project(gating, "W_g", inner), project(skip, "W_x", inner)));
  const int alpha = b.sigmoid(project(joined, "psi", 1));
  return b.mul(skip, alpha);  // one coefficient per pixel, broadcast over the skip's channels
}

int scse_block(GraphBuilder& b, int x, const std::string& scope) {
  const int64_t c = b.channels(x);
  int channel_gate = b.global_avg_pool(x);
  channel_gate = b.relu(b.conv(channel_gate, scope + ".cSE.1", std::max<int64_t>(1, c / 16), 1, 1, 0, true));
  channel_gate = b.sigmoid(b.conv(channel_gate, scope + ".cSE.3", c, 1, 1, 0, true));
  const int spatial_gate = b.sigmoid(b.conv(x, scope + ".sSE.0", 1, 1, 1, 0, true));
  return b.add(b.mul(x, channel_gate), b.mul(x, spatial_gate));
}

}  // namespace

DecoderOutput build_unet_decoder(GraphBuilder& b, const EncoderFeatures& f, const DecoderOptions& options) {
  const std::vector<int> strides = block_strides(f);
  const std::vector<int64_t> widths = options.channels.empty() ? automatic_decoder_channels(f) : options.channels;
  if (widths.size() != strides.size())
    throw ConfigError("model.decoder_channels lists " + std::to_string(widths.size()) + " widths, but this encoder needs " +
                          std::to_string(strides.size()) + " decoder blocks",
                      "model.decoder_channels", "give " + std::to_string(strides.size()) + " widths, or leave it empty");
  DecoderOutput out;
  int x = f.nodes.back();
  for (size_t i = 0; i < strides.size(); ++i) {
    const std::string scope = "decoder.block" + std::to_string(i);
    if (options.transposed)
      x = b.conv_transpose(x, scope + ".up", std::max<int64_t>(1, b.channels(x) / 2), 2, 2);
    else
      x = b.upsample(x, 2);
    const int skip = skip_at(f, strides[i]);
    if (skip >= 0) {
      const int skip_node =
          options.attention ? attention_gate(b, x, f.nodes[skip], scope + ".attention", options.batch_norm) : f.nodes[skip];
      x = b.concat({x, skip_node});
    }
    x = b.conv_bn_relu(x, scope + ".conv1", scope + ".bn1", widths[i], 3, 1, options.batch_norm);
    x = b.conv_bn_relu(x, scope + ".conv2", scope + ".bn2", widths[i], 3, 1, options.batch_norm);
    if (options.scse) x = scse_block(b, x, scope + ".scse");
    out.blocks.push_back(x);
  }
  out.last = x;
  return out;
}

}  // namespace seglab
