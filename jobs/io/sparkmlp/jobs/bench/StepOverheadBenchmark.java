package io.sparkmlp.jobs.bench;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Blas;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.ParamLayout;
import io.sparkmlp.model.Task;
import io.sparkmlp.trainer.state.EpochRecord;
import io.sparkmlp.trainer.MlpTrainer;
import io.sparkmlp.trainer.SparkMlpConf;
import io.sparkmlp.trainer.TrainedModel;
import io.sparkmlp.trainer.TrainerConfig;
import io.sparkmlp.trainer.TransferPrecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Per-step overhead (BENCHMARKS.md (c)): wall time of one distributed step when compute is
 * negligible.
 *
 * <p>For each model size the network is 50-h-10 (multi-class, relu) with h chosen so that the
 * parameter count is about 1k, 100k, 1M or 10M. The batch is tiny ({@code --batch}, default 2: one
 * row per partition per step), so a step is: broadcast the weights, one task per partition, the
 * ordered reduction of one gradient per partition, the optimizer update on the driver. The trainer
 * runs {@code --epochs} epochs (default 2) over {@code steps x batch} rows; the last epoch's wall
 * time divided by its steps is the figure (the first epoch warms up the JIT and the executors).
 *
 * <p>Bytes per step: the broadcast is the weights (4 P bytes, before compression); the reduction
 * moves one 4 P byte gradient per partition to the driver (depth 1).
 *
 * <p>Usage: {@code StepOverheadBenchmark [--master local[2]] [--partitions 2] [--batch 2]
 * [--sizes 1000,100000,1000000,10000000] [--steps 200,200,60,12] [--epochs 2]
 * [--transfer float32|bfloat16] [--serialized]}. In local mode the weights and results of a step
 * are handed over in memory unless {@code --serialized} asks for the path a cluster takes (every
 * result serialized by Spark, the weights broadcast or inlined).
 * Prints one markdown table row per size.
 */
public final class StepOverheadBenchmark {
  private StepOverheadBenchmark() {}

  static final int IN = 50;
  static final int OUT = 10;

  public static void main(String[] args) {
    String master = null;
    int partitions = 2;
    int batch = 2;
    int epochs = 2;
    long[] sizes = {1_000, 100_000, 1_000_000, 10_000_000};
    int[] steps = {200, 200, 60, 12};
    TransferPrecision transfer = TransferPrecision.FLOAT32;
    boolean serialized = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--master" -> master = args[++i];
        case "--partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "--sizes" -> sizes = parseLongs(args[++i]);
        case "--steps" -> steps = parseInts(args[++i]);
        case "--transfer" -> transfer = TransferPrecision.parse(args[++i]);
        case "--serialized" -> serialized = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    SparkConf conf = new SparkConf().setAppName("spark-mlp step overhead benchmark");
    if (master != null) {
      conf.setMaster(master);
    }
    conf.setIfMissing("spark.master", "local[2]");
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.ui.enabled", "false");
    }
    SparkMlpConf.apply(conf);
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    boolean inMemory = jsc.isLocal() && !serialized;
    System.out.printf(Locale.ROOT, "master %s, %d partitions, batch %d, transfer %s, %s, BLAS %s%n",
        jsc.master(), partitions, batch, transfer, inMemory
            ? "weights and results handed over in memory (local mode; the bytes columns are what "
              + "a cluster ships)"
            : "weights and results serialized", Blas.implementation());
    System.out.println("| parameters | network | steps timed | ms/step | bytes broadcast/step "
        + "| bytes reduced/step |");
    System.out.println("|---:|---|---:|---:|---:|---:|");
    double floor = bareJobMillis(jsc, partitions, 300);
    System.out.printf(Locale.ROOT, "floor: a bare count() on a cached %d-partition RDD: %.1f ms"
        + " (median of 300, after 100 warm-up)%n", partitions, floor);
    StepListener listener = new StepListener();
    jsc.sc().addSparkListener(listener);
    for (int k = 0; k < sizes.length; k++) {
      int s = steps[Math.min(k, steps.length - 1)];
      listener.reset();
      Result r = run(jsc, sizes[k], s, batch, partitions, epochs, transfer, serialized);
      System.out.println("  breakdown (all epochs): " + listener.report());
      System.out.printf(Locale.ROOT, "| %,d | %s | %d | %.1f | %,d | %,d |%n", r.params, r.net,
          r.steps, r.msPerStep, transfer.bytes() * r.params,
          transfer.bytes() * r.params * partitions);
    }
    spark.stop();
  }

  record Result(long params, String net, long steps, double msPerStep) {}

  static Result run(JavaSparkContext jsc, long targetParams, int steps, int batch,
      int partitions, int epochs, TransferPrecision transfer, boolean serialized) {
    // 50-h-10: P = 50h + h + 10h + 10 = 61h + 10
    int h = (int) Math.max(1, Math.round((targetParams - OUT) / (double) (IN + 1 + OUT)));
    NetworkSpec spec = NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.RELU), IN, h,
        OUT);
    long params = new ParamLayout(spec).size();
    int rows = steps * batch;
    List<Row> data = new ArrayList<>(rows);
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < rows; i++) {
      double[] x = new double[IN];
      for (int j = 0; j < IN; j++) {
        x[j] = rnd.nextGaussian();
      }
      data.add(RowFactory.create(Vectors.dense(x), (double) rnd.nextInt(OUT)));
    }
    JavaRDD<Row> rdd = jsc.parallelize(data, partitions);
    TrainerConfig cfg = TrainerConfig.builder(spec).batchSize(batch).epochs(epochs).seed(1)
        .transferPrecision(transfer)
        .build();
    MlpTrainer trainer = new MlpTrainer(cfg);
    TrainedModel m = (serialized ? trainer.withoutLocalExchange() : trainer).fitRows(rdd, null);
    EpochRecord last = m.lastEpoch();
    double seconds = last.samplesPerSecond() > 0 ? rows / last.samplesPerSecond() : Double.NaN;
    return new Result(params, IN + "-" + h + "-" + OUT, steps, seconds * 1e3 / steps);
  }

  /** Median wall time of {@code count()} on a cached RDD: Spark's floor for one job. */
  static double bareJobMillis(JavaSparkContext jsc, int partitions, int n) {
    List<Integer> xs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      xs.add(i);
    }
    JavaRDD<Integer> rdd = jsc.parallelize(xs, partitions).cache();
    rdd.count();
    for (int i = 0; i < 100; i++) {
      rdd.count();
    }
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      rdd.count();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    rdd.unpersist(true);
    java.util.Arrays.sort(t);
    return t[n / 2];
  }

  static long[] parseLongs(String s) {
    String[] p = s.split(",");
    long[] out = new long[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = Long.parseLong(p[i].trim());
    }
    return out;
  }

  static int[] parseInts(String s) {
    String[] p = s.split(",");
    int[] out = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = Integer.parseInt(p[i].trim());
    }
    return out;
  }
}
