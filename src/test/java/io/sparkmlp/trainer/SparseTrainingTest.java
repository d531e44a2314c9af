package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.testing.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * Sparse input in the trainer: CSR blocks whose size follows the non-zeros, the density decision,
 * and training on CSR blocks against training on the same rows packed dense.
 */
class SparseTrainingTest {

  /** rows x width binary rows with {@code nnz} random non-zeros each (label: parity of a column). */
  static List<Row> sparseRows(int rows, int width, int nnz, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      int[] idx = rng.ints(0, width).distinct().limit(nnz).sorted().toArray();
      double[] val = new double[nnz];
      double s = 0;
      for (int k = 0; k < nnz; k++) {
        val[k] = rng.nextDouble() * 2 - 1;
        s += idx[k] % 2 == 0 ? val[k] : -val[k];
      }
      out.add(RowFactory.create(Vectors.sparse(width, idx, val), s > 0 ? 1.0 : 0.0));
    }
    return out;
  }

  private static List<Row> densified(List<Row> rows) {
    List<Row> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(RowFactory.create(((Vector) r.get(0)).toDense(), r.get(1)));
    }
    return out;
  }

  @Test
  void aMillionWideDatasetPacksIntoItsNonZeros() {
    // the example: 200 rows x 1,000,000 features, 20 non-zeros per row
    int width = 1_000_000;
    List<Row> rows = sparseRows(200, width, 20, 1L);
    NetworkSpec spec = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.RELU), width, 4,
        1);
    PackedBlock b = new RowPacker(spec, RowPacker.InvalidRows.FAIL, true)
        .pack(0, rows.iterator(), 0.0, 1L, false);
    assertTrue(b.isSparse());
    assertEquals(200, b.rows());
    assertEquals(4000, b.storedFeatures());
    // CSR: (201 row starts + 4000 columns + 4000 values) x 4 + labels 200 x 4 + hashes 200 x 8
    assertEquals(4L * (201 + 4000 + 4000) + 4L * 200 + 8L * 200, b.payloadBytes());
    assertTrue(b.payloadBytes() < 1 << 20, "under 1 MiB: " + b.payloadBytes());
    assertThrows(IllegalStateException.class, b::features);

    // the whole trainer on it: AUTO packs sparse, the cache is under 1 MiB, and one epoch runs
    // with a 4 x 10^6 first layer
    TrainedModel m = new MlpTrainer(TrainerConfig.builder(spec).batchSize(50).epochs(1)
        .seed(3L).progressIntervalSeconds(0).build())
        .fitRows(SharedSpark.jsc().parallelize(rows, 2), null);
    assertEquals("sparse", m.provenance().get("input"));
    assertEquals(200, m.train().rows());
    assertTrue(m.train().cachedBytes() < 1 << 20, "cached " + m.train().cachedBytes());
    assertTrue(Float.isFinite(m.params()[0]));
  }

  @Test
  void csrBlockMatchesTheRows() {
    List<Row> rows = sparseRows(30, 50, 4, 2L);
    // a dense vector with zeros and an explicit zero in a sparse vector are stored the same way
    rows.set(0, RowFactory.create(Vectors.dense(new double[50]).copy(), 1.0));
    double[] d = new double[50];
    d[7] = 2.5;
    rows.set(1, RowFactory.create(Vectors.dense(d), 0.0));
    rows.set(2, RowFactory.create(new SparseVector(50, new int[] {3, 7}, new double[] {0, 2.5}),
        0.0));
    NetworkSpec spec = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.TANH), 50, 3, 1);
    PackedBlock b = new RowPacker(spec, RowPacker.InvalidRows.FAIL, true)
        .pack(0, rows.iterator(), 0.0, 1L, false);
    assertEquals(30, b.rows());
    assertEquals(2 + 27 * 4, b.storedFeatures());
    // rows 1 and 2 are the same row: the same hash, so adjacent after sorting
    long[] h = b.rowHashes();
    int same = 0;
    for (int i = 1; i < h.length; i++) {
      same += h[i] == h[i - 1] ? 1 : 0;
    }
    assertEquals(1, same, "two identical rows");
    // every stored row equals one of the input rows, densified
    List<String> want = new ArrayList<>();
    for (Row r : rows) {
      want.add(Arrays.toString(toFloats(((Vector) r.get(0)).toArray())));
    }
    for (int r = 0; r < b.rows(); r++) {
      float[] x = new float[50];
      for (int k = b.rowPtr()[r]; k < b.rowPtr()[r + 1]; k++) {
        assertTrue(k == b.rowPtr()[r] || b.colIdx()[k] > b.colIdx()[k - 1], "ascending columns");
        x[b.colIdx()[k]] = b.values()[k];
      }
      assertTrue(want.contains(Arrays.toString(x)), "row " + r);
    }
    // NaN in a sparse row: the usual one-line error, or dropped and counted
    List<Row> bad = new ArrayList<>(rows);
    bad.add(RowFactory.create(Vectors.sparse(50, new int[] {4}, new double[] {Double.NaN}), 1.0));
    RowPacker failing = new RowPacker(spec, RowPacker.InvalidRows.FAIL, true);
    InvalidRowException e = assertThrows(InvalidRowException.class,
        () -> failing.pack(3, bad.iterator(), 0.0, 1L, false));
    assertTrue(e.getMessage().startsWith("partition 3, row 30: NaN"), e.getMessage());
    PackedBlock dropped = new RowPacker(spec, RowPacker.InvalidRows.DROP, true)
        .pack(3, bad.iterator(), 0.0, 1L, false);
    assertEquals(1, dropped.droppedRows());
    assertEquals(30, dropped.rows());
  }

  @Test
  void kryoRoundTripKeepsTheCsrArrays() {
    NetworkSpec spec = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.TANH), 50, 3, 1);
    PackedBlock b = new RowPacker(spec, RowPacker.InvalidRows.FAIL, true)
        .pack(0, sparseRows(20, 50, 3, 8L).iterator(), 0.0, 1L, false);
    com.esotericsoftware.kryo.Kryo kryo = new com.esotericsoftware.kryo.Kryo();
    new SparkMlpKryoRegistrator().registerClasses(kryo);
    com.esotericsoftware.kryo.io.Output out = new com.esotericsoftware.kryo.io.Output(1 << 16);
    kryo.writeObject(out, b);
    PackedBlock c = kryo.readObject(new com.esotericsoftware.kryo.io.Input(out.toBytes()),
        PackedBlock.class);
    assertTrue(c.isSparse());
    assertArrayEquals(b.rowPtr(), c.rowPtr());
    assertArrayEquals(b.colIdx(), c.colIdx());
    assertArrayEquals(b.values(), c.values());
    assertArrayEquals(b.labels(), c.labels());
    assertArrayEquals(b.rowHashes(), c.rowHashes());
    assertEquals(MlpTrainer.contentHash(b), MlpTrainer.contentHash(c));
    // a CSR block with row weights keeps them
    PackedBlock w = new RowPacker(spec, RowPacker.InvalidRows.FAIL, "w", 1, true)
        .pack(0, withWeights(sparseRows(20, 50, 3, 8L)).iterator(), 0.0, 1L, false);
    out = new com.esotericsoftware.kryo.io.Output(1 << 16);
    kryo.writeObject(out, w);
    PackedBlock v = kryo.readObject(new com.esotericsoftware.kryo.io.Input(out.toBytes()),
        PackedBlock.class);
    assertTrue(v.isSparse());
    assertEquals(20, w.weights().length);
    assertArrayEquals(w.weights(), v.weights());
    assertArrayEquals(w.values(), v.values());
    assertEquals(MlpTrainer.contentHash(w), MlpTrainer.contentHash(v));
    assertEquals(b.payloadBytes() + 4L * 20, w.payloadBytes());
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  @Test
  void densityDecidesUnderAutoAndTheModeOverrides() {
    JavaRDD<Row> sparse = SharedSpark.jsc().parallelize(sparseRows(40, 100, 5, 3L), 2);
    SparseInput.Density d = SparseInput.measure(sparse);
    assertEquals(40, d.rows());
    assertEquals(100, d.width());
    assertEquals(200, d.nonZeros());
    assertEquals(0.05, d.density(), 1e-12);
    assertTrue(d.sparse());
    assertTrue(SparseInput.resolve(SparseInput.Mode.AUTO, sparse));
    assertFalse(SparseInput.resolve(SparseInput.Mode.FALSE, sparse));

    // sparse vectors at density 0.2: dense under AUTO
    JavaRDD<Row> denser = SharedSpark.jsc().parallelize(sparseRows(40, 100, 20, 3L), 2);
    assertEquals(0.2, SparseInput.measure(denser).density(), 1e-12);
    assertFalse(SparseInput.resolve(SparseInput.Mode.AUTO, denser));

    // dense vectors stay dense under AUTO however many zeros they hold; TRUE packs them sparse
    JavaRDD<Row> dense = SharedSpark.jsc().parallelize(densified(sparseRows(40, 100, 5, 3L)), 2);
    assertEquals(0.05, SparseInput.measure(dense).density(), 1e-12);
    assertFalse(SparseInput.resolve(SparseInput.Mode.AUTO, dense));
    assertTrue(SparseInput.resolve(SparseInput.Mode.TRUE, dense));
    assertEquals(SparseInput.Mode.AUTO, SparseInput.Mode.of(" Auto"));
  }

  private static TrainerConfig.Builder fullBatch(NetworkSpec spec, int rows) {
    // one step per epoch holding every row: sparse and dense packing then use the same batches
    // (their row hashes differ, so mini-batches would not be the same rows)
    return TrainerConfig.builder(spec).batchSize(rows).epochs(8).seed(5L)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.05f)).progressIntervalSeconds(0);
  }

  @Test
  void sparseTrainingEqualsDenseTrainingUpToRounding() {
    int rows = 120;
    NetworkSpec spec = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.TANH), 60, 8, 1);
    List<Row> data = sparseRows(rows, 60, 4, 4L);
    JavaRDD<Row> rdd = SharedSpark.jsc().parallelize(data, 2);
    TrainedModel sparse = new MlpTrainer(fullBatch(spec, rows)
        .sparseInput(SparseInput.Mode.TRUE).build()).fitRows(rdd, rdd);
    TrainedModel dense = new MlpTrainer(fullBatch(spec, rows)
        .sparseInput(SparseInput.Mode.FALSE).build()).fitRows(rdd, rdd);
    assertEquals("sparse", sparse.provenance().get("input"));
    assertEquals("dense", dense.provenance().get("input"));
    // not bitwise: the dense first layer sums in BLAS order, the sparse one row by row over the
    // non-zeros, and the rows of a partition are summed in hash order, which differs between the
    // two packings. After 8 Adam steps the weights agree to float rounding.
    float[] a = sparse.params();
    float[] b = dense.params();
    double maxDiff = 0;
    for (int i = 0; i < a.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    }
    assertTrue(maxDiff < 1e-4, "max |sparse - dense| = " + maxDiff);
    assertTrue(maxDiff < 0.01 * maxAbsChange(spec, b), "weights moved");
    for (int e = 0; e < 8; e++) {
      assertEquals(dense.history().get(e).trainLoss(), sparse.history().get(e).trainLoss(), 1e-5,
          "epoch " + (e + 1) + " train loss");
      assertEquals(dense.history().get(e).validationLoss(),
          sparse.history().get(e).validationLoss(), 1e-5, "epoch " + (e + 1) + " validation loss");
    }
  }

  private static double maxAbsChange(NetworkSpec spec, float[] trained) {
    float[] init = io.sparkmlp.model.Initializer.AUTO.initialize(
        new io.sparkmlp.model.ParamLayout(spec), 5L);
    double m = 0;
    for (int i = 0; i < init.length; i++) {
      m = Math.max(m, Math.abs(trained[i] - init[i]));
    }
    return m;
  }

  @Test
  void sparseTrainingIsBitwiseReproducibleAcrossRunsAndPartitionings() {
    int rows = 300;
    NetworkSpec spec = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.RELU), 80, 6, 1);
    List<Row> data = sparseRows(rows, 80, 5, 6L);
    TrainerConfig cfg = TrainerConfig.builder(spec).batchSize(32).epochs(2).seed(9L)
        .validationFraction(0.2).progressIntervalSeconds(0).build();
    TrainedModel one = new MlpTrainer(cfg).fitRows(SharedSpark.jsc().parallelize(data, 2), null);
    TrainedModel two = new MlpTrainer(cfg).fitRows(SharedSpark.jsc().parallelize(data, 2), null);
    assertEquals("sparse", one.provenance().get("input"));
    assertArrayEquals(one.params(), two.params(), "same seed, same bits");
    // the same rows in 3 partitions: the same batches and splits, sums in another order
    TrainedModel three = new MlpTrainer(cfg).fitRows(SharedSpark.jsc().parallelize(data, 3),
        null);
    assertEquals(one.validation().rows(), three.validation().rows());
    for (int i = 0; i < one.params().length; i++) {
      assertEquals(one.params()[i], three.params()[i], 1e-4, "param " + i);
    }
  }

  /** The rows with a third field, the row weight: 0.5, 1 or 2 by row index. */
  private static List<Row> withWeights(List<Row> rows) {
    List<Row> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      out.add(RowFactory.create(rows.get(i).get(0), rows.get(i).get(1), 0.5 * (1 << (i % 3))));
    }
    return out;
  }

  @Test
  void aSparseStepCarriesRowWeightsAndDropoutMasks() {
    // one step over every row of weighted CSR blocks with dropout: the distributed gradient is
    // the kernel's over the blocks' rows with their weights and the masks of their content hashes
    NetworkSpec spec = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.RELU), 50, 8, 6,
        1).withDropout(0.3);
    List<Row> rows = withWeights(sparseRows(240, 50, 5, 4L));
    TrainerConfig cfg = TrainerConfig.builder(spec).batchSize(240).epochs(1).seed(13L)
        .weightCol("w").progressIntervalSeconds(0).build();
    io.sparkmlp.model.Mlp mlp = new io.sparkmlp.model.Mlp(spec);
    float[] params = cfg.initializer().initialize(mlp.layout(), 3L);
    JavaRDD<PackedBlock> blocks = MlpTrainer.packBlocks(SharedSpark.jsc().parallelize(rows, 2),
        new RowPacker(spec, RowPacker.InvalidRows.FAIL, "w", 1, true), 0.0, 13L, false);
    try {
      float[] local = new float[params.length];
      double localLoss = 0;
      double weightSum = 0;
      long stepKey = io.sparkmlp.model.Dropout.stepKey(13L, 1, 0);
      for (PackedBlock b : blocks.collect()) {
        assertTrue(b.isSparse());
        localLoss += mlp.lossAndGradientSparse(params, b.rowPtr(), b.colIdx(), b.values(),
            b.labels(), 0, b.weights(), 0, b.rowHashes(), 0, stepKey, b.rows(), local,
            mlp.newSparseWorkspace(64));
        for (float x : b.weights()) {
          weightSum += x;
        }
      }
      assertEquals(0.5 * 80 + 1.0 * 80 + 2.0 * 80, weightSum, 1e-9);
      PartialSums dist = new MlpTrainer(cfg).runStep(SharedSpark.jsc(), "sparse-weighted", blocks,
          true, params, 1, 0, 1, 64, 1, null);
      assertEquals(240, dist.count);
      assertEquals(weightSum, dist.weightSum, 1e-9);
      assertEquals(localLoss, dist.loss, 1e-5 * Math.abs(localLoss));
      double err = MlpTrainerTest.relativeError(dist.grad, local);
      assertTrue(err < 1e-5, "relative gradient error " + err);
    } finally {
      blocks.unpersist(true);
    }
  }

  @Test
  void localRoundsOfTwoStepsTrainOnWeightedSparseBlocksWithDropout() {
    // local SGD (H = 2) on CSR blocks, with a weight column and dropout: it runs, packs sparse,
    // and is reproducible bit for bit
    NetworkSpec spec = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.RELU), 60, 8, 1)
        .withDropout(0.2);
    List<Row> rows = withWeights(sparseRows(320, 60, 6, 8L));
    TrainerConfig cfg = TrainerConfig.builder(spec).batchSize(32).epochs(2).seed(21L)
        .weightCol("w").sparseInput(SparseInput.Mode.TRUE).progressIntervalSeconds(0)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f))
        .sync(new SyncSettings(2, SyncSettings.Outer.AVERAGE, 1f, 0.9f)).build();
    TrainedModel a = new MlpTrainer(cfg).fitRows(SharedSpark.jsc().parallelize(rows, 2), null);
    TrainedModel b = new MlpTrainer(cfg).fitRows(SharedSpark.jsc().parallelize(rows, 2), null);
    assertEquals("sparse", a.provenance().get("input"));
    assertEquals(2, a.history().size());
    assertEquals(20L, a.history().get(1).steps());
    for (int e = 0; e < 2; e++) {
      assertTrue(Double.isFinite(a.history().get(e).trainLoss()), "epoch " + (e + 1));
    }
    assertArrayEquals(a.params(), b.params(), "same seed, same bits");
    // the synchronous run of the same configuration takes other steps
    TrainedModel sync = new MlpTrainer(cfg.toBuilder().sync(SyncSettings.SYNCHRONOUS).build())
        .fitRows(SharedSpark.jsc().parallelize(rows, 2), null);
    assertFalse(Arrays.equals(a.params(), sync.params()), "local rounds differ from sync steps");
  }
}
