#!/usr/bin/python3
"""An independent PyTorch implementation of seglab's plain U-Net, for tests.

It mirrors the module structure seglab names its parameters after, so its
state_dict names must equal seglab's graph parameter names. Usage:

  unet_reference.py names   BASE DEPTH OUT_CHANNELS UPSAMPLING BATCH_NORM
  unet_reference.py forward BASE DEPTH OUT_CHANNELS UPSAMPLING BATCH_NORM DIR
      reads DIR/weights/*.npy and DIR/input.npy, writes DIR/output.npy (probabilities)
  unet_reference.py train   BASE DEPTH OUT_CHANNELS UPSAMPLING BATCH_NORM DIR OPTIMIZER LR...
      one step per LR on DIR/input.npy, DIR/target.npy with the bce_dice loss;
      writes DIR/after/*.npy (weights and buffers) and DIR/losses.txt
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class DoubleConv(nn.Module):
    def __init__(self, cin, cout, bn):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, bias=not bn)
        self.bn1 = nn.BatchNorm2d(cout) if bn else nn.Identity()
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=not bn)
        self.bn2 = nn.BatchNorm2d(cout) if bn else nn.Identity()

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(x)))


class Block(DoubleConv):
    def __init__(self, cin, cskip, cout, transposed, bn):
        up_channels = max(1, cin // 2) if transposed else cin
        super().__init__(up_channels + cskip, cout, bn)
        self.transposed = transposed
        if transposed:
            self.up = nn.ConvTranspose2d(cin, up_channels, 2, stride=2)

    def forward(self, x, skip):
        x = self.up(x) if self.transposed else F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        return super().forward(torch.cat([x, skip], 1))


class UNet(nn.Module):
    def __init__(self, base, depth, out_channels, transposed, bn):
        super().__init__()
        self.depth = depth
        self.encoder = nn.Module()
        for i in range(depth + 1):
            setattr(self.encoder, f"stage{i}", DoubleConv(3 if i == 0 else base << (i - 1), base << i, bn))
        self.decoder = nn.Module()
        for j in range(depth):
            level = depth - 1 - j
            setattr(self.decoder, f"block{j}", Block(base << (level + 1), base << level, base << level, transposed, bn))
        self.head = nn.Conv2d(base, out_channels, 1)

    def forward(self, x):
        features = []
        for i in range(self.depth + 1):
            if i > 0:
                x = F.max_pool2d(x, 2)
            x = getattr(self.encoder, f"stage{i}")(x)
            features.append(x)
        for j in range(self.depth):
            x = getattr(self.decoder, f"block{j}")(x, features[self.depth - 1 - j])
        return self.head(x)


def build(argv):
    base, depth, out_channels = int(argv[0]), int(argv[1]), int(argv[2])
    return UNet(base, depth, out_channels, argv[3] == "transposed", argv[4] == "true")


def load(model, directory):
    state = {}
    for name, value in model.state_dict().items():
        array = np.load(os.path.join(directory, name + ".npy"))
        state[name] = torch.from_numpy(array.astype(np.float32)).reshape(value.shape).to(value.dtype)
    model.load_state_dict(state)


def bce_dice(logits, target):
    bce = F.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits)
    intersection = (p * target).sum((2, 3))
    total = p.sum((2, 3)) + target.sum((2, 3))
    return bce + (1 - (2 * intersection + 1) / (total + 1)).mean()


def main():
    mode, argv = sys.argv[1], sys.argv[2:]
    torch.set_num_threads(1)
    model = build(argv)
    if mode == "names":
        for name, value in model.state_dict().items():
            print(name, *value.shape)
        return
    directory = argv[5]
    load(model, os.path.join(directory, "weights"))
    x = torch.from_numpy(np.load(os.path.join(directory, "input.npy")))
    if mode == "forward":
        model.eval()
        with torch.no_grad():
            logits = model(x)
        probabilities = torch.sigmoid(logits) if logits.shape[1] == 1 else torch.softmax(logits, 1)
        np.save(os.path.join(directory, "output.npy"), probabilities.numpy().astype(np.float32))
        return
    target = torch.from_numpy(np.load(os.path.join(directory, "target.npy")))
    optimizer_name, rates = argv[6], [float(v) for v in argv[7:]]
    if optimizer_name == "adamw":
        optimizer = torch.optim.AdamW(model.parameters(), lr=rates[0], weight_decay=0.01, eps=1e-8)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=rates[0], momentum=0.9)
    model.train()
    losses = []
    for lr in rates:
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.zero_grad()
        loss = bce_dice(model(x), target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    after = os.path.join(directory, "after")
    os.makedirs(after, exist_ok=True)
    for name, value in model.state_dict().items():
        np.save(os.path.join(after, name + ".npy"), value.detach().float().numpy())
    with open(os.path.join(directory, "losses.txt"), "w") as f:
        f.write(" ".join(repr(v) for v in losses))


if __name__ == "__main__":
    main()
