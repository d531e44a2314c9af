#!/usr/bin/env bash
# Kernel benchmark: forward+backward GFLOPS of Mlp.lossAndGradient vs a raw sgemm loop with the same
# GEMM shapes, single-threaded, on the BLAS netlib picks (native OpenBLAS when libblas.so.3 is there).
#
# Usage: scripts/bench-kernel.sh [--reps N] [--rep-millis M] [--warmup-millis W]
#   SKIP_BUILD=1 reuses target/classes and target/classpath.txt from a previous build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ "${SKIP_BUILD:-0}" != 1 || ! -f target/classpath.txt ]]; then
  # compile, then write target/classpath.txt (compile + provided scope, i.e. with Spark's netlib)
  # through the pom's own build-classpath execution
  mvn -q -B -ntp compile dependency:build-classpath@local-classpath
fi

export OPENBLAS_NUM_THREADS=1
exec java -Xmx2g --add-modules=jdk.incubator.vector \
  -cp "target/classes:$(cat target/classpath.txt)" \
  io.sparkmlp.jobs.bench.KernelBenchmark "$@"
