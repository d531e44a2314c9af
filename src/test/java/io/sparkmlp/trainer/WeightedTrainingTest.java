package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * Row and class weights in the distributed trainer: weights of 1 are bitwise the unweighted run,
 * a row weighted 2 is the row duplicated (step gradient and divisor), balanced class weights raise
 * the minority class's recall, and the resolved weights reach the provenance.
 */
class WeightedTrainingTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.TANH), 6, 8, 3);

  private static TrainerConfig.Builder cfg() {
    return TrainerConfig.builder(SPEC).batchSize(32).epochs(3).seed(11L)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f));
  }

  /** Rows (features, label, weight) with the given weight per row index. */
  private static List<Row> weighted(List<Row> rows, java.util.function.IntToDoubleFunction w) {
    List<Row> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      out.add(RowFactory.create(rows.get(i).get(0), rows.get(i).get(1), w.applyAsDouble(i)));
    }
    return out;
  }

  @Test
  void weightsOfOneGiveTheBitsOfNoWeightColumn() {
    List<Row> rows = Synthetic.classification(400, 6, 3, 7L);
    TrainerConfig plain = cfg().validationFraction(0.25).build();
    TrainedModel a = new MlpTrainer(plain)
        .fitRows(SharedSpark.jsc().parallelize(rows, 4), null);
    TrainedModel b = new MlpTrainer(plain.toBuilder().weightCol("w").build())
        .fitRows(SharedSpark.jsc().parallelize(weighted(rows, i -> 1.0), 4), null);
    assertArrayEquals(a.params(), b.params());
    assertEquals(a.history().size(), b.history().size());
    for (int e = 0; e < a.history().size(); e++) {
      EpochRecord x = a.history().get(e);
      EpochRecord y = b.history().get(e);
      assertEquals(Double.doubleToRawLongBits(x.trainLoss()), Double.doubleToRawLongBits(y.trainLoss()));
      assertEquals(Double.doubleToRawLongBits(x.validationLoss()),
          Double.doubleToRawLongBits(y.validationLoss()));
      assertEquals(x.validationMetric(), y.validationMetric());
    }
    assertEquals("w", b.provenance().get(TrainedModel.WEIGHT_COLUMN));
  }

  @Test
  void aRowWeightedTwoGivesTheStepOfTheRowDuplicated() {
    List<Row> rows = Synthetic.classification(300, 6, 3, 9L);
    List<Row> dup = new ArrayList<>(weighted(rows, i -> 1.0));
    dup.add(dup.get(5));
    List<Row> two = weighted(rows, i -> i == 5 ? 2.0 : 1.0);
    MlpTrainer trainer = new MlpTrainer(cfg().weightCol("w").batchSize(300).build());
    Mlp mlp = new Mlp(SPEC);
    float[] params = trainer.config().initializer().initialize(mlp.layout(), 3L);
    RowPacker packer = new RowPacker(SPEC, RowPacker.InvalidRows.FAIL, "w");
    JavaRDD<PackedBlock> dupBlocks =
        MlpTrainer.packBlocks(SharedSpark.jsc().parallelize(dup, 3), packer, 0.0, 3L, false);
    JavaRDD<PackedBlock> twoBlocks =
        MlpTrainer.packBlocks(SharedSpark.jsc().parallelize(two, 3), packer, 0.0, 3L, false);
    // one step per epoch: step 0 holds every row
    PartialSums d = trainer.runStep(SharedSpark.jsc(), "dup", dupBlocks, false, params, 1, 0, 1, 64,
        1, null);
    PartialSums t = trainer.runStep(SharedSpark.jsc(), "two", twoBlocks, false, params, 1, 0, 1, 64,
        1, null);
    assertEquals(301, d.count);
    assertEquals(300, t.count);
    // the divisor: 301 rows of weight 1 and 299 of weight 1 plus one of weight 2
    assertEquals(301.0, d.weightSum);
    assertEquals(301.0, t.weightSum);
    assertEquals(d.loss / d.weightSum, t.loss / t.weightSum, 1e-9 * Math.abs(d.loss / d.weightSum));
    float[] gd = Divergence.meanGradient(d, 1, 1, 0.01f, "");
    float[] gt = Divergence.meanGradient(t, 1, 1, 0.01f, "");
    double err = MlpTrainerTest.relativeError(gt, gd);
    assertTrue(err < 1e-5, "mean gradients differ by " + err);
  }

  /** Binary rows, about 10% positive, whose classes overlap: y = [x . t + noise > cut]. */
  private static List<Row> imbalanced(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] teacher = {1.0, -0.8, 0.6, 0.4};
    List<Row> out = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      double[] x = new double[4];
      double s = 0;
      for (int i = 0; i < 4; i++) {
        x[i] = rng.nextGaussian();
        s += teacher[i] * x[i];
      }
      double label = s + 0.9 * rng.nextGaussian() > 2.1 ? 1.0 : 0.0;
      out.add(RowFactory.create(Vectors.dense(x), label));
    }
    return out;
  }

  /** Recall of class 1 of the model on {@code rows}. */
  private static double recall(TrainedModel m, List<Row> rows) {
    float[] x = new float[rows.size() * 4];
    for (int r = 0; r < rows.size(); r++) {
      Vector v = (Vector) rows.get(r).get(0);
      for (int i = 0; i < 4; i++) {
        x[r * 4 + i] = (float) v.apply(i);
      }
    }
    float[] p = m.predict(x, rows.size());
    long pos = 0;
    long hit = 0;
    for (int r = 0; r < rows.size(); r++) {
      if (rows.get(r).getDouble(1) == 1.0) {
        pos++;
        hit += p[r] > 0.5f ? 1 : 0;
      }
    }
    return (double) hit / pos;
  }

  @Test
  void balancedClassWeightsRaiseTheMinorityRecall() {
    NetworkSpec binary = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.RELU), 4, 8, 1);
    List<Row> train = imbalanced(3000, 21L);
    List<Row> test = imbalanced(2000, 22L);
    long positives = train.stream().filter(r -> r.getDouble(1) == 1.0).count();
    assertTrue(positives > 150 && positives < 450, positives + " positives of 3000");
    TrainerConfig c = TrainerConfig.builder(binary).batchSize(64).epochs(4).seed(5L)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f)).build();
    TrainedModel plain = new MlpTrainer(c).fitRows(SharedSpark.jsc().parallelize(train, 2), null);
    TrainedModel balanced = new MlpTrainer(c.toBuilder().classWeights(ClassWeights.BALANCED)
        .build()).fitRows(SharedSpark.jsc().parallelize(train, 2), null);
    double before = recall(plain, test);
    double after = recall(balanced, test);
    assertTrue(after > before + 0.15, "recall of the minority class " + before + " -> " + after);
    // n / (k n_c) from the training class counts, in the provenance by class index
    String[] w = balanced.provenance().get(TrainedModel.CLASS_WEIGHTS).split(",");
    assertEquals(3000.0 / (2 * (3000 - positives)), Float.parseFloat(w[0]), 1e-5);
    assertEquals(3000.0 / (2 * positives), Float.parseFloat(w[1]), 1e-5);
    assertEquals("balanced", balanced.provenance().get(TrainedModel.CLASS_WEIGHTS_MODE));
    assertEquals(null, plain.provenance().get(TrainedModel.CLASS_WEIGHTS));
  }

  @Test
  void explicitClassWeightsWeighTheLossByClass() {
    List<Row> rows = Synthetic.classification(300, 6, 3, 7L);
    // class 2 weighs 0: the step's divisor is the weight of the other classes' rows
    TrainerConfig c = cfg().batchSize(300).classWeights(ClassWeights.of(1f, 3f, 0f)).build();
    MlpTrainer trainer = new MlpTrainer(c);
    float[] params = c.initializer().initialize(new Mlp(SPEC).layout(), 3L);
    JavaRDD<PackedBlock> blocks = MlpTrainer.packBlocks(SharedSpark.jsc().parallelize(rows, 2),
        new RowPacker(SPEC, RowPacker.InvalidRows.FAIL), 0.0, 3L, false);
    PartialSums s = trainer.runStep(SharedSpark.jsc(), "cw", blocks, false, params, 1, 0, 1, 64,
        1, c.classWeights().perClass());
    long[] counts = new long[3];
    rows.forEach(r -> counts[(int) r.getDouble(1)]++);
    assertEquals(counts[0] + 3.0 * counts[1], s.weightSum);
    TrainedModel m = trainer.fitRows(SharedSpark.jsc().parallelize(rows, 2), null);
    assertEquals("1.0,3.0,0.0", m.provenance().get(TrainedModel.CLASS_WEIGHTS));
    assertEquals("explicit", m.provenance().get(TrainedModel.CLASS_WEIGHTS_MODE));
  }

  @Test
  void badWeightsAndMisplacedClassWeightsAreOneLineErrors() {
    List<Row> rows = weighted(Synthetic.classification(50, 6, 3, 7L), i -> i == 7 ? -1.0 : 1.0);
    Exception e = assertThrows(Exception.class, () -> new MlpTrainer(cfg().weightCol("w")
        .batchSize(8).build()).fitRows(SharedSpark.jsc().parallelize(rows, 1), null));
    String msg = MlpTrainerTest.rootMessage(e);
    assertTrue(msg.contains("row 7: weight column 'w' has the negative weight -1.0"), msg);
    List<Row> zeros = weighted(Synthetic.classification(50, 6, 3, 7L), i -> 0.0);
    Exception z = assertThrows(IllegalArgumentException.class, () -> new MlpTrainer(
        cfg().weightCol("w").batchSize(8).build())
        .fitRows(SharedSpark.jsc().parallelize(zeros, 2), null));
    assertTrue(z.getMessage().contains("(column 'w') sum to 0"), z.getMessage());
    NetworkSpec regression = NetworkSpec.of(Task.REGRESSION, Activation.of(Activation.Kind.TANH),
        6, 4, 1);
    Exception r = assertThrows(IllegalArgumentException.class, () -> TrainerConfig
        .builder(regression).classWeights(ClassWeights.BALANCED).build());
    assertEquals("class weights are for binary and multiclass tasks, not regression",
        r.getMessage());
    Exception k = assertThrows(IllegalArgumentException.class,
        () -> cfg().classWeights(ClassWeights.of(1f, 2f)).build());
    assertEquals("2 class weights for 3 classes", k.getMessage());
  }
}
