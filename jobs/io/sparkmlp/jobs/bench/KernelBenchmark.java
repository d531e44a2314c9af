package io.sparkmlp.jobs.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Blas;
import io.sparkmlp.model.Initializer;
import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.ParamLayout;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.Workspace;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Single-threaded throughput of the local kernel: forward + backward GFLOPS of
 * {@link Mlp#lossAndGradient} next to a raw sgemm loop doing the same GEMM shapes (same
 * transposes, same beta) in the same JVM, and their ratio.
 *
 * <p>FLOPs per step count only the GEMMs, 2 B in out each: the forward product of every layer, the
 * weight gradient of every layer and the input gradient of every layer but the first. The element-wise
 * work (bias, activations, loss, bias gradient) is what the ratio charges the kernel for.
 *
 * <p>Kernel and raw loop are timed in alternating repetitions (so both see the same machine load);
 * the median thread CPU time per step is reported (with OPENBLAS_NUM_THREADS=1 all the work runs on
 * the calling thread, and CPU time is not inflated by other processes on a shared machine), plus the
 * same ratio from wall-clock medians. Run through {@code scripts/bench-kernel.sh}.
 *
 * <p>Usage: {@code KernelBenchmark [--reps N] [--rep-millis M] [--warmup-millis W]}.
 */
public final class KernelBenchmark {

  /** One benchmarked configuration. */
  record Shape(String name, Task task, Activation hidden, int batch, int... widths) {
    NetworkSpec spec() {
      return NetworkSpec.of(task, hidden, widths);
    }

    /** GEMM flops of one forward + backward step. */
    double flops() {
      double f = 0;
      for (int l = 0; l + 1 < widths.length; l++) {
        double g = 2.0 * batch * widths[l] * widths[l + 1];
        f += g * (l > 0 ? 3 : 2);
      }
      return f;
    }
  }

  static final List<Shape> SHAPES = List.of(
      new Shape("ijcnn-like 28-300-300-1 binary relu", Task.BINARY,
          Activation.of(Activation.Kind.RELU), 256, 28, 300, 300, 1),
      new Shape("mnist-like 784-256-128-10 multiclass relu", Task.MULTICLASS,
          Activation.of(Activation.Kind.RELU), 256, 784, 256, 128, 10),
      new Shape("covtype-like 54-128-64-7 multiclass relu", Task.MULTICLASS,
          Activation.of(Activation.Kind.RELU), 512, 54, 128, 64, 7),
      // the network of (b)'s synthetic data, at the chunk size a training task uses
      new Shape("synthetic 50-64-32-5 multiclass relu", Task.MULTICLASS,
          Activation.of(Activation.Kind.RELU), 1024, 50, 64, 32, 5),
      // the same at half of batch 1,024, as each of two local[2] partitions computes it
      new Shape("synthetic 50-64-32-5 multiclass relu, half", Task.MULTICLASS,
          Activation.of(Activation.Kind.RELU), 512, 50, 64, 32, 5),
      // issue 15's MNIST recipe (batch 256) as one of two local[2] partitions computes it
      new Shape("mnist recipe 784-512-256-10 multiclass relu, half of batch 256", Task.MULTICLASS,
          Activation.of(Activation.Kind.RELU), 128, 784, 512, 256, 10));

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private KernelBenchmark() {}

  public static void main(String[] args) {
    int reps = 15;
    long repMillis = 200;
    long warmupMillis = 2000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--rep-millis" -> repMillis = Long.parseLong(args[++i]);
        case "--warmup-millis" -> warmupMillis = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: KernelBenchmark [--reps N] [--rep-millis M] [--warmup-millis W]");
      }
    }
    System.out.println("BLAS: " + Blas.implementation() + " [" + Blas.get().getClass().getName()
        + "], OPENBLAS_NUM_THREADS=" + System.getenv("OPENBLAS_NUM_THREADS")
        + ", java " + System.getProperty("java.version"));
    System.out.printf(Locale.ROOT, "%d alternating repetitions of >= %d ms each after %d ms warm-up;"
        + " medians of the thread CPU time per step%n(the machine is shared: CPU time excludes time"
        + " spent descheduled; single-threaded BLAS runs on this thread)%n%n", reps, repMillis,
        warmupMillis);
    System.out.printf(Locale.ROOT, "%-44s %6s %10s %11s %10s %11s %6s %8s%n", "shape", "batch",
        "kernel ms", "kernel GF/s", "sgemm ms", "sgemm GF/s", "ratio", "wall rat");
    for (Shape s : SHAPES) {
      run(s, reps, repMillis, warmupMillis);
    }
  }

  private static void run(Shape shape, int reps, long repMillis, long warmupMillis) {
    KernelStep kernel = new KernelStep(shape);
    RawGemmStep raw = new RawGemmStep(shape);
    // warm-up: JIT both paths and let OpenBLAS settle
    long end = System.nanoTime() + warmupMillis * 1_000_000L;
    int warm = 0;
    long warmNanos = System.nanoTime();
    while (System.nanoTime() < end) {
      kernel.run();
      raw.run();
      warm++;
    }
    warmNanos = System.nanoTime() - warmNanos;
    int iters = (int) Math.max(1, Math.ceil(repMillis * 1e6 / (warmNanos / (2.0 * warm))));
    double[] tk = new double[reps];
    double[] tr = new double[reps];
    double[] wk = new double[reps];
    double[] wr = new double[reps];
    for (int r = 0; r < reps; r++) {
      double[] k = timePerStep(kernel, iters);
      double[] g = timePerStep(raw, iters);
      tk[r] = k[0];
      wk[r] = k[1];
      tr[r] = g[0];
      wr[r] = g[1];
    }
    double k = median(tk);
    double g = median(tr);
    double flops = shape.flops();
    System.out.printf(Locale.ROOT, "%-44s %6d %10.3f %11.2f %10.3f %11.2f %6.2f %8.2f%n",
        shape.name(), shape.batch(), k * 1e3, flops / k / 1e9, g * 1e3, flops / g / 1e9, g / k,
        median(wr) / median(wk));
    if (!Double.isFinite(kernel.lastLoss)) {
      throw new IllegalStateException("non-finite loss " + kernel.lastLoss);
    }
  }

  /** {thread CPU seconds, wall seconds} per step over {@code iters} steps. */
  private static double[] timePerStep(Runnable step, int iters) {
    long c0 = THREADS.getCurrentThreadCpuTime();
    long w0 = System.nanoTime();
    for (int i = 0; i < iters; i++) {
      step.run();
    }
    long w1 = System.nanoTime();
    long c1 = THREADS.getCurrentThreadCpuTime();
    return new double[] {(c1 - c0) / 1e9 / iters, (w1 - w0) / 1e9 / iters};
  }

  /** The median of {@code v} (the mean of the middle two for an even length). */
  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }

  /** Random inputs and labels of the right kind for the task. */
  private static float[][] data(NetworkSpec spec, int batch, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[batch * spec.inputWidth()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    float[] y = new float[batch * spec.labelWidth()];
    for (int i = 0; i < y.length; i++) {
      y[i] = switch (spec.task()) {
        case REGRESSION, AUTOENCODER -> (float) rng.nextGaussian();
        case BINARY, MULTILABEL -> rng.nextBoolean() ? 1f : 0f;
        case MULTICLASS -> rng.nextInt(spec.outputWidth());
      };
    }
    return new float[][] {x, y};
  }

  /** One Mlp.lossAndGradient over the batch, as the trainer calls it. */
  static final class KernelStep implements Runnable {
    final Mlp mlp;
    final float[] params;
    final float[] grad;
    final float[] x;
    final float[] y;
    final int batch;
    final Workspace ws;
    double lastLoss;

    KernelStep(Shape shape) {
      NetworkSpec spec = shape.spec();
      mlp = new Mlp(spec);
      params = Initializer.AUTO.initialize(mlp.layout(), 1);
      grad = new float[params.length];
      float[][] d = data(spec, shape.batch(), 2);
      x = d[0];
      y = d[1];
      batch = shape.batch();
      ws = mlp.newWorkspace(batch);
    }

    @Override
    public void run() {
      Arrays.fill(grad, 0f);
      lastLoss = mlp.lossAndGradient(params, x, 0, y, 0, batch, grad, ws);
    }
  }

  /**
   * The same sgemm calls as one kernel step (shapes, transposes, beta, operand arrays of the same
   * sizes), and nothing else. Like the kernel's workspace, forward outputs z_l and the next layer's
   * inputs a_l are distinct buffers; here a_l and the output delta are fixed random values and z_l
   * simply accumulates (beta = 1, bounded growth), so no element-wise pass is needed.
   */
  static final class RawGemmStep implements Runnable {
    final BLAS blas = Blas.get();
    final ParamLayout layout;
    final int batch;
    final float[] params;
    final float[] grad;
    final float[] x;
    final float[][] z;
    final float[][] a;
    final float[][] d;

    RawGemmStep(Shape shape) {
      NetworkSpec spec = shape.spec();
      layout = new ParamLayout(spec);
      batch = shape.batch();
      params = Initializer.AUTO.initialize(layout, 1);
      grad = new float[params.length];
      x = data(spec, batch, 2)[0];
      int layers = layout.numLayers();
      z = new float[layers][];
      a = new float[layers][];
      d = new float[layers][];
      SplittableRandom rng = new SplittableRandom(3);
      for (int l = 0; l < layers; l++) {
        int n = batch * layout.fanOut(l);
        z[l] = new float[n];
        a[l] = new float[n];
        d[l] = new float[n];
        for (int i = 0; i < n; i++) {
          a[l][i] = (float) Math.abs(rng.nextGaussian());
          d[l][i] = (float) rng.nextGaussian() * 1e-2f;
        }
      }
    }

    @Override
    public void run() {
      Arrays.fill(grad, 0f);
      int layers = layout.numLayers();
      for (int l = 0; l < layers; l++) {
        int c = layout.fanIn(l);
        int oc = layout.fanOut(l);
        float[] inp = l == 0 ? x : a[l - 1];
        blas.sgemm("T", "N", oc, batch, c, 1f, params, layout.weightOffset(l), c, inp, 0, c, 1f,
            z[l], 0, oc);
      }
      for (int l = layers - 1; l >= 0; l--) {
        int c = layout.fanIn(l);
        int oc = layout.fanOut(l);
        float[] inp = l == 0 ? x : a[l - 1];
        blas.sgemm("N", "T", c, oc, batch, 1f, inp, 0, c, d[l], 0, oc, 1f, grad,
            layout.weightOffset(l), c);
        if (l > 0) {
          blas.sgemm("N", "N", c, batch, oc, 1f, params, layout.weightOffset(l), c, d[l], 0, oc,
              0f, d[l - 1], 0, c);
        }
      }
    }
  }
}
