package io.sparkmlp.jobs.bench;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.sparkmlp.trainer.SparkMlpKryoRegistrator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * CPU time of one Kryo write and read of a float array (a step's weights or gradient), with Kryo's
 * own {@code float[]} serializer (one value at a time) and with {@link SparkMlpKryoRegistrator}'s
 * (bulk copies). Thread CPU time, best of {@code --reps}, so the figure holds on a loaded machine.
 *
 * <p>Usage: {@code FloatSerializationBenchmark [--floats 1000000] [--reps 40]}.
 */
public final class FloatSerializationBenchmark {
  private FloatSerializationBenchmark() {}

  public static void main(String[] args) {
    int n = 1_000_000;
    int reps = 40;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--floats" -> n = Integer.parseInt(args[++i]);
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    float[] x = new float[n];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextGaussian();
    }
    Kryo plain = new Kryo();
    plain.register(float[].class);
    Kryo bulk = new Kryo();
    new SparkMlpKryoRegistrator().registerClasses(bulk);
    for (int round = 0; round < 3; round++) {
      for (Kryo k : new Kryo[] {plain, bulk}) {
        System.out.printf(Locale.ROOT, "%-28s write + read of %,d floats: %.2f ms CPU (best of %d)%n",
            k == plain ? "Kryo's float[] serializer:" : "SparkMlpKryoRegistrator:", n,
            bestCpuMillis(k, x, reps), reps);
      }
    }
  }

  private static double bestCpuMillis(Kryo k, float[] x, int reps) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Output out = new Output(4 * x.length + 64);
    long best = Long.MAX_VALUE;
    for (int rep = 0; rep < reps; rep++) {
      long t0 = mx.getCurrentThreadCpuTime();
      out.clear();
      k.writeObject(out, x);
      float[] y = k.readObject(new Input(out.getBuffer(), 0, out.position()), float[].class);
      best = Math.min(best, mx.getCurrentThreadCpuTime() - t0);
      if (Float.floatToRawIntBits(y[x.length - 1]) != Float.floatToRawIntBits(x[x.length - 1])) {
        throw new IllegalStateException("round trip changed the values");
      }
    }
    return best / 1e6;
  }
}
