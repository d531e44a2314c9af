package io.sparkmlp.jobs.bench;

import io.sparkmlp.model.Blas;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.model.optim.Updater;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * How much compute a second core adds on this host: the combined throughput of two threads that
 * each run the same workload at once, against one thread alone. This is the ceiling of any
 * compute-bound speed-up from 1 to 2 executors on the host (what {@code scripts/bench-scaling.sh}
 * measures): an executor's task is one such thread.
 *
 * <p>Three workloads, each thread with its own buffers:
 * <ul>
 *   <li><b>local step</b>: one local-SGD step of issue 15's MNIST recipe as a task runs it, i.e.
 *       {@code Mlp.lossAndGradient} on 128 rows of 784-512-256-10 (half of batch 256, one of two
 *       partitions) and the Adam update of its 535,818 parameters;</li>
 *   <li><b>raw sgemm</b>: the same GEMM calls and nothing else ({@link KernelBenchmark}'s raw
 *       loop);</li>
 *   <li><b>scalar control</b>: a chain of dependent integer operations, which uses no vector unit.
 *       It tells two cores that are time-sliced (it would not scale either) from two hardware
 *       threads that share one core's vector units (it scales, the GEMMs do not).</li>
 * </ul>
 * Every repetition times one thread alone and then two threads together, each for the same wall
 * time; the ratio is the median over repetitions of (steps of both threads) / (steps of one). With
 * {@code OPENBLAS_NUM_THREADS=1} each thread's BLAS work stays on that thread.
 *
 * <p>Usage: {@code CoreScalingBenchmark [--reps N] [--rep-millis M] [--warmup-millis W]
 * [--workloads local,sgemm,scalar]} ({@code --workloads} picks a subset, in that order).
 */
public final class CoreScalingBenchmark {

  /** One timed workload: {@link #step} is called in a loop on one thread. */
  interface Workload {
    /** Runs one step; returns a value the caller keeps (so the JIT cannot drop the work). */
    double step();
  }

  /** One local-SGD step of the MNIST recipe: forward + backward on 128 rows, then Adam. */
  static final class LocalStep implements Workload {
    private final KernelBenchmark.KernelStep kernel;
    private final Updater updater;

    LocalStep(KernelBenchmark.Shape shape) {
      kernel = new KernelBenchmark.KernelStep(shape);
      updater = Updater.create(OptimConfig.defaults(OptimizerKind.ADAM, 1e-3f),
          kernel.mlp.layout(), Long.MAX_VALUE);
    }

    @Override
    public double step() {
      kernel.run();
      updater.apply(kernel.params, kernel.grad);
      if (!Double.isFinite(kernel.lastLoss)) {
        throw new IllegalStateException("non-finite loss " + kernel.lastLoss);
      }
      return kernel.lastLoss;
    }
  }

  /** The local step's GEMM calls only. */
  static final class RawGemm implements Workload {
    private final KernelBenchmark.RawGemmStep raw;

    RawGemm(KernelBenchmark.Shape shape) {
      raw = new KernelBenchmark.RawGemmStep(shape);
    }

    @Override
    public double step() {
      raw.run();
      return raw.grad[0];
    }
  }

  /**
   * A dependent chain of 64-bit integer operations (xorshift* steps): each step needs the previous
   * result, so it is bound by instruction latency and uses no vector unit.
   */
  static final class ScalarChain implements Workload {
    private long x = 0x9E3779B97F4A7C15L;

    @Override
    public double step() {
      long v = x;
      for (int i = 0; i < 200_000; i++) {
        v ^= v >>> 12;
        v ^= v << 25;
        v ^= v >>> 27;
        v *= 0x2545F4914F6CDD1DL;
      }
      x = v;
      return v;
    }
  }

  /** The workloads' names, in the order they run. */
  private static final List<String> WORKLOADS = List.of("local", "sgemm", "scalar");

  private static final String USAGE = "usage: CoreScalingBenchmark [--reps N] [--rep-millis M]"
      + " [--warmup-millis W] [--workloads local,sgemm,scalar]";

  /** Keeps the workloads' results observable, so the JIT cannot drop the work. */
  private static volatile double sink;

  private CoreScalingBenchmark() {}

  /**
   * Runs the benchmark and prints one table row per workload.
   *
   * @param args {@code [--reps N] [--rep-millis M] [--warmup-millis W]
   *             [--workloads local,sgemm,scalar]}
   * @throws InterruptedException if interrupted while the worker threads run
   */
  public static void main(String[] args) throws InterruptedException {
    int reps = 5;
    long repMillis = 2000;
    long warmupMillis = 2000;
    List<String> workloads = WORKLOADS;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--rep-millis" -> repMillis = Long.parseLong(args[++i]);
        case "--warmup-millis" -> warmupMillis = Long.parseLong(args[++i]);
        case "--workloads" -> workloads = List.of(args[++i].split(","));
        default -> throw new IllegalArgumentException(
            "unknown argument " + args[i] + "; " + USAGE);
      }
    }
    for (String w : workloads) {
      if (!WORKLOADS.contains(w)) {
        throw new IllegalArgumentException("unknown workload " + w + " in --workloads; " + USAGE);
      }
    }
    KernelBenchmark.Shape mnist = KernelBenchmark.SHAPES.stream()
        .filter(sh -> sh.name().startsWith("mnist recipe")).findFirst().orElseThrow();
    System.out.println("BLAS: " + Blas.implementation() + ", OPENBLAS_NUM_THREADS="
        + System.getenv("OPENBLAS_NUM_THREADS") + ", "
        + Runtime.getRuntime().availableProcessors() + " processors, java "
        + System.getProperty("java.version"));
    System.out.printf(Locale.ROOT, "%d repetitions of 1 thread alone then 2 threads at once, %d ms"
        + " each, after %d ms warm-up; medians%n%n", reps, repMillis, warmupMillis);
    System.out.printf(Locale.ROOT, "| %-58s | %15s | %22s | %15s |%n", "workload",
        "1 thread, /s", "2 threads together, /s", "2 threads / 1");
    System.out.println("|---|---:|---:|---:|");
    if (workloads.contains("local")) {
      report("local step: MNIST recipe, 128 rows of 784-512-256-10 + Adam",
          () -> new LocalStep(mnist), reps, repMillis, warmupMillis);
    }
    if (workloads.contains("sgemm")) {
      report("raw sgemm: the local step's GEMM calls only", () -> new RawGemm(mnist), reps,
          repMillis, warmupMillis);
    }
    if (workloads.contains("scalar")) {
      report("scalar control: dependent integer chain", ScalarChain::new, reps, repMillis,
          warmupMillis);
    }
  }

  private static void report(String name, Supplier<Workload> make, int reps, long repMillis,
      long warmupMillis) throws InterruptedException {
    List<Workload> two = List.of(make.get(), make.get());
    run(two, warmupMillis);
    double[] one = new double[reps];
    double[] both = new double[reps];
    double[] ratio = new double[reps];
    for (int r = 0; r < reps; r++) {
      one[r] = run(two.subList(0, 1), repMillis);
      both[r] = run(two, repMillis);
      ratio[r] = both[r] / one[r];
    }
    System.out.printf(Locale.ROOT, "| %-58s | %15.1f | %22.1f | %14.2fx |%n", name,
        KernelBenchmark.median(one), KernelBenchmark.median(both), KernelBenchmark.median(ratio));
  }

  /**
   * Runs each workload on its own thread, all started together, for {@code millis} of wall time.
   *
   * @return the steps completed by all threads per second
   */
  static double run(List<Workload> workloads, long millis) throws InterruptedException {
    int n = workloads.size();
    CountDownLatch start = new CountDownLatch(1);
    long[] steps = new long[n];
    long[] nanos = new long[n];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      final int id = t;
      Thread th = new Thread(() -> {
        try {
          start.await();
          Workload w = workloads.get(id);
          long t0 = System.nanoTime();
          long end = t0 + millis * 1_000_000L;
          long k = 0;
          double acc = 0;
          long now;
          do {
            acc += w.step();
            k++;
            now = System.nanoTime();
          } while (now < end);
          steps[id] = k;
          nanos[id] = now - t0;
          sink = acc;
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "core-scaling-" + t);
      threads.add(th);
      th.start();
    }
    start.countDown();
    for (Thread th : threads) {
      th.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a benchmark thread failed", failure.get());
    }
    double rate = 0;
    for (int t = 0; t < n; t++) {
      rate += steps[t] / (nanos[t] / 1e9);
    }
    return rate;
  }
}
