package io.sparkmlp.jobs.bench;

import io.sparkmlp.jobs.config.TeacherSettings;
import io.sparkmlp.jobs.data.generate.TeacherData;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.trainer.MlpTrainer;
import io.sparkmlp.trainer.SparkMlpConf;
import io.sparkmlp.trainer.TrainedModel;
import io.sparkmlp.trainer.SyncSettings;
import io.sparkmlp.trainer.TrainerConfig;
import io.sparkmlp.trainer.state.EpochRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * End to end against the peer (BENCHMARKS.md (b)): spark-mlp vs Spark MLlib's
 * {@code MultilayerPerceptronClassifier} (l-bfgs, sigmoid hidden layers, softmax output) in the same
 * JVM, on the same cached DataFrames with the same partitioning and layer sizes. The peer is used
 * only here, never by the product.
 *
 * <p>Figures: seconds per pass over the training data (peer: fit time / l-bfgs iterations, one
 * iteration being at least one full pass; ours: epoch time), samples per second per pass, final
 * test accuracy of each, and the wall time until our test accuracy (evaluated after every epoch)
 * first reaches the peer's final test accuracy.
 *
 * <p>Usage: {@code EndToEndBenchmark --dataset synthetic|mnist [--rows N] [--test-rows N]
 * [--peer-iters N] [--epochs N] [--batch N] [--lr X] [--activation relu|sigmoid]
 * [--partitions 2] [--mnist-dir DIR] [--mnist-hidden 512,256] [--runs activation:batch:lr[:H],...] [--serialized]}. {@code --runs} replaces
 * {@code --activation}, {@code --batch} and {@code --lr} with one entry per run of ours (H:
 * {@code train.sync-every}, local SGD with plain averaging; default 1, synchronous);
 * {@code --serialized} makes local mode serialize every step's weights and results as a cluster
 * does, instead of handing them over in memory;
 * {@code --peer-iters 0} skips the peer.
 */
public final class EndToEndBenchmark {
  private EndToEndBenchmark() {}

  public static void main(String[] args) throws Exception {
    String dataset = "synthetic";
    int rows = 200_000;
    int testRows = 20_000;
    int peerIters = 50;
    int epochs = 10;
    int batch = 512;
    float lr = 2e-3f;
    int partitions = 2;
    List<String> activations = new ArrayList<>(List.of("relu"));
    String mnistDir = "/work/shared/data/mnist";
    List<String> runSpecs = null;
    boolean serialized = false;
    String mnistHidden = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dataset" -> dataset = args[++i];
        case "--mnist-hidden" -> mnistHidden = args[++i];
        case "--rows" -> rows = Integer.parseInt(args[++i]);
        case "--test-rows" -> testRows = Integer.parseInt(args[++i]);
        case "--peer-iters" -> peerIters = Integer.parseInt(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--lr" -> lr = Float.parseFloat(args[++i]);
        case "--partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--activation" -> activations = Arrays.asList(args[++i].split(","));
        case "--mnist-dir" -> mnistDir = args[++i];
        case "--runs" -> runSpecs = Arrays.asList(args[++i].split(","));
        case "--serialized" -> serialized = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    SparkConf conf = new SparkConf().setAppName("spark-mlp end-to-end benchmark");
    conf.setIfMissing("spark.master", "local[2]");
    conf.setIfMissing("spark.driver.host", "127.0.0.1");
    conf.setIfMissing("spark.ui.enabled", "false");
    conf.setIfMissing("spark.sql.shuffle.partitions", Integer.toString(partitions));
    SparkMlpConf.apply(conf);
    // MLlib's own classes must pass Kryo registration too (the peer caches and shuffles them)
    conf.set("spark.kryo.registrationRequired", "false");
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();

    StructType schema = new StructType()
        .add("features", SQLDataTypes.VectorType())
        .add("label", DataTypes.DoubleType);
    List<Row> train = null;
    List<Row> test = null;
    Dataset<Row> trainIn = null;
    Dataset<Row> testIn = null;
    int[] layers;
    if (dataset.equals("mnist")) {
      Path d = Path.of(mnistDir);
      train = rows(Idx.images(d.resolve("train-images-idx3-ubyte.gz")),
          Idx.labels(d.resolve("train-labels-idx1-ubyte.gz")), rows);
      test = rows(Idx.images(d.resolve("t10k-images-idx3-ubyte.gz")),
          Idx.labels(d.resolve("t10k-labels-idx1-ubyte.gz")), testRows);
      layers = mnistHidden == null ? new int[] {784, 256, 128, 10} : mnistLayers(mnistHidden);
    } else {
      layers = new int[] {50, 64, 32, 5};
      // rows from TeacherData, generated inside the tasks: train rows [0, rows), test rows after
      TeacherSettings t = new TeacherSettings(rows + testRows, 50, List.of(64, 32), 5,
          Task.MULTICLASS, 20240601L, partitions, 0.0);
      trainIn = vectors(TeacherData.generate(spark, t, 0, rows));
      testIn = vectors(TeacherData.generate(spark, t, rows, testRows));
    }
    Dataset<Row> trainDf = (trainIn != null ? trainIn : spark.createDataFrame(train, schema))
        .repartition(partitions).cache();
    Dataset<Row> testDf = (testIn != null ? testIn : spark.createDataFrame(test, schema))
        .repartition(partitions).cache();
    long nTrain = trainDf.count();
    long nTest = testDf.count();
    System.out.printf(Locale.ROOT, "dataset %s: %d train rows, %d test rows, layers %s, %s, %d"
        + " partitions%n", dataset, nTrain, nTest, Arrays.toString(layers),
        spark.sparkContext().master(), partitions);

    // the peer (skipped with --peer-iters 0: then only our runs, without the ratios)
    double peerAcc = Double.NaN;
    double peerPass = Double.NaN;
    double peerSeconds = Double.NaN;
    if (peerIters > 0) {
      PassCounter passes = new PassCounter();
      spark.sparkContext().addSparkListener(passes);
      MultilayerPerceptronClassifier peer = new MultilayerPerceptronClassifier()
          .setLayers(layers).setMaxIter(peerIters).setSeed(42L).setTol(1e-12);
      long t0 = System.nanoTime();
      MultilayerPerceptronClassificationModel pm = peer.fit(trainDf);
      peerSeconds = (System.nanoTime() - t0) / 1e9;
      spark.sparkContext().removeSparkListener(passes);
      int iters = Math.max(1, pm.summary().totalIterations());
      // l-bfgs may evaluate the loss more than once per iteration (line search): a pass is one
      // loss-and-gradient evaluation over the data, i.e. one treeAggregate job
      int passCount = Math.max(iters, passes.count());
      peerAcc = new MulticlassClassificationEvaluator().setMetricName("accuracy")
          .evaluate(pm.transform(testDf));
      peerPass = peerSeconds / passCount;
      System.out.printf(Locale.ROOT, "RESULT peer MLlib MLP (l-bfgs, sigmoid): %d iterations"
          + " (%d passes over the data) in %.1f s, %.3f s/pass, %.0f samples/s, test accuracy"
          + " %.4f%n", iters, passCount, peerSeconds, peerPass, nTrain / peerPass, peerAcc);
    }

    if (runSpecs == null) {
      runSpecs = new ArrayList<>();
      for (String act : activations) {
        runSpecs.add(act + ":" + batch + ":" + lr);
      }
    }
    for (String run : runSpecs) {
      String[] parts = run.split(":");
      if (parts.length != 3 && parts.length != 4) {
        throw new IllegalArgumentException("--runs entries are activation:batch:lr[:H], got "
            + run);
      }
      String act = parts[0];
      batch = Integer.parseInt(parts[1]);
      lr = Float.parseFloat(parts[2]);
      int h = parts.length == 4 ? Integer.parseInt(parts[3]) : 1;
      Activation a = Activation.of(Activation.Kind.valueOf(act.toUpperCase(Locale.ROOT)));
      NetworkSpec spec = NetworkSpec.of(Task.MULTICLASS, a, layers);
      TrainerConfig cfg = TrainerConfig.builder(spec).batchSize(batch).epochs(epochs).seed(42L)
          .optim(OptimConfig.defaults(OptimizerKind.ADAM, lr))
          .sync(new SyncSettings(h, SyncSettings.DEFAULT_OUTER, SyncSettings.DEFAULT_OUTER_LR,
              SyncSettings.DEFAULT_OUTER_MOMENTUM)).build();
      StepListener steps = new StepListener("spark-mlp epoch .* steps? .*");
      spark.sparkContext().addSparkListener(steps);
      long t1 = System.nanoTime();
      MlpTrainer trainer = new MlpTrainer(cfg);
      TrainedModel m = (serialized ? trainer.withoutLocalExchange() : trainer).fit(trainDf, testDf);
      double total = (System.nanoTime() - t1) / 1e9;
      double passSum = 0;
      double reach = Double.NaN;
      for (EpochRecord r : m.history()) {
        passSum += nTrain / r.samplesPerSecond();
        if (Double.isNaN(reach) && !Double.isNaN(peerAcc) && r.validationMetric() >= peerAcc) {
          reach = r.elapsedSeconds();
        }
        System.out.printf(Locale.ROOT, "  epoch %d: test accuracy %.4f, %.0f samples/s, elapsed"
            + " %.1f s%n", r.epoch(), r.validationMetric(), r.samplesPerSecond(),
            r.elapsedSeconds());
      }
      spark.sparkContext().removeSparkListener(steps);
      System.out.println("  breakdown (training steps): " + steps.report());
      double pass = passSum / m.history().size();
      String head = String.format(Locale.ROOT, "RESULT spark-mlp %s (adam lr %g, batch %d%s): %d"
          + " epochs in %.1f s (incl. packing and per-epoch test evaluation), %.3f s/pass, %.0f"
          + " samples/s", act, lr, batch, h == 1 ? "" : ", local SGD H=" + h,
          m.history().size(), total, pass, nTrain / pass);
      double acc = m.lastEpoch().validationMetric();
      if (Double.isNaN(peerAcc)) {
        System.out.printf(Locale.ROOT, "%s, test accuracy %.4f%n", head, acc);
      } else {
        System.out.printf(Locale.ROOT, "%s (%.1fx peer), test accuracy %.4f, reached the peer's"
            + " %.4f after %s s (%s of the peer's %.1f s)%n", head, peerPass / pass, acc, peerAcc,
            Double.isNaN(reach) ? "never" : String.format(Locale.ROOT, "%.1f", reach),
            Double.isNaN(reach) ? "n/a" : String.format(Locale.ROOT, "%.3f", reach / peerSeconds),
            peerSeconds);
      }
    }
    spark.stop();
  }

  /** 784, the hidden widths of {@code hidden} ("512,256"), 10. */
  static int[] mnistLayers(String hidden) {
    String[] h = hidden.split(",");
    int[] l = new int[h.length + 2];
    l[0] = 784;
    for (int i = 0; i < h.length; i++) {
      l[i + 1] = Integer.parseInt(h[i].strip());
    }
    l[l.length - 1] = 10;
    return l;
  }

  static List<Row> rows(float[][] x, int[] y, int limit) {
    int n = Math.min(limit, x.length);
    List<Row> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] d = new double[x[i].length];
      for (int j = 0; j < d.length; j++) {
        d[j] = x[i][j];
      }
      out.add(RowFactory.create(Vectors.dense(d), (double) y[i]));
    }
    return out;
  }

  /** TeacherData rows as the peer needs them: a vector features column and a double label. */
  static Dataset<Row> vectors(Dataset<Row> teacherRows) {
    return teacherRows.select(
        org.apache.spark.ml.functions.array_to_vector(teacherRows.col(TeacherData.FEATURES))
            .as("features"),
        teacherRows.col(TeacherData.LABEL).cast(DataTypes.DoubleType).as("label"));
  }

  /** Counts the peer's passes over the data: its loss evaluations are treeAggregate jobs. */
  static final class PassCounter extends org.apache.spark.scheduler.SparkListener {
    private final java.util.concurrent.atomic.AtomicInteger jobs =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
      scala.collection.Iterator<org.apache.spark.scheduler.StageInfo> it = e.stageInfos().iterator();
      while (it.hasNext()) {
        if (it.next().name().startsWith("treeAggregate")) {
          jobs.incrementAndGet();
          return;
        }
      }
    }

    int count() {
      return jobs.get();
    }
  }
}
