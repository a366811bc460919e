#!/usr/bin/python3
"""An independent PyTorch U-Net decoder with seglab's options on torchvision's
resnet18 encoder, for tests: attention gates (Oktay et al. 2018), scSE blocks
(Roy et al. 2018), deep supervision, transposed or bilinear upsampling.

  decoder_reference.py names   UPSAMPLING ATTENTION SCSE DEEP
  decoder_reference.py forward UPSAMPLING ATTENTION SCSE DEEP DIR
      reads DIR/weights/*.npy and DIR/input.npy; writes DIR/output<k>.npy, the
      logits of every output (the prediction first, then the auxiliary heads)
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class Encoder(nn.Module):
    """torchvision resnet18 without its head; features at strides 2..32."""

    def __init__(self):
        super().__init__()
        net = torchvision.models.resnet18(weights=None)
        for name in ("conv1", "bn1", "layer1", "layer2", "layer3", "layer4"):
            setattr(self, name, getattr(net, name))

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        out = [x]
        x = F.max_pool2d(x, 3, 2, 1)
        for layer in (self.layer1, self.layer2, self.layer3, self.layer4):
            x = layer(x)
            out.append(x)
        return out


class AttentionGate(nn.Module):
    def __init__(self, gate_channels, skip_channels):
        super().__init__()
        inner = max(1, skip_channels // 2)
        self.W_g = nn.Sequential(nn.Conv2d(gate_channels, inner, 1), nn.BatchNorm2d(inner))
        self.W_x = nn.Sequential(nn.Conv2d(skip_channels, inner, 1), nn.BatchNorm2d(inner))
        self.psi = nn.Sequential(nn.Conv2d(inner, 1, 1), nn.BatchNorm2d(1))

    def forward(self, g, x):
        return x * torch.sigmoid(self.psi(F.relu(self.W_g(g) + self.W_x(x))))


class SCSE(nn.Module):
    def __init__(self, c, reduction=16):
        super().__init__()
        self.cSE = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(c, max(1, c // reduction), 1), nn.ReLU(),
                                 nn.Conv2d(max(1, c // reduction), c, 1), nn.Sigmoid())
        self.sSE = nn.Sequential(nn.Conv2d(c, 1, 1), nn.Sigmoid())

    def forward(self, x):
        return x * self.cSE(x) + x * self.sSE(x)


class Block(nn.Module):
    def __init__(self, cin, cskip, cout, transposed, attention, scse):
        super().__init__()
        self.transposed = transposed
        up = max(1, cin // 2) if transposed else cin
        if transposed:
            self.up = nn.ConvTranspose2d(cin, up, 2, stride=2)
        if attention and cskip:
            self.attention = AttentionGate(up, cskip)
        self.conv1 = nn.Conv2d(up + cskip, cout, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        if scse:
            self.scse = SCSE(cout)

    def forward(self, x, skip):
        x = self.up(x) if self.transposed else F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        if skip is not None:
            if hasattr(self, "attention"):
                skip = self.attention(x, skip)
            x = torch.cat([x, skip], 1)
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        return self.scse(x) if hasattr(self, "scse") else x


class UNet(nn.Module):
    # resnet18 features: 64@2, 64@4, 128@8, 256@16, 512@32; automatic widths.
    def __init__(self, transposed, attention, scse, deep):
        super().__init__()
        self.encoder = Encoder()
        self.decoder = nn.Module()
        skips = [256, 128, 64, 64, 0]
        widths = [256, 128, 64, 64, 32]
        cin = 512
        for i in range(5):
            setattr(self.decoder, f"block{i}", Block(cin, skips[i], widths[i], transposed, attention, scse))
            cin = widths[i]
        self.head = nn.Conv2d(32, 1, 1)
        self.deep = deep
        if deep:
            self.aux_heads = nn.ModuleList([nn.Conv2d(w, 1, 1) for w in widths[:-1]])

    def forward(self, x):
        size = x.shape[-1]
        f = self.encoder(x)
        x = f[-1]
        skips = [f[3], f[2], f[1], f[0], None]
        blocks = []
        for i in range(5):
            x = getattr(self.decoder, f"block{i}")(x, skips[i])
            blocks.append(x)
        outputs = [self.head(x)]
        if self.deep:
            for i, head in enumerate(self.aux_heads):
                y = head(blocks[i])
                outputs.append(F.interpolate(y, scale_factor=size // y.shape[-1], mode="bilinear", align_corners=False))
        return outputs


def main():
    torch.set_num_threads(1)
    mode, argv = sys.argv[1], sys.argv[2:]
    model = UNet(argv[0] == "transposed", argv[1] == "true", argv[2] == "true", argv[3] == "true")
    if mode == "names":
        for name, value in model.state_dict().items():
            print(name, *value.shape)
        return
    directory = argv[4]
    state = {}
    for name, value in model.state_dict().items():
        array = np.load(os.path.join(directory, "weights", name + ".npy"))
        state[name] = torch.from_numpy(array.astype(np.float32)).reshape(value.shape).to(value.dtype)
    model.load_state_dict(state)
    model.eval()
    with torch.no_grad():
        outputs = model(torch.from_numpy(np.load(os.path.join(directory, "input.npy"))))
    for k, y in enumerate(outputs):
        np.save(os.path.join(directory, f"output{k}.npy"), y.numpy().astype(np.float32))


if __name__ == "__main__":
    main()
