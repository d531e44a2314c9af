#!/usr/bin/env python3
"""Tabulates scripts/bench-torch.sh runs: PyTorch vs spark-mlp, per recipe, with ratios.

  python3 scripts/bench_compare.py target/bench/torch mnist:0.98 synthetic:0.9

Reads, for each recipe and run i, RECIPE-torch-i.jsonl (scripts/torch_mlp.py's lines),
RECIPE-spark-i.jsonl (spark-mlp's metrics.jsonl; RECIPE-spark@NAME-i.* for its variant NAME),
RECIPE-spark-i.json (its model.json) and RECIPE-SYSTEM-i.wall (the process's wall seconds). Per run: steady epoch seconds (median of the
epochs after the first), samples/s, time to the target validation accuracy (wall seconds since
training started at the end of the first epoch that reaches it), final validation and test
accuracy. Ratios are spark-mlp / PyTorch of the medians over runs (time: below 1 is faster).
"""
import glob
import json
import os
import statistics
import sys


def lines(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def summary(epochs, rows, target, test, wall):
    """epochs: [(train seconds, elapsed seconds, validation accuracy)] in order."""
    steady = statistics.median(e[0] for e in (epochs[1:] or epochs))
    reached = next((e[1] for e in epochs if e[2] >= target), None)
    return {"epochs": len(epochs), "epoch1": epochs[0][0], "steady": steady,
            "samples": rows / steady, "to_target": reached, "val": epochs[-1][2],
            "test": test, "wall": wall}


def torch_run(prefix, target):
    ls = lines(prefix + ".jsonl")
    start = next(l for l in ls if l["event"] == "start")
    ep = [(l["epoch_seconds"], l["elapsed_seconds"], l["validation_accuracy"])
          for l in ls if l["event"] == "epoch"]
    last = [l for l in ls if l["event"] == "epoch"][-1]
    return summary(ep, start["train_rows"], target, last.get("test_accuracy"), wall(prefix))


def spark_run(prefix, target):
    ls = lines(prefix + ".jsonl")
    start = next(l for l in ls if l["event"] == "start")
    rows = start["train_rows"]
    # an epoch line's samples/s counts the epoch's steps only: train rows / it is their seconds
    ep = [(rows / l["samples_per_second"], l["elapsed_seconds"], l["validation_metric"])
          for l in ls if l["event"] == "epoch"]
    with open(prefix + ".json") as f:
        test = json.load(f).get("metrics", {}).get("test", {}).get("accuracy")
    s = summary(ep, rows, target, test, wall(prefix))
    s["startup"] = sum(start["phase_seconds"].values())
    return s


def wall(prefix):
    try:
        with open(prefix + ".wall") as f:
            return float(f.read())
    except OSError:
        return None


def median(runs, key):
    v = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(v) if v else None


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def main():
    out, recipes = sys.argv[1], sys.argv[2:]
    print("| recipe | system | runs | epoch 1 s | steady epoch s | samples/s | time to target s "
          "| final val acc | test acc | process wall s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    ratios = []
    for spec in recipes:
        recipe, target = spec.split(":")
        target = float(target)
        systems = {}
        # spark-mlp as configured is tagged "spark", its variants "spark@NAME"
        tags = sorted({os.path.basename(p)[len(recipe) + 1:].rsplit("-", 1)[0]
                       for p in glob.glob(os.path.join(out, f"{recipe}-spark*-*.jsonl"))})
        for tag in ["torch"] + tags:
            system = ("pytorch" if tag == "torch" else
                      "spark-mlp" + (" " + tag.split("@", 1)[1] if "@" in tag else ""))
            read = torch_run if tag == "torch" else spark_run
            prefixes = sorted(p[:-6] for p in glob.glob(os.path.join(out, f"{recipe}-{tag}-*.jsonl")))
            runs = [read(p, target) for p in prefixes]
            if not runs:
                continue
            systems[system] = runs
            acc = lambda k: fmt(median(runs, k), ".2%")
            print(f"| {recipe} (target {target:.1%}) | {system} | {len(runs)} "
                  f"| {fmt(median(runs, 'epoch1'), '.1f')} | {fmt(median(runs, 'steady'), '.2f')} "
                  f"| {fmt(median(runs, 'samples'), ',.0f')} | {fmt(median(runs, 'to_target'), '.1f')} "
                  f"| {acc('val')} | {acc('test')} | {fmt(median(runs, 'wall'), '.1f')} |")
        for name in [n for n in systems if n != "pytorch" and "pytorch" in systems]:
            t, s = systems["pytorch"], systems[name]
            r = lambda k: (None if median(s, k) is None or not median(t, k)
                           else median(s, k) / median(t, k))
            x = lambda k: "-" if r(k) is None else f"{r(k):.2f}x"  # "-": a side missed the target
            ratios.append(f"{recipe}: {name} / PyTorch: steady epoch {x('steady')}, "
                          f"samples/s {x('samples')}, time to {target:.1%} {x('to_target')}, "
                          f"process wall {x('wall')}; "
                          f"spark-mlp start-up before the first step {fmt(median(s, 'startup'), '.1f')} s")
    print()
    for line in ratios:
        print(line)


if __name__ == "__main__":
    main()
