#!/usr/bin/env python3
"""The models of bench/gpu in PyTorch eager, one case per process, for
run_gpu_bench.py: the baseline seglab's CUDA path is compared with.

  pytorch_eager.py --model unet|unet_resnet34 --size 256 --precision fp32|fp16|bf16
                   --layout nchw|nhwc [--modes infer,train] [--train-batch 16]
                   [--infer-batch 32] [--steps 15] [--warmup 4]

The models are the independent references of tests/python (seglab's U-Net with
base 64, and its decoder on torchvision's resnet34), trained as a PyTorch user
would: AdamW (PyTorch's default foreach implementation), BCE + Dice loss,
torch.autocast with a GradScaler for fp16, batches from pinned host memory
copied with non_blocking=True, no host synchronisation inside the timed steps.
Prints "mode <name> start <unix ms> end <unix ms> images_per_second <x>
peak_allocated_mb <y>" per mode.
"""
import argparse
import os
import sys
import time

import torch
import torch.nn.functional as F
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "python"))
import decoder_reference  # noqa: E402
import unet_reference  # noqa: E402


def build(name):
    if name == "unet":
        return unet_reference.UNet(64, 4, 1, transposed=True, bn=True)
    model = decoder_reference.UNet(transposed=True, attention=False, scse=False, deep=False)
    net = torchvision.models.resnet34(weights=None)
    for layer in ("conv1", "bn1", "layer1", "layer2", "layer3", "layer4"):
        setattr(model.encoder, layer, getattr(net, layer))
    return model


def first(output):
    return output[0] if isinstance(output, (list, tuple)) else output


def bce_dice(logits, target):
    bce = F.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits)
    inter = (p * target).sum((2, 3))
    dice = 1 - (2 * inter + 1) / (p.sum((2, 3)) + target.sum((2, 3)) + 1)
    return bce + dice.mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="unet")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--precision", default="fp32")
    ap.add_argument("--layout", default="nchw")
    ap.add_argument("--modes", default="infer,train")
    ap.add_argument("--train-batch", type=int, default=16)
    ap.add_argument("--infer-batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=15)
    ap.add_argument("--warmup", type=int, default=4)
    a = ap.parse_args()
    torch.backends.cudnn.benchmark = True
    dev = torch.device("cuda")
    fmt = torch.channels_last if a.layout == "nhwc" else torch.contiguous_format
    model = build(a.model).to(dev).to(memory_format=fmt)
    dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(a.precision)
    autocast = lambda: torch.autocast("cuda", dtype=dtype, enabled=dtype is not None)  # noqa: E731
    print(f"model {a.model} size {a.size} precision {a.precision} layout {a.layout} torch {torch.__version__} "
          f"device {torch.cuda.get_device_name()}", flush=True)

    def report(mode, start, images_per_second):
        peak = torch.cuda.max_memory_allocated() / 2**20
        print(f"mode {mode} start {start} end {int(time.time() * 1000)} images_per_second {images_per_second:.2f} "
              f"peak_allocated_mb {peak:.0f}", flush=True)

    for mode in a.modes.split(","):
        torch.cuda.reset_peak_memory_stats()
        if mode == "infer":
            model.eval()
            x_host = torch.randn(a.infer_batch, 3, a.size, a.size).pin_memory()

            def predict():
                with torch.inference_mode(), autocast():
                    x = x_host.to(dev, non_blocking=True).contiguous(memory_format=fmt)
                    return torch.sigmoid(first(model(x)).float()).cpu()

            for _ in range(a.warmup):
                predict()
            start = int(time.time() * 1000)
            t0 = time.perf_counter()
            for _ in range(a.steps):
                predict()
            report("infer", start, a.steps * a.infer_batch / (time.perf_counter() - t0))
        elif mode == "train":
            model.train()
            opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
            scaler = torch.amp.GradScaler("cuda", enabled=a.precision == "fp16")
            batches = [(torch.randn(a.train_batch, 3, a.size, a.size).pin_memory(),
                        (torch.rand(a.train_batch, 1, a.size, a.size) > 0.7).float().pin_memory()) for _ in range(4)]

            def step(i):
                xh, th = batches[i % len(batches)]
                x = xh.to(dev, non_blocking=True).contiguous(memory_format=fmt)
                t = th.to(dev, non_blocking=True)
                opt.zero_grad(set_to_none=True)
                with autocast():
                    logits = first(model(x))
                loss = bce_dice(logits.float(), t)
                scaler.scale(loss).backward()
                scaler.step(opt)
                scaler.update()
                return loss.detach()

            for i in range(a.warmup):
                step(i)
            torch.cuda.synchronize()
            start = int(time.time() * 1000)
            t0 = time.perf_counter()
            for i in range(a.steps):
                last = step(i)
            last.item()
            report("train", start, a.steps * a.train_batch / (time.perf_counter() - t0))


if __name__ == "__main__":
    main()
