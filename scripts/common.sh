# Shared by the scripts in this folder: project root, build-on-demand, JVM options for Spark on
# Java 17. Source it; do not run it.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Spark's --add-opens list for Java 17, plus the Vector API module for netlib's Java BLAS.
SPARK_JAVA_OPTS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
)

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

# OpenBLAS kernels for this CPU's instruction set. A DYNAMIC_ARCH OpenBLAS picks its kernels by CPU
# model, and a build older than the CPU falls back to the SSE3 "Prescott" kernels: Debian 12's
# OpenBLAS 0.3.21 does so on this project's Xeon (family 6, model 207, AVX-512), where its sgemm then
# runs 4-5x slower than with the AVX-512 kernels (scripts/bench-kernel.sh, BENCHMARKS.md (a)). The
# kernels are chosen once when the library loads, from OPENBLAS_CORETYPE, so it is set here, for
# every JVM these scripts start (local mode, the driver, and the executors of scripts/cluster.sh's
# workers), from the instruction-set flags: SkylakeX for AVX-512 (F, BW, DQ, VL), Haswell for AVX2
# with FMA, OpenBLAS's own detection otherwise. A value already in the environment is kept (set it
# to OpenBLAS's name of the CPU to override; on another cluster, set it in each worker's
# environment, see the README's "Native BLAS").
# (Given flags as its argument, it judges those instead of /proc/cpuinfo's.)
openblas_coretype() {
  local flags
  flags=" ${1:-$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2-)} "
  if [[ "$flags" == *" avx512f "* && "$flags" == *" avx512bw "* && "$flags" == *" avx512dq "* \
      && "$flags" == *" avx512vl "* ]]; then
    echo SkylakeX
  elif [[ "$flags" == *" avx2 "* && "$flags" == *" fma "* ]]; then
    echo Haswell
  fi
}
if [[ -z "${OPENBLAS_CORETYPE:-}" ]]; then
  OPENBLAS_CORETYPE="$(openblas_coretype)"
  if [[ -n "$OPENBLAS_CORETYPE" ]]; then export OPENBLAS_CORETYPE; else unset OPENBLAS_CORETYPE; fi
fi

# Builds the application (classes, app jar, target/classpath.txt) when a source is newer than the
# app jar (which every `mvn package` rewrites). SPARK_MLP_SKIP_BUILD=1 skips the check (tests that
# run inside a Maven build set it).
ensure_built() {
  [[ "${SPARK_MLP_SKIP_BUILD:-0}" == 1 && -f "$ROOT/target/classpath.txt" ]] && return 0
  local jar; jar="$(app_jar)"
  if [[ -z "$jar" || ! -f "$ROOT/target/classpath.txt" ]] || [[ -n "$(find "$ROOT/pom.xml" \
      "$ROOT/model" "$ROOT/trainer" "$ROOT/jobs" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
    if [[ -z "$jar" ]]; then
      echo "spark-mlp is not built yet: building it (mvn package -DskipTests; the first build" \
        "downloads Spark and the other dependencies from Maven Central, a few minutes)..." >&2
    else
      echo "sources changed since the last build: rebuilding spark-mlp (mvn package -DskipTests)..." >&2
    fi
    (cd "$ROOT" && mvn -q -B -ntp -Dstyle.color=never package -DskipTests) >&2 || {
      echo "spark-mlp: the build failed (see the Maven output above)" >&2; exit 1; }
    echo "build done." >&2
  fi
}

# For the benchmarks: compile the classes and write target/classpath.txt (compile + provided scope,
# i.e. with Spark's netlib) through the pom's build-classpath execution, unless SKIP_BUILD=1 and a
# previous build left them.
build_classes() {
  if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$ROOT/target/classpath.txt" ]]; then
    echo "compiling spark-mlp (mvn compile)..." >&2
    (cd "$ROOT" && mvn -q -B -ntp -Dstyle.color=never compile dependency:build-classpath@local-classpath) >&2
  fi
}

# Classpath for local runs: the project's classes (target/classes, or the jar given as the argument)
# plus Spark and every other dependency from Maven.
local_classpath() {
  echo "${1:-$ROOT/target/classes}:$(cat "$ROOT/target/classpath.txt")"
}

# Class-data sharing (AppCDS) for scripts/spark-mlp. A local run loads ~15,000 classes of Spark and
# its dependencies from ~170 jars before its first step; mapping them from an archive of the
# already parsed and verified classes took the README's quick start from 10.6-11.7 s to 7.3-8.3 s
# before the first step (README, "Quick start"). The first `train` after a build records the
# archive when its JVM exits (a one-time 10-13 s, into a temporary file renamed into place only if
# the run succeeds and a JVM starts with it); later runs of any command map it. CDS needs a
# classpath of jars only, so these runs take the app jar instead of target/classes, and only when
# no class is newer than that jar (e.g. after a `mvn compile` that followed the last package). The
# archive is keyed by the java binary and recorded again when the app jar or the dependency list
# changes. SPARK_MLP_CDS=0 turns it off.
# Sets CDS_CLASSPATH (empty: use local_classpath), CDS_OPTS (JVM options) and CDS_TMP (the archive
# this run records, or empty); cds_finish STATUS then keeps or drops that recording.
cds_setup() {
  local command="$1" jar key archive f
  CDS_CLASSPATH="" CDS_OPTS=() CDS_TMP=""
  [[ "${SPARK_MLP_CDS:-1}" != 0 ]] || return 0
  jar="$(app_jar)"
  [[ -n "$jar" && -f "$ROOT/target/classpath.txt" ]] || return 0
  [[ -z "$(find "$ROOT/target/classes" -newer "$jar" -type f -print -quit 2>/dev/null)" ]] || return 0
  key="$(readlink -f "$(command -v java)" | cksum | cut -d' ' -f1)"
  archive="$ROOT/target/cds/spark-mlp-$key.jsa"
  CDS_CLASSPATH="$(local_classpath "$jar")"
  if [[ -f "$archive" && ! "$jar" -nt "$archive" && ! "$ROOT/target/classpath.txt" -nt "$archive" ]]; then
    CDS_OPTS=(-XX:SharedArchiveFile="$archive" -XX:+VerifySharedSpaces -Xlog:cds*=off)
  elif [[ "$command" == train ]]; then
    mkdir -p "$ROOT/target/cds"
    for f in "$ROOT"/target/cds/*.tmp-*; do # recordings of runs that were killed
      [[ -f "$f" ]] && ! kill -0 "${f##*.tmp-}" 2>/dev/null && rm -f "$f"
    done
    CDS_TMP="$archive.tmp-$$"
    CDS_OPTS=(-XX:ArchiveClassesAtExit="$CDS_TMP" -XX:+VerifySharedSpaces -Xlog:cds*=off)
  fi
}

# Keeps the archive this run recorded (cds_setup) if the run exited with status 0 and a JVM that
# must map it (-Xshare:on, checksums verified) starts with it; else drops it. A damaged archive
# could crash every later run, so none is kept untried.
cds_finish() {
  [[ -n "${CDS_TMP:-}" ]] || return 0
  # (in a subshell whose stderr is dropped: bash reports a JVM that aborts on its own stderr)
  if [[ "$1" == 0 && -s "$CDS_TMP" ]] && (java "${SPARK_JAVA_OPTS[@]}" -Xshare:on \
      -XX:ErrorFile=/dev/null -XX:SharedArchiveFile="$CDS_TMP" -XX:+VerifySharedSpaces \
      -Xlog:cds*=off -cp "$CDS_CLASSPATH" -version; exit $?) > /dev/null 2>&1; then
    mv -f "$CDS_TMP" "${CDS_TMP%.tmp-*}"
  else
    rm -f "$CDS_TMP"
  fi
}

# The application jar for spark-submit (project classes + shaded Typesafe Config), or nothing
# when the project has not been packaged yet (a fresh clone): never fails, so callers under
# `set -euo pipefail` go on to build it.
app_jar() {
  local jar
  for jar in "$ROOT"/target/spark-mlp-*-app.jar; do
    [[ -f "$jar" ]] && { echo "$jar"; return 0; }
  done
  return 0
}
