#!/usr/bin/env bash
# Sparse input (README "Sparse input", BENCHMARKS.md (h)): writes a LibSVM file of SPARSE_ROWS rows
# x SPARSE_FEATURES features with SPARSE_NNZ non-zeros per row (random distinct columns, value 1,
# a binary label from the parity of a fixed half of the columns) to /tmp (never into the
# repository), then trains a binary network with SPARSE_HIDDEN hidden units on it in local[2] with a
# SPARSE_HEAP heap under io.sparkmlp.jobs.bench.MemoryProbe (peak heap, RSS, cached bytes, samples/s).
#
#   scripts/bench-sparse.sh                                             200 x 10^6, 20 per row
#   SPARSE_ROWS=1000000 SPARSE_NNZ=50 SPARSE_BATCH=8192 scripts/bench-sparse.sh
#
# Settings (environment): SPARSE_ROWS (200), SPARSE_FEATURES (1000000), SPARSE_NNZ (20),
# SPARSE_HIDDEN (16), SPARSE_EPOCHS (1), SPARSE_BATCH (50), SPARSE_HEAP (4g), SPARSE_PARTITIONS
# (2), SKIP_BUILD=1 reuses target/classes. Output: target/bench/sparse-ROWS.txt.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

ROWS="${SPARSE_ROWS:-200}"
FEATURES="${SPARSE_FEATURES:-1000000}"
NNZ="${SPARSE_NNZ:-20}"
HIDDEN="${SPARSE_HIDDEN:-16}"
EPOCHS="${SPARSE_EPOCHS:-1}"
BATCH="${SPARSE_BATCH:-50}"
HEAP="${SPARSE_HEAP:-4g}"
PARTS="${SPARSE_PARTITIONS:-2}"
DATA="/tmp/spark-mlp-sparse-$ROWS-$FEATURES-$NNZ.svm"
MODEL="/tmp/spark-mlp-sparse-model-$ROWS"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"

build_classes
CP="$(local_classpath)"

if [[ ! -s "$DATA" ]]; then
  echo "[bench-sparse.sh] writing $DATA" >&2
  awk -v rows="$ROWS" -v d="$FEATURES" -v k="$NNZ" 'BEGIN {
    srand(7);
    for (r = 0; r < rows; r++) {
      delete seen; n = 0; s = 0; line = "";
      while (n < k) {
        j = 1 + int(rand() * d);
        if (!(j in seen)) {
          seen[j] = 1;
          for (i = n; i > 0 && idx[i - 1] > j; i--) idx[i] = idx[i - 1];
          idx[i] = j; n++;
        }
      }
      for (i = 0; i < k; i++) { line = line " " idx[i] ":1"; s += (idx[i] * 7919 % 1000 < 500) ? 1 : -1; }
      print (s > 0 ? 1 : 0) line;
    }
  }' > "$DATA.tmp"
  mv "$DATA.tmp" "$DATA"
fi
{
  echo "SETTINGS rows $ROWS, features $FEATURES, non-zeros per row $NNZ, hidden $HIDDEN," \
    "epochs $EPOCHS, batch $BATCH, -Xmx$HEAP, $PARTS partitions, local[2]"
  echo "LIBSVM $(stat -c %s "$DATA") bytes"
  echo "LOAD before train: $(uptime | sed 's/.*load average: //')"
  java -Xmx"$HEAP" "${SPARK_JAVA_OPTS[@]}" \
    -Dlog4j.configurationFile="$ROOT/conf/log4j2.properties" -Dspark.mlp.local=true \
    -cp "$CP" io.sparkmlp.jobs.bench.MemoryProbe --model "$MODEL" -- train \
    --set task=binary --set data.train.path="$DATA" --set data.train.format=libsvm \
    --set data.train.num-features="$FEATURES" --set data.validation-fraction=0 \
    --set data.partitions="$PARTS" --set network.hidden="[$HIDDEN]" \
    --set train.epochs="$EPOCHS" --set train.batch-size="$BATCH" --set train.progress-interval=30 \
    --set output.model="$MODEL" --set output.overwrite=true --set spark.master='local[2]'
  echo "LOAD after train: $(uptime | sed 's/.*load average: //')"
} 2>&1 | tee "$OUT/sparse-$ROWS.txt"
