#!/usr/bin/python3
"""PyTorch side of the training-step benchmark (TrainingStepBenchmark.cs runs it as a child process).

Builds the SAME SimCLR step as the C# library: CIFAR ResNet-18 (or the SmallConvNet) with torchvision-style
init (kaiming-normal fan_out for convolutions, BatchNorm weight 1 / bias 0, PyTorch default Linear init),
a 2-layer projection head Linear(F, F) - ReLU - Linear(F, 128), the NT-Xent loss of lib/ContrastiveNotes
(L2-normalise the stacked views, cosine logits / tau, diagonal set to -1e9, cross-entropy against the other
view), Adam with two parameter groups (weights / biases and norms, weight decay 0). Augmentation is excluded
(identity views on both sides); the C# side measures it separately.

Protocol (one command per line on stdin, one JSON line per answer on stdout):
    setup <workload> <threads>   workload: resnet18 | smallconv
    steps <n>                    runs n steps, answers {"ms": [...], "loss": first loss}
    quit
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, inp, out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out)
        self.conv2 = nn.Conv2d(out, out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out)
        self.downsample = None
        if stride != 1 or inp != out:
            self.downsample = nn.Sequential(nn.Conv2d(inp, out, 1, stride, bias=False), nn.BatchNorm2d(out))

    def forward(self, x):  # torchvision's BasicBlock.forward: ReLU(inplace=True) and out += identity
        out = F.relu(self.bn1(self.conv1(x)), inplace=True)
        out = self.bn2(self.conv2(out))
        out += x if self.downsample is None else self.downsample(x)
        return F.relu(out, inplace=True)


class ResNet18(nn.Module):
    """CIFAR stem (3x3 conv stride 1, no max-pool), stages 64-128-256-512, global average pooling."""

    def __init__(self, in_channels=3):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_channels, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True))
        widths, layers, inp = [64, 128, 256, 512], [], 64
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            layers.append(nn.Sequential(BasicBlock(inp, w, stride), BasicBlock(w, w, 1)))
            inp = w
        self.layer1, self.layer2, self.layer3, self.layer4 = layers
        self.feature_dim = 512

    def forward(self, x):
        x = self.stem(x)
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return x.mean((2, 3))


class SmallConvNet(nn.Module):
    """Three conv-BN-ReLU blocks (32, 64, 128 channels), max-pool after each (the last adaptive to 3x3),
    then Linear(128*3*3, 128, bias=False) - BatchNorm1d - ReLU: the library's SmallConvNet layer for layer."""

    def __init__(self, in_channels=1, feature_dim=128, width=32):
        super().__init__()

        def block(i, o, pool):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(), pool)

        self.body = nn.Sequential(block(in_channels, width, nn.MaxPool2d(2)), block(width, 2 * width, nn.MaxPool2d(2)),
                                  block(2 * width, 4 * width, nn.AdaptiveMaxPool2d(3)), nn.Flatten(),
                                  nn.Linear(4 * width * 9, feature_dim, bias=False), nn.BatchNorm1d(feature_dim), nn.ReLU())
        self.feature_dim = feature_dim

    def forward(self, x):
        return self.body(x)


def init_like_torchvision(model):
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


def nt_xent(z1, z2, temperature=0.5):
    z = F.normalize(torch.cat([z1, z2], 0), p=2, dim=1)
    logits = z @ z.t() / temperature
    two_n = logits.shape[0]
    logits = logits.masked_fill(torch.eye(two_n, dtype=torch.bool), -1e9)
    n = two_n // 2
    positives = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(logits, positives)


class Workload:
    def __init__(self, name):
        torch.manual_seed(1)
        if name == "resnet18":
            self.encoder, shape = ResNet18(3), (128, 3, 32, 32)
        elif name == "smallconv":
            self.encoder, shape = SmallConvNet(1), (256, 1, 28, 28)
        else:
            raise SystemExit(f"unknown workload {name}")
        init_like_torchvision(self.encoder)
        f = self.encoder.feature_dim
        self.head = nn.Sequential(nn.Linear(f, f), nn.ReLU(), nn.Linear(f, 128))
        params = list(self.encoder.parameters()) + list(self.head.parameters())
        decayed = [p for p in params if p.dim() > 1]
        others = [p for p in params if p.dim() <= 1]
        self.optimizer = torch.optim.Adam([{"params": decayed, "weight_decay": 0.0},
                                           {"params": others, "weight_decay": 0.0}], lr=1e-3)
        self.images = torch.rand(shape)
        self.encoder.train()
        self.head.train()

    def step(self):
        self.optimizer.zero_grad()
        views = torch.cat([self.images, self.images], 0)  # identity augmentation, as on the C# side
        z1, z2 = self.head(self.encoder(views)).chunk(2, 0)
        loss = nt_xent(z1, z2)
        value = loss.item()
        loss.backward()
        self.optimizer.step()
        return value


def main():
    workload = None
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "setup":
            torch.set_num_threads(int(parts[2]))
            workload = Workload(parts[1])
            print(json.dumps({"ok": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
        elif parts[0] == "steps":
            times, first = [], None
            for _ in range(int(parts[1])):
                start = time.perf_counter()
                loss = workload.step()
                times.append((time.perf_counter() - start) * 1000.0)
                first = loss if first is None else first
            print(json.dumps({"ms": times, "loss": first}), flush=True)
        elif parts[0] == "quit":
            break


if __name__ == "__main__":
    main()
