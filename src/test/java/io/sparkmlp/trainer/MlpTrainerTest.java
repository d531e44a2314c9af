package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.testing.Synthetic;
import io.sparkmlp.trainer.state.EpochRecord;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The distributed trainer in local[2]: gradient equality, determinism, failures. */
class MlpTrainerTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.TANH), 6, 8, 3);

  private static JavaRDD<Row> data(int rows, int partitions) {
    JavaSparkContext jsc = SharedSpark.jsc();
    return jsc.parallelize(Synthetic.classification(rows, 6, 3, 7L), partitions);
  }

  private static TrainerConfig.Builder cfg() {
    return TrainerConfig.builder(SPEC).batchSize(32).epochs(3).seed(11L)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f));
  }

  @Test
  void distributedGradientEqualsLocalKernel() {
    List<Row> rows = Synthetic.classification(300, 6, 3, 7L);
    JavaRDD<Row> rdd = SharedSpark.jsc().parallelize(rows, 4);
    MlpTrainer trainer = new MlpTrainer(cfg().batchSize(300).build());
    Mlp mlp = new Mlp(SPEC);
    float[] params = trainer.config().initializer().initialize(mlp.layout(), 3L);
    JavaRDD<PackedBlock> blocks = MlpTrainer.packBlocks(rdd,
        new RowPacker(SPEC, RowPacker.InvalidRows.FAIL), 0.0, 3L, false);
    try {
      // one step per epoch: step 0 holds every row
      PartialSums dist = trainer.runStep(SharedSpark.jsc(), "grad-test", blocks, false, params, 1, 0,
          1, 64, 1, null);
      assertEquals(300, dist.count);

      float[] x = new float[300 * 6];
      float[] y = new float[300];
      for (int r = 0; r < 300; r++) {
        Vector v = (Vector) rows.get(r).get(0);
        for (int i = 0; i < 6; i++) {
          x[r * 6 + i] = (float) v.apply(i);
        }
        y[r] = (float) rows.get(r).getDouble(1);
      }
      float[] local = new float[mlp.layout().size()];
      double localLoss = mlp.lossAndGradient(params, x, 0, y, 0, 300, local, mlp.newWorkspace(64));
      assertEquals(localLoss, dist.loss, 1e-5 * Math.abs(localLoss));
      assertTrue(relativeError(dist.grad, local) < 1e-5,
          "relative gradient error " + relativeError(dist.grad, local));
    } finally {
      blocks.unpersist(true);
    }
  }

  @Test
  void sameSeedGivesBitwiseIdenticalWeights() {
    TrainedModel a = new MlpTrainer(cfg().build()).fitRows(data(400, 4), null);
    TrainedModel b = new MlpTrainer(cfg().build()).fitRows(data(400, 4), null);
    assertArrayEquals(a.params(), b.params());
    TrainedModel c = new MlpTrainer(cfg().seed(12L).build()).fitRows(data(400, 4), null);
    assertNotEquals(0.0, maxAbsDiff(a.params(), c.params()));
  }

  @Test
  void oneAndFourPartitionsAgreeUpToRounding() {
    TrainedModel one = new MlpTrainer(cfg().build()).fitRows(data(400, 1), null);
    TrainedModel four = new MlpTrainer(cfg().build()).fitRows(data(400, 4), null);
    double err = relativeError(four.params(), one.params());
    assertTrue(err < 1e-4, "1 vs 4 partitions differ by " + err);
    // and by the tree reduction depth
    TrainedModel deep = new MlpTrainer(cfg().treeDepth(2).build()).fitRows(data(400, 4), null);
    assertTrue(relativeError(deep.params(), one.params()) < 1e-4);
  }

  @Test
  void learnsAndReportsHistoryWithValidationAndEarlyStopping() {
    TrainerConfig c = cfg().epochs(30).validationFraction(0.25).earlyStopping(2, 0.0, true).build();
    TrainedModel m = new MlpTrainer(c).fitRows(data(600, 3), null);
    EpochRecord last = m.lastEpoch();
    assertTrue(m.history().get(0).trainLoss() > last.trainLoss());
    assertTrue(last.validationMetric() > 0.85, "validation accuracy " + last.validationMetric());
    assertEquals(600, m.train().rows() + m.validation().rows());
    assertTrue(m.validation().rows() > 100 && m.validation().rows() < 200);
    assertTrue(m.train().cachedBytes() >= m.train().rawBytes());
    assertEquals("3", m.provenance().get("partitions"));
  }

  @Test
  void aHeldOutValidationSplitReadsTheInputOnce() {
    org.apache.spark.util.LongAccumulator reads = SharedSpark.jsc().sc().longAccumulator();
    JavaRDD<Row> counted = data(400, 4).map(r -> {
      reads.add(1);
      return r;
    });
    // dense packing named explicitly: under data.sparse = auto the trainer first looks at one row
    // to see whether the features arrive as sparse vectors, which this counter would also count
    TrainedModel m = new MlpTrainer(cfg().epochs(2).validationFraction(0.25)
        .sparseInput(SparseInput.Mode.FALSE).build()).fitRows(counted, null);
    assertEquals(400, reads.value(), "one pass packs the training and the validation blocks");
    assertEquals(400, m.train().rows() + m.validation().rows());
    assertTrue(m.validation().rows() > 60 && m.validation().rows() < 140,
        "about a quarter held out: " + m.validation().rows());
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> cfg().batchSize(0).build());
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> new MlpTrainer(cfg().batchSize(1000).build()).fitRows(data(50, 2), null));
    assertTrue(e.getMessage().contains("larger than the 50 training rows"), e.getMessage());
    NetworkSpec four = NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.TANH), 4, 3);
    Exception w = assertThrows(Exception.class, () -> new MlpTrainer(
        TrainerConfig.builder(four).batchSize(8).build()).fitRows(data(50, 2), null));
    assertTrue(rootMessage(w).contains("6 features, but the network expects 4"), rootMessage(w));
  }

  static String rootMessage(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append(" | ");
    }
    return sb.toString();
  }

  static double relativeError(float[] a, float[] b) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      num += d * d;
      den += (double) b[i] * b[i];
    }
    return Math.sqrt(num / Math.max(den, 1e-30));
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
