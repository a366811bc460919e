#!/usr/bin/python3
"""An independent PyTorch implementation of seglab's plain U-Net, for tests.

It mirrors the module structure seglab names its parameters after, so its
state_dict names must equal seglab's graph parameter names. Usage:

  unet_reference.py names   BASE DEPTH OUT_CHANNELS UPSAMPLING BATCH_NORM
  unet_reference.py forward BASE DEPTH OUT_CHANNELS UPSAMPLING BATCH_NORM DIR
      reads DIR/weights/*.npy and DIR/input.npy, writes DIR/output.npy (probabilities)
  unet_reference.py train   BASE DEPTH OUT_CHANNELS UPSAMPLING BATCH_NORM DIR
      for each line "CASE OPTIMIZER WEIGHT_DECAY LOSS DICE_SMOOTH LR..." of
      DIR/cases.txt (one Python start for all of them): from DIR/weights/*.npy,
      one step per LR on DIR/input.npy and DIR/CASE/target.npy (0, 1, or 255 =
      ignored) with OPTIMIZER (sgd, adam, adamw) and LOSS (bce, dice, bce_dice);
      writes DIR/CASE/after/*.npy (weights and buffers) and DIR/CASE/losses.txt

The losses as seglab defines them (`seglab list losses`: "soft Dice loss, per
image, averaged", train.dice_smooth added to its numerator and denominator),
written here from that definition with PyTorch's own functions: pixels whose
target is 255 are left out of both; bce is the mean binary cross-entropy over
the pixels not left out; dice is 1 - (2 sum(p t) + s) / (sum p + sum t + s) for
each image, then averaged over the images of the batch (s = DICE_SMOOTH);
bce_dice is their sum.
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


IGNORED = 255


def bce(logits, target):
    kept = target != IGNORED
    return F.binary_cross_entropy_with_logits(logits[kept], target[kept])


def dice(logits, target, smooth):
    losses = []
    for image_logits, image_target in zip(logits, target):  # per image
        kept = image_target != IGNORED
        p, t = torch.sigmoid(image_logits[kept]), image_target[kept]
        losses.append(1 - (2 * (p * t).sum() + smooth) / (p.sum() + t.sum() + smooth))
    return torch.stack(losses).mean()


def loss_of(name, logits, target, smooth):
    if name == "bce":
        return bce(logits, target)
    if name == "dice":
        return dice(logits, target, smooth)
    return bce(logits, target) + dice(logits, target, smooth)


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
    with open(os.path.join(directory, "cases.txt")) as f:
        cases = [line.split() for line in f if line.strip()]
    for case in cases:
        model = build(argv)
        load(model, os.path.join(directory, "weights"))
        train(model, x, os.path.join(directory, case[0]), case[1:])


def train(model, x, directory, case):
    target = torch.from_numpy(np.load(os.path.join(directory, "target.npy")))
    optimizer_name, weight_decay, loss_name, smooth = case[0], float(case[1]), case[2], float(case[3])
    rates = [float(v) for v in case[4:]]
    if optimizer_name == "adamw":
        optimizer = torch.optim.AdamW(model.parameters(), lr=rates[0], weight_decay=weight_decay, eps=1e-8)
    elif optimizer_name == "adam":  # weight decay as an L2 term added to the gradient
        optimizer = torch.optim.Adam(model.parameters(), lr=rates[0], weight_decay=weight_decay, eps=1e-8)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=rates[0], momentum=0.9, weight_decay=weight_decay)
    model.train()
    losses = []
    for lr in rates:
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.zero_grad()
        loss = loss_of(loss_name, model(x), target, smooth)
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
