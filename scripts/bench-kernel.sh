#!/usr/bin/env bash
# Kernel benchmark: forward+backward GFLOPS of Mlp.lossAndGradient vs a raw sgemm loop with the same
# GEMM shapes, single-threaded, on the BLAS netlib picks (native OpenBLAS when libblas.so.3 is there).
#
# Usage: scripts/bench-kernel.sh [--reps N] [--rep-millis M] [--warmup-millis W]
#   SKIP_BUILD=1 reuses target/classes and target/classpath.txt from a previous build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

build_classes
export OPENBLAS_NUM_THREADS=1
exec java -Xmx2g --add-modules=jdk.incubator.vector \
  -cp "$(local_classpath)" \
  io.sparkmlp.jobs.bench.KernelBenchmark "$@"
