#!/usr/bin/env python3
"""Writes the golden outputs of the general model's numpy reference.

    python3 scripts/course_goldens.py [path/to/course_numpy.py]

The path defaults to ../shared/reference/course_numpy.py from the repository
root. For every configuration below, the reference runs twice in this process:
once as it is, and once with every initial weight and bias raised by 1e-13.
Past some point a run can turn chaotic: a rounding difference of that size
changes what it prints. A golden keeps the printed cost lines that are the same
in both runs, from the first one up to (not including) the first that differs
or is not a finite number; the accuracy line is kept only when every cost line
was kept and both runs print the same accuracy. A configuration that keeps
fewer than three cost lines is left out.

Writes crate/tests/data/course_model.json (network shapes, activations,
initialisation, features, data) and crate/tests/data/course_training.json
(optimizers, mini-batches, regularisation), each a list of
{"args": [...], "lines": [...], "accuracy": "Accuracy: A%" or null}.
The configurations come from a seeded generator, so a rerun with the same
numpy writes the same files.
"""

import contextlib
import importlib.util
import io
import json
import math
import os
import random
import sys
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_REFERENCE = os.path.join(ROOT, "..", "shared", "reference", "course_numpy.py")
OUT_DIR = os.path.join(ROOT, "crate", "tests", "data")

NUDGE = 1e-13
MIN_LINES = 3
SEED = 20240601

FEATURES = ("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")
ACTIVATIONS = ("tanh", "relu", "leaky_relu", "sigmoid", "linear")
INITS = ("tutorial", "xavier", "he")
LEARNING_RATES = ("0.01", "0.05", "0.1", "0.3", "0.5", "1.0", "1.2")
ADAM_LEARNING_RATES = ("0.001", "0.005", "0.01", "0.05")
POINTS = ("50", "100", "200", "400")
NOISES = ("0.1", "0.2", "0.3")
BATCHES = ("8", "16", "32", "64", "100")
L2S = ("0", "0.01", "0.1", "0.7")
L1S = ("0", "0.001", "0.01")
BETAS = ("0.9", "0.8", "0.95", "0.5")
BETA1S = ("0.9", "0.8", "0.95")
BETA2S = ("0.999", "0.99", "0.9")
EPSILONS = ("1e-8", "1e-6", "1e-4")

MODEL_RANDOM = 38
TRAINING_RANDOM = 35


def load_reference(path):
    spec = importlib.util.spec_from_file_location("course_numpy", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(ref, args, nudge):
    """What the reference prints for `args`, as a list of lines."""
    original = ref.initialize

    def nudged(dims, init, seed):
        params = original(dims, init, seed)
        return {k: p + nudge for k, p in params.items()}

    out = io.StringIO()
    saved_argv = sys.argv
    sys.argv = ["course_numpy.py"] + list(args)
    if nudge:
        ref.initialize = nudged
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref.main()
    finally:
        ref.initialize = original
        sys.argv = saved_argv
    return out.getvalue().splitlines()


def finite_cost(line):
    return math.isfinite(float(line.rsplit(":", 1)[1]))


def golden(ref, args):
    """The stable part of what `args` prints, and where (if anywhere) it was cut."""
    plain = run(ref, args, 0.0)
    nudged = run(ref, args, NUDGE)
    costs = [l for l in plain if l.startswith("Cost after iteration")]
    other = [l for l in nudged if l.startswith("Cost after iteration")]
    acc_plain = [l for l in plain if l.startswith("Accuracy:")]
    acc_nudged = [l for l in nudged if l.startswith("Accuracy:")]
    if len(costs) + len(acc_plain) != len(plain) or len(acc_plain) != 1:
        raise RuntimeError("unexpected output for %s: %r" % (args, plain[:5]))
    kept = []
    cut = None
    for i, line in enumerate(costs):
        if i >= len(other) or other[i] != line:
            cut = ("differs", line, other[i] if i < len(other) else None)
            break
        if not finite_cost(line):
            cut = ("not finite", line, None)
            break
        kept.append(line)
    accuracy = None
    if cut is None and acc_plain == acc_nudged:
        accuracy = acc_plain[0]
    elif cut is None:
        cut = ("accuracy differs", acc_plain[0], acc_nudged[0])
    return {"args": list(args), "lines": kept, "accuracy": accuracy}, cut, len(costs)


def printed_count(iters, every):
    return (iters - 1) // every + 1


def random_model_args(rng):
    """Data, features, shape, activations, initialisation and full-batch descent."""
    while True:
        names = [f for f in FEATURES if rng.random() < 0.4]
        if names:
            break
    depth = rng.randint(0, 6)
    widths = [rng.randint(1, 8) for _ in range(depth)]
    if depth > 1 and rng.random() < 0.5:
        activation = ",".join(rng.choice(ACTIVATIONS) for _ in widths)
    else:
        activation = rng.choice(ACTIVATIONS)
    return [
        "--points", rng.choice(POINTS),
        "--data-seed", str(rng.randint(1, 5)),
        "--noise", rng.choice(NOISES),
        "--features", ",".join(names),
        "--layers", ",".join(map(str, widths)),
        "--activation", activation,
        "--init", rng.choice(INITS),
        "--seed", str(rng.randint(0, 20)),
    ]


def print_every(rng, iters, fallback):
    """100 or 250 epochs between printed costs; 100, then `fallback`, when that prints too few."""
    for every in (rng.choice((100, 250)), 100, fallback):
        if printed_count(iters, every) >= MIN_LINES:
            return every
    return fallback


def random_model(rng):
    iters = rng.randint(200, 3000)
    return random_model_args(rng) + [
        "--lr", rng.choice(LEARNING_RATES),
        "--iters", str(iters),
        "--print-every", str(print_every(rng, iters, 100)),
    ]


def random_training(rng):
    args = random_model_args(rng)
    optimizer = rng.choice(("gd", "momentum", "adam"))
    args += ["--optimizer", optimizer]
    if optimizer == "adam":
        args += ["--lr", rng.choice(ADAM_LEARNING_RATES)]
        if rng.random() < 0.5:
            args += ["--beta1", rng.choice(BETA1S)]
        if rng.random() < 0.5:
            args += ["--beta2", rng.choice(BETA2S)]
        if rng.random() < 0.5:
            args += ["--epsilon", rng.choice(EPSILONS)]
    else:
        args += ["--lr", rng.choice(LEARNING_RATES)]
        if optimizer == "momentum" and rng.random() < 0.5:
            args += ["--beta", rng.choice(BETAS)]
    batch = "0" if rng.random() < 0.25 else rng.choice(BATCHES)
    args += ["--batch", batch]
    if batch != "0":
        args += ["--shuffle-seed", str(rng.randint(0, 100))]
    args += ["--l2", rng.choice(L2S), "--l1", rng.choice(L1S)]
    iters = rng.randint(100, 1500)
    # 100 or 250 epochs between printed costs, or 50 when neither prints three.
    return args + ["--iters", str(iters), "--print-every", str(print_every(rng, iters, 50))]


def model_configs(rng):
    fixed = [[]]  # the tutorial's run
    fixed += [["--layers", str(n), "--iters", "5000"] for n in (1, 2, 3, 4, 5)]
    fixed.append(["--layers", "8,8", "--activation", "relu", "--init", "he", "--seed", "4",
                  "--lr", "0.1", "--iters", "2001"])
    return fixed + [random_model(rng) for _ in range(MODEL_RANDOM)]


def training_configs(rng):
    fixed = [["--optimizer", "adam", "--lr", "0.01", "--batch", "64", "--layers", "5,3",
              "--iters", "1001", "--print-every", "250"]]
    return fixed + [random_training(rng) for _ in range(TRAINING_RANDOM)]


def build(ref, configs, name):
    entries = []
    started = time.time()
    for i, args in enumerate(configs):
        t0 = time.time()
        entry, cut, printed = golden(ref, args)
        note = "complete" if cut is None else "cut: %s at %r (other run: %r)" % cut
        kept = len(entry["lines"]) >= MIN_LINES
        if kept:
            entries.append(entry)
        print("%s %2d  %5.1fs  %2d/%2d lines%s  %s  %s" % (
            name, i, time.time() - t0, len(entry["lines"]), printed,
            "" if kept else "  LEFT OUT", note, " ".join(args) or "(defaults)"),
            file=sys.stderr, flush=True)
    print("%s: %d of %d configurations, %d cost lines, %d accuracies, %.0fs" % (
        name, len(entries), len(configs), sum(len(e["lines"]) for e in entries),
        sum(e["accuracy"] is not None for e in entries), time.time() - started),
        file=sys.stderr, flush=True)
    return entries


def write(entries, filename):
    path = os.path.join(OUT_DIR, filename)
    with open(path, "w") as f:
        f.write("[\n")
        f.write(",\n".join(json.dumps(e) for e in entries))
        f.write("\n]\n")
    print("wrote %s (%d bytes)" % (os.path.relpath(path, ROOT), os.path.getsize(path)),
          file=sys.stderr)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_REFERENCE
    if not os.path.isfile(path):
        sys.exit("no reference at %s (pass the path of course_numpy.py)" % path)
    ref = load_reference(path)
    models = model_configs(random.Random(SEED))
    trainings = training_configs(random.Random(SEED + 1))
    write(build(ref, models, "model"), "course_model.json")
    write(build(ref, trainings, "training"), "course_training.json")


if __name__ == "__main__":
    main()
