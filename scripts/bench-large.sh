#!/usr/bin/env bash
# Issue 6 (f), large data: generates LARGE_ROWS synthetic rows (default 10,000,000 x 50 features,
# 5 classes, teacher 50-64-32-5) as Parquet under target/large/ with `spark-mlp generate`, trains
# the 50-64-32-5 network of conf/bench/large-synthetic.conf on them in local[2], and reports the
# generation time and Parquet size, samples/s per epoch, the trainer's cached size vs the raw
# float32 size, and peak memory (JVM heap, process RSS, Spark's executor peak metrics), each
# command run under io.sparkmlp.jobs.bench.MemoryProbe. Runnable alone; scripts/bench.sh calls it
# for section (f).
#
#   scripts/bench-large.sh                          10M rows, 2 epochs (about 10-20 minutes)
#   LARGE_ROWS=1000000 scripts/bench-large.sh       a smaller run
#   SKIP_BUILD=1 scripts/bench-large.sh             reuse target/classes and target/classpath.txt
#
# Settings (environment): LARGE_ROWS (10000000), LARGE_EPOCHS (2), LARGE_BATCH (16384),
# LARGE_HEAP (6g: the ~2 GiB cache must fit in Spark's unified memory, 0.6 x (heap - 300 MiB),
# next to the packing tasks' buffers), LARGE_GEN_PARTITIONS (20: Parquet part files of 500k rows),
# LARGE_TRAIN_PARTITIONS (4: cached blocks, two per core), KEEP_LARGE=1 keeps the generated data
# (about 2 GB at 10M rows; deleted otherwise).
# Output: target/bench/large.txt (PROBE lines and the jobs' stdout), Spark logs in large.log.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

ROWS="${LARGE_ROWS:-10000000}"
EPOCHS="${LARGE_EPOCHS:-2}"
BATCH="${LARGE_BATCH:-16384}"
HEAP="${LARGE_HEAP:-6g}"
GEN_PARTS="${LARGE_GEN_PARTITIONS:-20}"
TRAIN_PARTS="${LARGE_TRAIN_PARTITIONS:-4}"
DATA="$ROOT/target/large/synthetic-$ROWS.parquet"
MODEL="$ROOT/target/models/large-synthetic"
OUT="$ROOT/target/bench"
mkdir -p "$OUT" "$ROOT/target/large"

build_classes
CP="$(local_classpath)"

probe() { # probe options -- spark-mlp command...
  java -Xmx"$HEAP" "${SPARK_JAVA_OPTS[@]}" \
    -Dlog4j.configurationFile="$ROOT/conf/log4j2.properties" -Dspark.mlp.local=true \
    -cp "$CP" io.sparkmlp.jobs.bench.MemoryProbe "$@"
}
load() { uptime | sed 's/.*load average: //'; }
step() { echo "[bench-large.sh $(date -u +%H:%M:%S)] $*" >&2; }

{
  echo "SETTINGS rows $ROWS, epochs $EPOCHS, batch $BATCH, -Xmx$HEAP, generate partitions" \
    "$GEN_PARTS, train partitions $TRAIN_PARTS, local[2]"
  echo "LOAD before generate: $(load)"
  step "(f) generate $ROWS rows to $DATA"
  probe -- generate conf/examples/generate-synthetic.conf \
    --set generate.rows="$ROWS" --set generate.output="$DATA" --set generate.overwrite=true \
    --set generate.partitions="$GEN_PARTS" --set spark.master='local[2]'
  echo "PARQUET $(find "$DATA" -type f -name '*.parquet' -printf '%s\n' | awk '{s += $1} END {print s}')" \
    "bytes in $(find "$DATA" -type f -name '*.parquet' | wc -l) part files (checksum files excluded)"
  echo "LOAD after generate: $(load)"
  step "(f) train on $DATA"
  probe --model "$MODEL" -- train conf/bench/large-synthetic.conf \
    --set data.train.path="$DATA" --set train.epochs="$EPOCHS" --set train.batch-size="$BATCH" \
    --set data.partitions="$TRAIN_PARTS" --set output.model="$MODEL" \
    --set spark.master='local[2]'
  echo "LOAD after train: $(load)"
} > "$OUT/large.txt" 2> "$OUT/large.log"
grep -h 'MlpTrainer: \(training\|validation\|epoch\)' "$OUT/large.log" >> "$OUT/large.txt" || true

if [[ "${KEEP_LARGE:-0}" != 1 ]]; then
  rm -rf "$DATA"
fi
step "(f) wrote $OUT/large.txt"
