#!/usr/bin/env bash
# Issue 6 (d): samples/s of one compute-bound training job (conf/bench/scaling.conf) on the
# standalone cluster of scripts/cluster.sh, 2 workers of 1 core, with 1 executor
# (spark.cores.max=1) and with 2 executors (spark.cores.max=2). The runs alternate 1, 2, 1, 2, ...
# (REPS pairs, default 2; SCALING_ROWS rows, default 400000) so that both see the same machine; the figure is the mean samples/s of
# the epochs after the first SCALING_SKIP (default 1; they warm up the JVMs), and the ratio is
# 2 executors / 1 executor.
# Before the runs and before every pair it measures what a second core adds on this host at that
# moment (CoreScalingBenchmark: two threads running the MNIST recipe's local step at once, against
# one): on a shared virtual machine that ceiling of any compute-bound speed-up moves with the
# hypervisor's placement of the two virtual CPUs and with the neighbours' load.
#
#   scripts/bench-scaling.sh            needs mvn package (the application jar); prints a table
#   SCALING_ROWS=400000 REPS=3 SCALING_SET="--set train.batch-size=32768" scripts/bench-scaling.sh
#   SCALING_CONF=conf/examples/mnist.conf SCALING_SET="--set train.sync-every=16" SCALING_SKIP=4 \
#     scripts/bench-scaling.sh          another recipe (its own data; SCALING_ROWS is then unused),
#                                       8 epochs, the last 4 timed
#   SCALING_SET_1="--set data.partitions=1" ...   settings for the 1-executor runs only: with one
#                                       partition per executor both runs take the direct round
#                                       exchange (train.round-transport), so the ratio compares the
#                                       cores at the same per-step cost (synchronous training gives
#                                       the same model on 1 and 2 partitions up to float rounding)
#
# A short recipe on fresh executor JVMs is mostly JIT warm-up: in 3 epochs of the MNIST recipe
# (about 15 s) each executor's C2 compiler threads used nearly as much CPU as its task (Java
# serialization of task results, netty, Kryo). With one executor that compiling runs on the idle
# second core; with two it takes the tasks' cores. Time the steady state (SCALING_SKIP); the table
# prints, for the timed epochs, the cores that all JVMs' JIT compilers and the task threads used.
#
# Raw logs: target/bench/scaling-*.log. Port: BENCH_MASTER_PORT (default 7199).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

ROWS="${SCALING_ROWS:-400000}"
CONF="${SCALING_CONF:-conf/bench/scaling.conf}"
REPS="${REPS:-2}"
SKIP="${SCALING_SKIP:-1}"
OUT="$ROOT/target/bench"
DATA="$ROOT/target/data/scaling-$ROWS.parquet"
mkdir -p "$OUT"

DATA_SET=()
if [[ "$CONF" == conf/bench/scaling.conf ]]; then
  DATA_SET=(--set data.train.path="$DATA")
fi
if [[ "$CONF" == conf/bench/scaling.conf && ! -d "$DATA" ]]; then
  scripts/spark-mlp generate conf/examples/generate-synthetic.conf \
    --set generate.rows="$ROWS" --set generate.features=128 --set 'generate.hidden=[64]' \
    --set generate.outputs=10 --set generate.partitions=2 --set generate.output="$DATA" \
    > "$OUT/scaling-generate.log" 2>&1 || { tail -5 "$OUT/scaling-generate.log" >&2; exit 1; }
fi

export CLUSTER_DIR="$ROOT/target/cluster-bench" MASTER_PORT="${BENCH_MASTER_PORT:-7199}"
scripts/cluster.sh start 2 >&2
trap 'scripts/cluster.sh stop >&2' EXIT

# mean samples/s of the epochs after the first $SKIP, from the trainer's epoch log lines
rate() {
  grep -o 'epoch [0-9]*/[0-9]* .* [0-9]* samples/s' "$1" | awk -v skip="$SKIP" '
    { for (i = 1; i <= NF; i++) if ($i == "samples/s") r = $(i - 1); split($2, e, "/");
      if (e[1] > skip) { s += r; n++ } }
    END { if (n) printf "%.0f", s / n; else print "failed" }'
}

if [[ "$CONF" == conf/bench/scaling.conf ]]; then
  echo "scaling: conf/bench/scaling.conf (128-512-256-10, batch 65536, 2 partitions) on $ROWS rows,"
else
  echo "scaling: $CONF ${SCALING_SET:-},"
fi
if [[ -n "${SCALING_SET_1:-}" ]]; then
  echo "1-executor runs also: ${SCALING_SET_1}"
fi
echo "standalone cluster of 2 workers x 1 core; load average at start: $(uptime | sed 's/.*load average: //')"
echo
# machine-wide busy and total jiffies from /proc/stat (user nice system irq softirq steal / all)
jiffies() { awk '/^cpu / { b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6 }' /proc/stat; }

# CPU ticks so far of every JVM's JIT compiler threads and of Spark's task threads on this host,
# "compiler task" (bash builtins only: threads come and go while this reads /proc)
thread_ticks() {
  local comp=0 task=0 t c s
  local -a f
  for t in /proc/[0-9]*/task/[0-9]*; do
    read -r c < "$t/comm" 2> /dev/null || continue
    case "$c" in
      "C1 CompilerThre"* | "C2 CompilerThre"* | "Executor task l"*) ;;
      *) continue ;;
    esac
    read -r s < "$t/stat" 2> /dev/null || continue
    read -r -a f <<< "${s##*) }" # f[11], f[12]: utime, stime
    if [[ "$c" == C* ]]; then comp=$((comp + f[11] + f[12])); else task=$((task + f[11] + f[12])); fi
  done
  echo "$comp $task $(date +%s%N)"
}

# Runs a training job (arguments: log file, then the submit arguments) and prints, over the
# epochs after the first $SKIP (from the epoch line of epoch $SKIP to the last one, validation
# passes included), the cores used by all JVMs' JIT compilers and by the task threads,
# "compilers tasks". A thread that ends inside that window is not counted.
run_with_threads() {
  local log="$1" last=0 e snap0="" snap1="" pid
  shift
  "$@" > "$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2> /dev/null; do
    e="$(grep -o 'epoch [0-9]*/[0-9]* ' "$log" 2> /dev/null | tail -1 | sed 's/epoch \([0-9]*\)\/.*/\1/' || true)"
    if [[ -n "$e" && "$e" != "$last" ]]; then
      last="$e"
      if ((e == SKIP)); then snap0="$(thread_ticks)"; elif ((e > SKIP)); then snap1="$(thread_ticks)"; fi
    fi
    sleep 0.1
  done
  wait "$pid" || return 1
  if [[ -z "$snap0" || -z "$snap1" ]]; then echo "- -"; return 0; fi
  awk -v a="$snap0" -v b="$snap1" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    split(a, x, " "); split(b, y, " "); s = (y[3] - x[3]) / 1e9;
    printf "%.2f %.2f\n", (y[1] - x[1]) / hz / s, (y[2] - x[2]) / hz / s }'
}

# what a second core adds to one thread's compute right now (CoreScalingBenchmark, see above)
CP="$(local_classpath)"
core_scaling() {
  java -Xmx1g "${SPARK_JAVA_OPTS[@]}" -cp "$CP" io.sparkmlp.jobs.bench.CoreScalingBenchmark "$@" \
    2>/dev/null | grep '^|'
}
echo "This host, before the runs (threads of one JVM; each thread is one executor's task):"
echo
core_scaling --reps 3 --rep-millis 1500 --warmup-millis 1500
echo
echo "| run | executors | samples/s (epochs after the first $SKIP) | machine CPU busy during the run (of $(nproc) cores) | cores used by JIT compilers, epochs after the first $SKIP | cores used by tasks, same epochs | host: 2 threads / 1, local step, just before the pair |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
declare -a ONE TWO CEIL
for ((r = 1; r <= REPS; r++)); do
  ceil="$(core_scaling --workloads local --reps 1 --rep-millis 2000 --warmup-millis 1000 \
    | awk -F'|' 'NR == 3 { gsub(/[ x]/, "", $5); print $5 }')"
  CEIL+=("$ceil")
  for cores in 1 2; do
    log="$OUT/scaling-$cores-$r.log"
    read -r b0 t0 < <(jiffies)
    threads="$(run_with_threads "$log" env SUBMIT_OPTS="--conf spark.cores.max=$cores ${SCALING_SUBMIT_OPTS:-}" \
      scripts/cluster.sh submit io.sparkmlp.jobs.Main train "$CONF" "${DATA_SET[@]}" \
      --set output.model="$ROOT/target/models/scaling-$cores" ${SCALING_SET:-} \
      $([[ "$cores" == 1 ]] && echo "${SCALING_SET_1:-}"))" \
      || { tail -5 "$log" >&2; exit 1; }
    read -r b1 t1 < <(jiffies)
    read -r jit tasks <<< "$threads"
    v="$(rate "$log")"
    busy="$(awk -v b="$((b1 - b0))" -v t="$((t1 - t0))" -v n="$(nproc)" 'BEGIN { printf "%.2f", n * b / t }')"
    echo "| $r | $cores | $v | $busy | $jit | $tasks | ${ceil}x |"
    if [[ "$cores" == 1 ]]; then ONE+=("$v"); else TWO+=("$v"); fi
  done
done
echo
awk -v a="${ONE[*]}" -v b="${TWO[*]}" 'BEGIN {
  n = split(a, x, " "); split(b, y, " "); for (i = 1; i <= n; i++) { s1 += x[i]; s2 += y[i] }
  printf "2 executors / 1 executor: %.2fx (mean of %d alternating pairs)\n", s2 / s1, n }'
awk -v c="${CEIL[*]}" 'BEGIN { n = split(c, x, " "); for (i = 1; i <= n; i++) s += x[i];
  printf "what a second core added to the local step on this host just before each pair: %.2fx (mean)\n", s / n }'
echo "load average at end: $(uptime | sed 's/.*load average: //')"
