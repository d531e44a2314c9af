#!/usr/bin/env python3
"""The single-machine anchor of scripts/bench-torch.sh: the same MLP recipe as spark-mlp, in PyTorch.

Trains a ReLU MLP with Adam and a per-step cosine decay of the learning rate, holds out a fraction
of the training rows for validation (drawn from --seed), and prints one JSON line per epoch:
training seconds and samples/s of the epoch (the validation pass excluded), validation and test
accuracy, and the wall seconds since training started at the end of the epoch's steps (earlier
validation passes included, as spark-mlp's elapsed_seconds). Inputs are read before the clock
starts; the test pass is not timed.

  python3 scripts/torch_mlp.py --mnist ../shared/data/mnist --hidden 512,256 --epochs 8
  python3 scripts/torch_mlp.py --csv target/bench/torch/synthetic.csv --label-column label

Needs Debian's python3-torch (apt-get install python3-torch) and numpy.
"""
import argparse
import glob
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    """An IDX file (MNIST): big-endian header of dimension sizes, then unsigned bytes."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def mnist(directory, prefix):
    images = read_idx(os.path.join(directory, prefix + "-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(directory, prefix + "-labels-idx1-ubyte.gz"))
    # the same scaling as spark-mlp's idx reader: pixels / 255, in [0, 1]
    return images.reshape(len(images), -1).astype(np.float32) / 255.0, labels.astype(np.int64)


def csv(path, label_column):
    """A CSV file, or a directory of part-*.csv files (as Spark writes them), with a header."""
    files = sorted(glob.glob(os.path.join(path, "*.csv"))) if os.path.isdir(path) else [path]
    if not files:
        sys.exit(f"{path}: no .csv files")
    with open(files[0]) as f:
        header = f.readline().strip().split(",")
    if label_column not in header:
        sys.exit(f"{files[0]}: no column {label_column!r} in the header {header}")
    parts = [np.loadtxt(p, delimiter=",", skiprows=1, dtype=np.float32, ndmin=2) for p in files]
    table = np.concatenate(parts)
    y = header.index(label_column)
    return np.delete(table, y, axis=1), table[:, y].astype(np.int64)


def accuracy(model, x, y, batch=8192):
    model.eval()
    with torch.no_grad():
        correct = sum((model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
                      for i in range(0, len(x), batch))
    model.train()
    return correct / len(x)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--mnist", help="directory of the four MNIST .gz files (test = t10k)")
    src.add_argument("--csv", help="training CSV file or directory of part files")
    p.add_argument("--label-column", default="label")
    p.add_argument("--hidden", default="512,256", help="hidden widths, comma-separated")
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--min-lr", type=float, default=1e-5, help="end of the cosine decay")
    p.add_argument("--validation-fraction", type=float, default=0.1)
    p.add_argument("--threads", type=int, default=1,
                   help="intra-op threads; the BLAS has its own (OPENBLAS_NUM_THREADS)")
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    if a.mnist:
        x, y = mnist(a.mnist, "train")
        x_test, y_test = mnist(a.mnist, "t10k")
    else:
        x, y = csv(a.csv, a.label_column)
        x_test, y_test = None, None
    rng = np.random.default_rng(a.seed)
    held = rng.random(len(x)) < a.validation_fraction
    x_val, y_val = torch.from_numpy(x[held]), torch.from_numpy(y[held])
    x_tr, y_tr = torch.from_numpy(x[~held]), torch.from_numpy(y[~held])
    if x_test is not None:
        x_test, y_test = torch.from_numpy(x_test), torch.from_numpy(y_test)
    classes = int(y.max()) + 1

    widths = [x.shape[1]] + [int(w) for w in a.hidden.split(",")]
    layers = []
    for i in range(len(widths) - 1):
        layers += [nn.Linear(widths[i], widths[i + 1]), nn.ReLU()]
    model = nn.Sequential(*layers, nn.Linear(widths[-1], classes))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps_per_epoch = math.ceil(len(x_tr) / a.batch)
    total = steps_per_epoch * a.epochs
    # lr(t) = min + (lr0 - min) (1 + cos(pi t / T)) / 2, per step, as spark-mlp's cosine schedule
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: (a.min_lr + (a.lr - a.min_lr) * 0.5
                                                              * (1 + math.cos(math.pi * min(t, total) / total))) / a.lr)
    loss_fn = nn.CrossEntropyLoss()
    print(json.dumps({"event": "start", "system": "pytorch", "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "train_rows": len(x_tr),
                      "validation_rows": len(x_val), "parameters": sum(q.numel() for q in model.parameters())}),
          flush=True)
    started = time.perf_counter()
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        order = torch.randperm(len(x_tr))
        loss_sum = 0.0
        for s in range(steps_per_epoch):
            idx = order[s * a.batch:(s + 1) * a.batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_tr[idx]), y_tr[idx])
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(idx)
        seconds = time.perf_counter() - t0
        # like spark-mlp's elapsed_seconds: taken before this epoch's validation pass
        line = {"event": "epoch", "epoch": epoch, "train_loss": loss_sum / len(x_tr),
                "epoch_seconds": seconds, "samples_per_second": len(x_tr) / seconds,
                "elapsed_seconds": time.perf_counter() - started}
        line["validation_accuracy"] = accuracy(model, x_val, y_val)
        if x_test is not None:
            line["test_accuracy"] = accuracy(model, x_test, y_test)
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
