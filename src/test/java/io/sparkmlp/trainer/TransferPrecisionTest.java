package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Bfloat16;
import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.testing.TaskKiller;
import io.sparkmlp.testing.Synthetic;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TransferPrecision} in local[2]: float32 is the behaviour without the setting bit for bit;
 * bfloat16 ships half the bytes, computes the gradient at the rounded weights (inline and
 * broadcast), learns as float32 does up to a small tolerance, and keeps every reproducibility
 * guarantee (same seed, resume, retried tasks).
 */
class TransferPrecisionTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.TANH), 6, 8, 3);

  private static JavaRDD<Row> data(int rows, int partitions) {
    return SharedSpark.jsc().parallelize(Synthetic.classification(rows, 6, 3, 7L), partitions);
  }

  private static TrainerConfig.Builder cfg() {
    return TrainerConfig.builder(SPEC).batchSize(32).epochs(3).seed(11L)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f));
  }

  private static TrainerConfig.Builder bf16() {
    return cfg().transferPrecision(TransferPrecision.BFLOAT16);
  }

  @Test
  void float32IsTheDefaultBitForBit() {
    TrainerConfig plain = cfg().build();
    TrainerConfig f32 = cfg().transferPrecision(TransferPrecision.FLOAT32).build();
    assertEquals(TransferPrecision.FLOAT32, plain.transferPrecision());
    assertEquals(plain.trajectoryDescription(), f32.trajectoryDescription(),
        "float32 keeps the checkpoint fingerprints of earlier runs");
    assertNotEquals(plain.trajectoryDescription(), bf16().build().trajectoryDescription());
    TrainedModel a = new MlpTrainer(plain).fitRows(data(400, 4), null);
    TrainedModel b = new MlpTrainer(f32).fitRows(data(400, 4), null);
    assertArrayEquals(a.params(), b.params());
  }

  @Test
  void bfloat16IsReproducibleAndDiffersFromFloat32() {
    TrainedModel a = new MlpTrainer(bf16().build()).fitRows(data(400, 4), null);
    TrainedModel b = new MlpTrainer(bf16().build()).fitRows(data(400, 4), null);
    assertArrayEquals(a.params(), b.params());
    TrainedModel f32 = new MlpTrainer(cfg().build()).fitRows(data(400, 4), null);
    assertNotEquals(0.0, MlpTrainerTest.maxAbsDiff(a.params(), f32.params()),
        "bfloat16 transfer changes the trajectory");
    // the deeper tree reduction (shuffle levels) sums packed partitions too, reproducibly
    TrainedModel d1 = new MlpTrainer(bf16().treeDepth(2).build()).fitRows(data(400, 4), null);
    TrainedModel d2 = new MlpTrainer(bf16().treeDepth(2).build()).fitRows(data(400, 4), null);
    assertArrayEquals(d1.params(), d2.params());
    assertTrue(MlpTrainerTest.relativeError(d1.params(), a.params()) < 1e-2);
  }

  @Test
  void bfloat16LearnsAsFloat32Does() {
    TrainerConfig.Builder b = cfg().epochs(30).validationFraction(0.25);
    TrainedModel f32 = new MlpTrainer(b.build()).fitRows(data(600, 3), null);
    TrainedModel bf = new MlpTrainer(b.transferPrecision(TransferPrecision.BFLOAT16).build())
        .fitRows(data(600, 3), null);
    double lossF = f32.lastEpoch().trainLoss();
    double lossB = bf.lastEpoch().trainLoss();
    assertTrue(bf.history().get(0).trainLoss() > lossB);
    assertTrue(Math.abs(lossB - lossF) <= 0.02 * lossF,
        "train loss float32 " + lossF + ", bfloat16 " + lossB);
    double accF = f32.lastEpoch().validationMetric();
    double accB = bf.lastEpoch().validationMetric();
    assertTrue(accB > 0.85, "bfloat16 validation accuracy " + accB);
    assertTrue(Math.abs(accB - accF) <= 0.02, "validation accuracy float32 " + accF
        + ", bfloat16 " + accB);
  }

  /**
   * runStep with bfloat16 against the local kernel's full-batch gradient at the rounded weights.
   */
  private static void checkGradientAtRoundedWeights(NetworkSpec spec, int rows, int features,
      boolean expectBroadcast) {
    List<Row> data = Synthetic.classification(rows, features, 3, 5L);
    JavaRDD<Row> rdd = SharedSpark.jsc().parallelize(data, 3);
    MlpTrainer trainer = new MlpTrainer(TrainerConfig.builder(spec).batchSize(rows).seed(3L)
        .transferPrecision(TransferPrecision.BFLOAT16).build());
    Mlp mlp = new Mlp(spec);
    float[] params = trainer.config().initializer().initialize(mlp.layout(), 3L);
    assertEquals(expectBroadcast, 2L * params.length > MlpTrainer.INLINE_WEIGHTS_MAX_BYTES);
    float[] master = params.clone();
    JavaRDD<PackedBlock> blocks = MlpTrainer.packBlocks(rdd,
        new RowPacker(spec, RowPacker.InvalidRows.FAIL), 0.0, 3L, false);
    try {
      // a run id of its own: executors cache epoch plans by run id and partition
      PartialSums dist = trainer.runStep(SharedSpark.jsc(), "bf16-grad-" + params.length, blocks,
          false, params, 1, 0, 1, 64, 1, null);
      assertArrayEquals(master, params, "the master weights are not rounded");
      assertEquals(rows, dist.count);
      assertNull(dist.packed, "the driver's sum is widened to float");

      float[] x = new float[rows * features];
      float[] y = new float[rows];
      for (int r = 0; r < rows; r++) {
        Vector v = (Vector) data.get(r).get(0);
        for (int i = 0; i < features; i++) {
          x[r * features + i] = (float) v.apply(i);
        }
        y[r] = (float) data.get(r).getDouble(1);
      }
      short[] h = new short[params.length];
      Bfloat16.round(params, params.length, h);
      float[] rounded = new float[params.length];
      Bfloat16.widen(h, h.length, rounded);
      float[] atRounded = new float[params.length];
      double lossAtRounded = mlp.lossAndGradient(rounded, x, 0, y, 0, rows, atRounded,
          mlp.newWorkspace(64));
      // the loss is computed at the rounded weights and shipped as a double: float rounding only
      assertEquals(lossAtRounded, dist.loss, 1e-5 * Math.abs(lossAtRounded));
      double err = MlpTrainerTest.relativeError(dist.grad, atRounded);
      // each of the 3 partition sums is rounded once (relative error <= 2^-8 per element)
      assertTrue(err < 1e-2, "relative gradient error " + err);
      assertTrue(err > 0, "the gradient sums were rounded");
      for (float g : dist.grad) {
        assertTrue(Float.isFinite(g));
      }
    } finally {
      blocks.unpersist(true);
    }
  }

  @Test
  void inlineStepComputesTheGradientAtTheRoundedWeights() {
    checkGradientAtRoundedWeights(SPEC, 300, 6, false);
  }

  @Test
  void broadcastStepComputesTheGradientAtTheRoundedWeights() {
    // 600 x 448 + 448 x 3 + biases = 270,595 parameters: 541 KB as bfloat16, above the inline cap
    NetworkSpec wide = NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.TANH), 600,
        448, 3);
    checkGradientAtRoundedWeights(wide, 48, 600, true);
  }

  static Stream<Arguments> everyTaskDenseAndSparse() {
    return Stream.of(Task.REGRESSION, Task.BINARY, Task.MULTICLASS, Task.MULTILABEL)
        .flatMap(t -> Stream.of(Arguments.of(t, false), Arguments.of(t, true)));
  }

  /**
   * Rows of 50 features with 5 non-zeros (sparse vectors), a label for {@code task} and a weight
   * column w of 0.5, 1 or 2.
   */
  private static List<Row> weightedRows(Task task, int n) {
    List<Row> base = SparseTrainingTest.sparseRows(n, 50, 5, 4L);
    List<Row> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object label = switch (task) {
        case REGRESSION -> 0.25 * (i % 7) - 0.5;
        case BINARY -> base.get(i).get(1);
        case MULTICLASS -> (double) (i % 3);
        case MULTILABEL -> Vectors.dense(i % 2, (i / 2) % 2, (i / 3) % 2);
        default -> throw new IllegalArgumentException(task.name());
      };
      out.add(RowFactory.create(base.get(i).get(0), label, 0.5 * (1 << (i % 3))));
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("everyTaskDenseAndSparse")
  void onlyWhatIsShippedChangesForEveryTaskWithDropoutAndWeights(Task task, boolean sparse) {
    // a bfloat16 step equals a float32 step at the rounded weights, up to the rounding of each
    // partition's gradient sum: the same loss, rows and weight sum, bit for bit
    int out = task == Task.MULTICLASS || task == Task.MULTILABEL ? 3 : 1;
    NetworkSpec spec = NetworkSpec.of(task, Activation.of(Activation.Kind.TANH), 50, 8, out)
        .withDropout(0.3);
    TrainerConfig.Builder b = TrainerConfig.builder(spec).batchSize(240).epochs(1).seed(13L)
        .weightCol("w").progressIntervalSeconds(0);
    MlpTrainer f32 = new MlpTrainer(b.build());
    MlpTrainer bf = new MlpTrainer(b.transferPrecision(TransferPrecision.BFLOAT16).build());
    float[] params = f32.config().initializer().initialize(new Mlp(spec).layout(), 3L);
    short[] h = new short[params.length];
    Bfloat16.round(params, params.length, h);
    float[] rounded = new float[params.length];
    Bfloat16.widen(h, h.length, rounded);
    JavaRDD<PackedBlock> blocks = MlpTrainer.packBlocks(
        SharedSpark.jsc().parallelize(weightedRows(task, 240), 3),
        new RowPacker(spec, RowPacker.InvalidRows.FAIL, "w", 1, sparse), 0.0, 13L, false).cache();
    try {
      String run = "tp-" + task + "-" + sparse;
      PartialSums ref = f32.runStep(SharedSpark.jsc(), run, blocks, sparse, rounded, 1, 0, 1, 64,
          1, null);
      PartialSums got = bf.runStep(SharedSpark.jsc(), run, blocks, sparse, params, 1, 0, 1, 64,
          1, null);
      assertEquals(240, got.count);
      assertEquals(ref.count, got.count);
      assertEquals(ref.weightSum, got.weightSum);
      assertEquals(ref.loss, got.loss, "the loss is computed at the same weights");
      double err = MlpTrainerTest.relativeError(got.grad, ref.grad);
      assertTrue(err > 0 && err < 1e-2, task + (sparse ? " sparse" : " dense")
          + ": relative gradient error " + err);
    } finally {
      blocks.unpersist(true);
    }
  }

  @Test
  void aPackedResultIsHalfTheBytesThroughSparksKryo() {
    SerializerInstance kryo = new org.apache.spark.serializer.KryoSerializer(
        SharedSpark.jsc().getConf()).newInstance();
    scala.reflect.ClassTag<PartialSums> tag =
        scala.reflect.ClassTag$.MODULE$.apply(PartialSums.class);
    SplittableRandom rnd = new SplittableRandom(1);
    float[] g = new float[1000];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) rnd.nextGaussian();
    }
    short[] h = new short[g.length];
    Bfloat16.round(g, g.length, h);
    PartialSums full = new PartialSums(g, 12.5, 40, 39.5);
    PartialSums packed = PartialSums.packed(h, 12.5, 40, 39.5);
    ByteBuffer fb = kryo.serialize(full, tag);
    ByteBuffer pb = kryo.serialize(packed, tag);
    int fullBytes = fb.remaining();
    int packedBytes = pb.remaining();
    assertTrue(fullBytes >= 4000 && fullBytes < 4100, "float32 result: " + fullBytes + " bytes");
    assertTrue(packedBytes >= 2000 && packedBytes < 2100, "bfloat16 result: " + packedBytes
        + " bytes");
    assertEquals(0.5, (double) packedBytes / fullBytes, 0.01);
    PartialSums back = kryo.deserialize(pb, tag);
    assertArrayEquals(h, back.packed);
    assertNull(back.grad);
    assertEquals(12.5, back.loss);
    assertEquals(40, back.count);
    assertEquals(39.5, back.weightSum);
    PartialSums fullBack = kryo.deserialize(fb, tag);
    assertArrayEquals(g, fullBack.grad);
  }

  @Test
  void packedPartsSumInPartitionOrderAsWidenedFloats() {
    SplittableRandom rnd = new SplittableRandom(2);
    for (int n : new int[] {1000, PartialSums.PARALLEL_MIN_LENGTH + 3}) {
      int parts = 3;
      short[][] h = new short[parts][n];
      float[] expected = new float[n];
      for (int p = 0; p < parts; p++) {
        for (int i = 0; i < n; i++) {
          h[p][i] = Bfloat16.round((float) rnd.nextGaussian());
          expected[i] += Bfloat16.widen(h[p][i]); // 0 + a is a: the same order of additions
        }
      }
      PartialSums[] ps = new PartialSums[parts];
      PartialSums[] one = new PartialSums[parts];
      for (int p = 0; p < parts; p++) {
        ps[p] = PartialSums.packed(h[p].clone(), p, 10 + p, 5.0 + p);
        one[p] = PartialSums.packed(h[p].clone(), p, 10 + p, 5.0 + p);
      }
      PartialSums sum = PartialSums.sumInOrder(ps);
      assertArrayEquals(expected, sum.grad);
      assertEquals(33, sum.count);
      assertEquals(18.0, sum.weightSum);
      assertEquals(3.0, sum.loss);
      PartialSums acc = one[0];
      for (int p = 1; p < parts; p++) {
        acc = acc.add(one[p]);
      }
      assertArrayEquals(expected, acc.grad, "add gives the bits of sumInOrder");
      assertArrayEquals(h[0], one[0].packed, "a packed part is never written to");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PartialSums.sumInOrder(new PartialSums[] {
            PartialSums.packed(new short[3], 0, 1, 1), PartialSums.packed(new short[4], 0, 1, 1)}));
    assertTrue(e.getMessage().contains("gradient lengths differ: 3 vs 4"), e.getMessage());
  }

  @Test
  void localSgdIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bf16().sync(new SyncSettings(4, SyncSettings.Outer.AVERAGE, 1f, 0.9f)).build());
    assertTrue(e.getMessage().contains("needs syncEvery = 1"), e.getMessage());
    // an outer update at H = 1 is still a synchronous step: allowed
    bf16().sync(new SyncSettings(1, SyncSettings.Outer.NESTEROV, 0.7f, 0.9f)).build();
    e = assertThrows(IllegalArgumentException.class, () -> TransferPrecision.parse("half"));
    assertTrue(e.getMessage().contains("float32, bfloat16"), e.getMessage());
  }

  @Test
  void resumeIsBitwiseIdentical(@TempDir Path dir) {
    // 300 rows, batch 32: 10 steps per epoch, 30 in all; checkpoints every 4 steps
    JavaRDD<Row> rows = data(300, 3);
    TrainerConfig.Builder b = bf16();
    TrainedModel uninterrupted = new MlpTrainer(b.build()).fitRows(rows, null);
    new MlpTrainer(b.checkpoint(new CheckpointSettings(dir.toString(), 4, false, 3, false, false))
        .stopAfterSteps(17).build()).fitRows(rows, null);
    TrainedModel resumed = new MlpTrainer(b.checkpoint(
        new CheckpointSettings(dir.toString(), 4, false, 3, true, false)).stopAfterSteps(0)
        .build()).fitRows(rows, null);
    assertTrue(resumed.provenance().get("resumed.from").endsWith("step-000000000016"),
        resumed.provenance().get("resumed.from"));
    assertArrayEquals(uninterrupted.params(), resumed.params());
  }

  @Test
  void killedStepTasksAreRecomputedWithTheSameBits() {
    TrainerConfig c = bf16().batchSize(64).build();
    TrainedModel undisturbed = new MlpTrainer(c).fitRows(data(1000, 2), null);
    SparkContext sc = SharedSpark.jsc().sc();
    TaskKiller killer = new TaskKiller(sc, d -> d.startsWith("spark-mlp epoch") && d.contains(" step "));
    sc.addSparkListener(killer);
    TrainedModel disturbed;
    try {
      disturbed = new MlpTrainer(c).fitRows(data(1000, 2), null);
    } finally {
      sc.removeSparkListener(killer);
    }
    assertTrue(killer.killed.get() > 0, "no step task was killed and retried");
    assertArrayEquals(undisturbed.params(), disturbed.params());
  }

}
