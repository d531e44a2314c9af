#!/usr/bin/env bash
# A genuine Spark standalone cluster on this machine: one master and N workers, each its own JVM on
# 127.0.0.1, run from the Maven-resolved Spark jars (no Spark download).
#
#   scripts/cluster.sh start [WORKERS]     start master + WORKERS workers (default 2, 1 core each)
#   scripts/cluster.sh submit CLASS ARGS   spark-submit CLASS from the application jar to it
#   scripts/cluster.sh status              master URL and running processes
#   scripts/cluster.sh stop                stop every process started here
#
# Environment: CLUSTER_DIR (state, logs; default target/cluster), MASTER_PORT (7077),
# WORKER_CORES (1), WORKER_MEMORY (1536m), EXECUTOR_MEMORY (1g), SUBMIT_OPTS (extra spark-submit
# options for submit, e.g. "--conf spark.cores.max=1" to use one of the workers only).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CLUSTER_DIR="${CLUSTER_DIR:-$ROOT/target/cluster}"
MASTER_PORT="${MASTER_PORT:-7077}"
MASTER_URL="spark://127.0.0.1:$MASTER_PORT"
SPARK_HOME_DIR="$CLUSTER_DIR/spark-home"

die() { echo "cluster.sh: $*" >&2; exit 1; }

# A SPARK_HOME whose jars/ holds the runtime jars: workers build executor classpaths from it.
prepare_spark_home() {
  ensure_built
  if [[ ! -f "$SPARK_HOME_DIR/.ready" || "$ROOT/target/classpath.txt" -nt "$SPARK_HOME_DIR/.ready" ]]; then
    rm -rf "$SPARK_HOME_DIR"
    mkdir -p "$SPARK_HOME_DIR/jars" "$SPARK_HOME_DIR/conf"
    tr ':' '\n' < "$ROOT/target/classpath.txt" | while read -r jar; do
      [[ -f "$jar" ]] && ln -sf "$jar" "$SPARK_HOME_DIR/jars/"
    done
    cp "$ROOT/conf/log4j2.properties" "$SPARK_HOME_DIR/conf/log4j2.properties"
    touch "$SPARK_HOME_DIR/.ready"
  fi
}

spark_class() {
  # $1 = log name, rest = main class and args; runs in the background and records the pid.
  local name="$1"; shift
  SPARK_HOME="$SPARK_HOME_DIR" SPARK_SCALA_VERSION=2.12 nohup java -Xmx512m "${SPARK_JAVA_OPTS[@]}" \
    -Dlog4j.configurationFile="$ROOT/conf/log4j2-cluster.properties" \
    -cp "$SPARK_HOME_DIR/jars/*" "$@" > "$CLUSTER_DIR/logs/$name.log" 2>&1 &
  echo $! > "$CLUSTER_DIR/pids/$name.pid"
}

wait_for_log() {
  # $1 = log file, $2 = pattern, $3 = seconds
  local i
  for ((i = 0; i < $3 * 5; i++)); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

start() {
  local workers="${1:-2}"
  [[ -d "$CLUSTER_DIR/pids" && -n "$(ls -A "$CLUSTER_DIR/pids" 2>/dev/null)" ]] && \
    die "a cluster seems to be running (pids in $CLUSTER_DIR/pids); run stop first"
  prepare_spark_home
  mkdir -p "$CLUSTER_DIR/logs" "$CLUSTER_DIR/pids" "$CLUSTER_DIR/work"
  spark_class master org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$MASTER_PORT" --webui-port 0
  wait_for_log "$CLUSTER_DIR/logs/master.log" "Starting Spark master\|I have been elected leader" 60 || {
    tail -20 "$CLUSTER_DIR/logs/master.log" >&2; stop; die "master did not start"; }
  local w
  for ((w = 1; w <= workers; w++)); do
    spark_class "worker-$w" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
      --cores "${WORKER_CORES:-1}" --memory "${WORKER_MEMORY:-1536m}" --webui-port 0 \
      --work-dir "$CLUSTER_DIR/work/worker-$w" "$MASTER_URL"
  done
  for ((w = 1; w <= workers; w++)); do
    wait_for_log "$CLUSTER_DIR/logs/worker-$w.log" "Successfully registered with master" 60 || {
      tail -20 "$CLUSTER_DIR/logs/worker-$w.log" >&2; stop; die "worker $w did not register"; }
  done
  echo "$MASTER_URL"
}

submit() {
  [[ $# -ge 1 ]] || die "usage: cluster.sh submit CLASS [ARGS...]"
  prepare_spark_home
  local jar; jar="$(app_jar)"
  [[ -n "$jar" ]] || die "application jar not found in target/ (mvn package)"
  local cls="$1"; shift
  SPARK_HOME="$SPARK_HOME_DIR" SPARK_SCALA_VERSION=2.12 java -Xmx1g "${SPARK_JAVA_OPTS[@]}" \
    -Dlog4j.configurationFile="$ROOT/conf/log4j2.properties" \
    -cp "$SPARK_HOME_DIR/jars/*" org.apache.spark.deploy.SparkSubmit \
    --master "$MASTER_URL" --deploy-mode client \
    --conf spark.executor.memory="${EXECUTOR_MEMORY:-1g}" \
    --conf spark.driver.host=127.0.0.1 \
    --properties-file "$ROOT/conf/spark-defaults.conf" \
    ${SUBMIT_OPTS:-} \
    --class "$cls" "$jar" "$@"
}

status() {
  echo "master: $MASTER_URL"
  local f
  for f in "$CLUSTER_DIR"/pids/*.pid; do
    [[ -f "$f" ]] || continue
    local pid; pid="$(cat "$f")"
    if kill -0 "$pid" 2>/dev/null; then echo "$(basename "$f" .pid) pid $pid running"
    else echo "$(basename "$f" .pid) pid $pid dead"; fi
  done
}

stop() {
  local f
  for f in "$CLUSTER_DIR"/pids/*.pid; do
    [[ -f "$f" ]] || continue
    local pid; pid="$(cat "$f")"
    # workers own their executor JVMs; killing the worker's process group is not enough, so
    # stop the worker (which stops its executors) then the master
    kill "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  sleep 1
  pkill -f "$CLUSTER_DIR/work/worker-" 2>/dev/null || true
}

cmd="${1:-}"; shift || true
case "$cmd" in
  start) start "$@" ;;
  submit) submit "$@" ;;
  status) status ;;
  stop) stop ;;
  *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
