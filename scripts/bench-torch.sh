#!/usr/bin/env bash
# Side by side with the single-machine anchor: the same recipe in PyTorch (scripts/torch_mlp.py, on
# both cores) and in spark-mlp (local mode, all cores), runs alternating (PyTorch first in odd runs,
# spark-mlp first in even ones), then per-epoch time, samples/s and time to a target validation
# accuracy for both and their ratios (scripts/bench_compare.py).
#
#   scripts/bench-torch.sh                        MNIST, then 1M synthetic rows, 1 run each
#   RECIPES=mnist RUNS=3 scripts/bench-torch.sh   3 alternating runs of MNIST only
#   SPARK_VARIANTS="sync h16:train.sync-every=16" RECIPES=mnist scripts/bench-torch.sh
#                                                 spark-mlp as configured and with local SGD (H=16)
#
# SPARK_VARIANTS: space-separated spark-mlp variants, each NAME or NAME:KEY=VALUE,KEY=VALUE (--set
# overrides); "sync" (the default) is the recipe as configured. Every variant runs in every run.
#
# Recipes:
#   mnist      conf/examples/mnist.conf: 784-512-256-10 relu, Adam 1e-3 with cosine decay to 1e-5,
#              batch 256, 8 epochs (MNIST_EPOCHS; the cosine decay spans them), 10% of the 60,000
#              training images held out for validation,
#              tested on the 10,000 t10k images; target 98.0% (MNIST_TARGET). Data: MNIST_DIR
#              (default ../shared/data/mnist), the same files for both.
#   synthetic  SYN_ROWS (1000000) rows of `spark-mlp generate` (50 features, teacher 50-64-32-5, 5
#              classes) written once as CSV under target/bench/torch/ and read by both; network
#              50-64-32-5 relu, Adam SYN_LR (0.005) with cosine decay, batch SYN_BATCH (1024),
#              SYN_EPOCHS (3) epochs, 1% held out for validation; target SYN_TARGET (0.85).
# PyTorch threads: TORCH_THREADS (default 1) intra-op threads and TORCH_BLAS_THREADS (default 2)
# OpenBLAS threads, PyTorch's fastest setting on this 2-core machine. Debian's torch calls OpenBLAS
# for its matrix products; with 2 intra-op (OpenMP) threads as well, OpenBLAS's spinning threads and
# OpenMP's compete for the 2 cores: 56 ms per MNIST step (fwd 16, bwd 23, Adam 16) against 18 ms
# with 1 + 2 (fwd 6.5, bwd 7.9, Adam 3.5); 12 s per epoch against 3.7 s.
# Without python3-torch the PyTorch part is skipped with one line saying how to install it, and
# spark-mlp still runs. PYTHON (default /usr/bin/python3, the interpreter of Debian's python3-torch)
# runs the PyTorch side. Outputs: target/bench/torch/ (per run: the JSON lines of both systems,
# spark-mlp's log and model.json, each process's wall seconds) and summary.md there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

RECIPES="${RECIPES:-mnist synthetic}"
RUNS="${RUNS:-1}"
SPARK_VARIANTS="${SPARK_VARIANTS:-sync}"
PYTHON="${PYTHON:-/usr/bin/python3}"
TORCH_THREADS="${TORCH_THREADS:-1}"
TORCH_BLAS_THREADS="${TORCH_BLAS_THREADS:-2}"
MNIST_DIR="${MNIST_DIR:-../shared/data/mnist}"
MNIST_TARGET="${MNIST_TARGET:-0.98}"
MNIST_EPOCHS="${MNIST_EPOCHS:-8}"
SYN_ROWS="${SYN_ROWS:-1000000}"
SYN_BATCH="${SYN_BATCH:-1024}"
SYN_EPOCHS="${SYN_EPOCHS:-3}"
SYN_LR="${SYN_LR:-0.005}"
SYN_TARGET="${SYN_TARGET:-0.85}"
OUT="$ROOT/target/bench/torch"
mkdir -p "$OUT"

step() { echo "[bench-torch.sh $(date -u +%H:%M:%S)] $*" >&2; }
TORCH=1
if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "PyTorch part skipped: $PYTHON cannot import torch (install Debian's python3-torch:" \
    "apt-get install python3-torch); running spark-mlp only" >&2
  TORCH=0
fi
ensure_built

timed() { # file command...: runs the command, its wall seconds to file
  local file="$1" t0; shift
  t0=$(date +%s.%N)
  "$@"
  echo "$(date +%s.%N) - $t0" | bc > "$file"
}

# recipe run variant: one spark-mlp training with the variant's --set overrides, its
# metrics.jsonl and model.json kept beside its log as RECIPE-spark[@VARIANT]-RUN.*
spark_run() {
  local recipe="$1" i="$2" variant="$3"; shift 3
  local name="${variant%%:*}" tag=spark sets=() kv
  [[ "$name" == sync ]] || tag="spark@$name"
  if [[ "$variant" == *:* ]]; then
    IFS=, read -ra kv <<< "${variant#*:}"
    for k in "${kv[@]}"; do sets+=(--set "$k"); done
  fi
  local model="$OUT/$recipe-model" base="$OUT/$recipe-$tag-$i"
  step "$recipe run $i: spark-mlp $name ${sets[*]:-}"
  timed "$base.wall" scripts/spark-mlp train "$@" "${sets[@]}" --set output.model="$model" \
    --set output.overwrite=true > "$base.log" 2>&1 \
    || { echo "spark-mlp failed: see $base.log" >&2; exit 1; }
  cp "$model/metrics.jsonl" "$base.jsonl"
  cp "$model/model.json" "$base.json"
}

torch_run() {
  local recipe="$1" i="$2"; shift 2
  [[ "$TORCH" == 1 ]] || return 0
  step "$recipe run $i: PyTorch"
  timed "$OUT/$recipe-torch-$i.wall" env OPENBLAS_NUM_THREADS="$TORCH_BLAS_THREADS" \
    OMP_NUM_THREADS="$TORCH_THREADS" "$PYTHON" scripts/torch_mlp.py --threads "$TORCH_THREADS" \
    "$@" > "$OUT/$recipe-torch-$i.jsonl" \
    || { echo "the PyTorch run failed (its output: $OUT/$recipe-torch-$i.jsonl)" >&2; exit 1; }
}

spark_variants() { # recipe run: every variant, in the given order (reversed in even runs)
  local recipe="$1" i="$2" v vs=($SPARK_VARIANTS)
  ((i % 2)) || vs=($(printf '%s\n' "${vs[@]}" | tac))
  for v in "${vs[@]}"; do spark_run "$recipe" "$i" "$v" "${SPARK_ARGS[@]}"; done
}

alternate() { # recipe; uses SPARK_ARGS and TORCH_ARGS
  local recipe="$1" i
  rm -f "$OUT/$recipe"-{spark,torch}*
  for ((i = 1; i <= RUNS; i++)); do
    if ((i % 2)); then
      torch_run "$recipe" "$i" "${TORCH_ARGS[@]}"; spark_variants "$recipe" "$i"
    else
      spark_variants "$recipe" "$i"; torch_run "$recipe" "$i" "${TORCH_ARGS[@]}"
    fi
  done
}

echo "load before: $(uptime | sed 's/.*load average: //')" > "$OUT/load.txt"
SUMMARY=()
for recipe in $RECIPES; do
  case "$recipe" in
    mnist)
      SPARK_ARGS=(conf/examples/mnist.conf
        --set data.train.path="$MNIST_DIR/train-images-idx3-ubyte.gz"
        --set data.train.labels-path="$MNIST_DIR/train-labels-idx1-ubyte.gz"
        --set data.test.path="$MNIST_DIR/t10k-images-idx3-ubyte.gz"
        --set data.test.labels-path="$MNIST_DIR/t10k-labels-idx1-ubyte.gz"
        --set train.epochs="$MNIST_EPOCHS")
      TORCH_ARGS=(--mnist "$MNIST_DIR" --hidden 512,256 --epochs "$MNIST_EPOCHS" --batch 256 --lr 0.001
        --min-lr 0.00001 --validation-fraction 0.1)
      alternate mnist
      SUMMARY+=("mnist:$MNIST_TARGET")
      ;;
    synthetic)
      DATA="$OUT/synthetic-$SYN_ROWS.csv"
      if [[ ! -d "$DATA" ]]; then
        step "generating $SYN_ROWS rows to $DATA"
        scripts/spark-mlp generate conf/examples/generate-synthetic.conf --set generate.format=csv \
          --set generate.rows="$SYN_ROWS" --set generate.output="$DATA" \
          --set generate.overwrite=true > "$OUT/generate.log" 2>&1 \
          || { echo "generate failed: see $OUT/generate.log" >&2; exit 1; }
      fi
      cat > "$OUT/synthetic.conf" <<CONF
task = multiclass
data {
  train { path = "$DATA", format = csv, label-column = label }
  validation-fraction = 0.01
  test-fraction = 0.0
  standardize = false
  partitions = 2
}
network { hidden = [64, 32], activation = relu }
train {
  epochs = $SYN_EPOCHS
  batch-size = $SYN_BATCH
  seed = 42
  optimizer { type = adam, learning-rate = $SYN_LR }
  schedule { type = cosine, min-learning-rate = 0.00001 }
}
spark.app-name = "spark-mlp bench-torch synthetic"
CONF
      SPARK_ARGS=("$OUT/synthetic.conf")
      TORCH_ARGS=(--csv "$DATA" --hidden 64,32 --epochs "$SYN_EPOCHS" --batch "$SYN_BATCH"
        --lr "$SYN_LR" --min-lr 0.00001 --validation-fraction 0.01)
      alternate synthetic
      SUMMARY+=("synthetic:$SYN_TARGET")
      ;;
    *) echo "unknown recipe '$recipe' (RECIPES: mnist, synthetic)" >&2; exit 2 ;;
  esac
done
echo "load after: $(uptime | sed 's/.*load average: //')" >> "$OUT/load.txt"
{ python3 scripts/bench_compare.py "$OUT" "${SUMMARY[@]}"; echo; cat "$OUT/load.txt"; } \
  | tee "$OUT/summary.md"
