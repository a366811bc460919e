#!/usr/bin/python3
"""torchvision references for seglab's encoders and its .pth reader, for tests.

  torchvision_encoders.py encoder ARCH SIZE DIR
      builds torchvision's ARCH with random weights (batch-norm statistics
      randomised too), saves DIR/weights.pth with torch.save(model.state_dict()),
      DIR/input.npy (1 x 3 x SIZE x SIZE) and the encoder's features at every
      scale as DIR/feature<i>.npy (eval mode), and the encoder's parameter count
      (the classifier head excluded) in DIR/count.txt
  torchvision_encoders.py mismatch DIR
      DIR/mismatch.pth: resnet18 weights with a missing, a wrongly shaped and an extra tensor
  torchvision_encoders.py variants DIR
      writes checkpoints that exercise the reader (dtypes, strided views,
      nested dicts, the legacy format, a pickled module) with .npy references
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision

# Where seglab takes each encoder's features (module indices into `features`
# for the sequential models); resnets use the stem and the four layers.
FEATURE_INDICES = {
    "vgg16_bn": (5, 12, 22, 32, 42),
    "mobilenet_v2": (1, 3, 6, 13, 18),
    "efficientnet_b0": (1, 2, 3, 5, 8),
}
HEAD = {"vgg16_bn": "classifier.", "mobilenet_v2": "classifier.", "efficientnet_b0": "classifier."}


def build(arch):
    model = getattr(torchvision.models, arch)(weights=None)
    generator = torch.Generator().manual_seed(7)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                n = module.num_features
                module.weight.copy_(0.5 + torch.rand(n, generator=generator))
                module.bias.copy_(0.1 * torch.randn(n, generator=generator))
                module.running_mean.copy_(0.1 * torch.randn(n, generator=generator))
                module.running_var.copy_(0.5 + torch.rand(n, generator=generator))
                module.num_batches_tracked.fill_(3)
    return model.eval()


def features(arch, model, x):
    out = []
    if arch.startswith("resnet"):
        x = model.relu(model.bn1(model.conv1(x)))
        out.append(x)
        x = model.maxpool(x)
        for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
            x = layer(x)
            out.append(x)
        return out
    indices = FEATURE_INDICES[arch]
    for i, layer in enumerate(model.features):
        if i > indices[-1]:
            break
        x = layer(x)
        if i in indices:
            out.append(x)
    return out


def encoder(arch, size, directory):
    torch.manual_seed(1)
    model = build(arch)
    if arch == "vgg16_bn":
        # vgg's classifier holds 120 M parameters that the encoder never uses;
        # a small stand-in under the same prefix keeps the file small and fast.
        model.classifier = nn.Sequential(nn.Linear(8, 2))
    torch.save(model.state_dict(), os.path.join(directory, "weights.pth"))
    x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(3))
    np.save(os.path.join(directory, "input.npy"), x.numpy())
    with torch.no_grad():
        for i, f in enumerate(features(arch, model, x)):
            np.save(os.path.join(directory, f"feature{i}.npy"), f.numpy().astype(np.float32))
    head = HEAD.get(arch, "fc.")
    count = sum(p.numel() for name, p in model.named_parameters() if not name.startswith(head))
    with open(os.path.join(directory, "count.txt"), "w") as f:
        f.write(str(count))


def variants(directory):
    g = torch.Generator().manual_seed(5)
    base = torch.randn(6, 4, generator=g)
    tensors = {
        "float32": torch.randn(2, 3, 4, 5, generator=g),
        "float16": torch.randn(7, generator=g).half(),
        "bfloat16": torch.randn(3, 2, generator=g).bfloat16(),
        "float64": torch.randn(4, generator=g).double(),
        "int64": torch.tensor(12345, dtype=torch.int64),
        "uint8": torch.arange(5, dtype=torch.uint8),
        "transposed": base.t(),            # strides (1, 4)
        "sliced": base[2:5, 1:3],          # storage offset 9, shares base's storage
        "base": base,
    }
    state = nn.Module().state_dict()  # an OrderedDict with a _metadata attribute
    state.update(tensors)
    torch.save(state, os.path.join(directory, "dtypes.pth"))
    for name, value in tensors.items():
        np.save(os.path.join(directory, name + ".npy"), np.ascontiguousarray(value.float().numpy()))
    # A real module's state_dict (OrderedDict + _metadata + num_batches_tracked).
    module = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4))
    torch.save(module.state_dict(), os.path.join(directory, "module.pth"))
    torch.save({"epoch": 3, "state_dict": module.state_dict()}, os.path.join(directory, "nested.pth"))
    torch.save(module.state_dict(), os.path.join(directory, "legacy.pth"), _use_new_zipfile_serialization=False)
    torch.save(module, os.path.join(directory, "module_object.pth"))
    torch.save(module.state_dict(), os.path.join(directory, "protocol4.pth"), pickle_protocol=4)


def mismatch(directory):
    """resnet18 weights with one tensor missing, one of the wrong shape and one extra."""
    state = build("resnet18").state_dict()
    del state["layer1.0.conv1.weight"]
    state["layer2.0.conv1.weight"] = torch.zeros(128, 64, 1, 1)
    state["extra.weight"] = torch.zeros(3)
    torch.save(state, os.path.join(directory, "mismatch.pth"))


def main():
    torch.set_num_threads(1)
    mode, argv = sys.argv[1], sys.argv[2:]
    if mode == "encoder":
        encoder(argv[0], int(argv[1]), argv[2])
    elif mode == "variants":
        variants(argv[0])
    elif mode == "mismatch":
        mismatch(argv[0])

    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
