package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.ParamLayout;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.testing.Synthetic;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalExchange} in local[2]: handing a step's weights and partial sums over in memory gives
 * bitwise the weights of the serialized path (inline and broadcast weights, float32 and bfloat16,
 * one and several partitions), the tasks' results shrink to placeholders of a few bytes, and
 * nothing stays in the exchange after a run.
 */
class LocalExchangeTest {

  private static JavaRDD<Row> data(int partitions) {
    return SharedSpark.jsc().parallelize(Synthetic.classification(300, 6, 3, 5L), partitions);
  }

  private static TrainerConfig cfg(int hidden, TransferPrecision precision) {
    return cfg(hidden, precision, 1);
  }

  private static TrainerConfig cfg(int hidden, TransferPrecision precision, int syncEvery) {
    NetworkSpec spec = NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.RELU), 6,
        hidden, 3);
    return TrainerConfig.builder(spec).batchSize(32).epochs(2).seed(3L)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f)).transferPrecision(precision)
        .sync(syncEvery == 1 ? SyncSettings.SYNCHRONOUS
            : new SyncSettings(syncEvery, SyncSettings.Outer.NESTEROV, 0.7f, 0.9f))
        .build();
  }

  /** Trains; the largest task result of the run, in bytes. */
  private static long largestResultAndTrain(MlpTrainer trainer, JavaRDD<Row> rows)
      throws Exception {
    AtomicLong largest = new AtomicLong();
    SparkListener l = new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd e) {
        if (e.taskMetrics() != null) {
          largest.accumulateAndGet(e.taskMetrics().resultSize(), Math::max);
        }
      }
    };
    SharedSpark.jsc().sc().addSparkListener(l);
    try {
      trainer.fitRows(rows, null);
    } finally {
      SharedSpark.jsc().sc().listenerBus().waitUntilEmpty();
      SharedSpark.jsc().sc().removeSparkListener(l);
    }
    return largest.get();
  }

  /**
   * hidden 8: 91 parameters (weights inline); hidden 40000: 400,043 (broadcast); sync-every 3:
   * local-SGD rounds (their start and weight sums pass through the exchange too).
   */
  @ParameterizedTest(name = "hidden {0}, {1}, {2} partitions, sync-every {3}")
  @CsvSource({"8, FLOAT32, 3, 1", "8, BFLOAT16, 3, 1", "40000, FLOAT32, 2, 1",
      "40000, BFLOAT16, 2, 1", "8, FLOAT32, 1, 1", "8, FLOAT32, 3, 3", "40000, FLOAT32, 2, 3"})
  void inMemoryHandOverGivesTheSerializedPathsBits(int hidden, TransferPrecision precision,
      int partitions, int syncEvery) {
    TrainerConfig c = cfg(hidden, precision, syncEvery);
    float[] serialized = new MlpTrainer(c).withoutLocalExchange().fitRows(data(partitions), null)
        .params();
    float[] exchanged = new MlpTrainer(c).fitRows(data(partitions), null).params();
    assertArrayEquals(serialized, exchanged);
    assertEquals(0, LocalExchange.size(), "nothing left in the exchange after the run");
  }

  @Test
  void stepResultsShrinkToPlaceholders() throws Exception {
    TrainerConfig c = cfg(40000, TransferPrecision.FLOAT32);
    long params = new ParamLayout(c.spec()).size();
    long serialized = largestResultAndTrain(new MlpTrainer(c).withoutLocalExchange(), data(2));
    long exchanged = largestResultAndTrain(new MlpTrainer(c), data(2));
    assertTrue(serialized >= 4 * params, "serialized step results carry the gradient: "
        + serialized);
    // the largest result with the exchange is a validation/packing task, never a P-float gradient
    assertTrue(exchanged < params, "exchanged results are placeholders: " + exchanged);
  }

  @Test
  void aPlaceholderWithoutItsResultIsAnError() {
    PartialSums p = LocalExchange.placeholder(new PartialSums(new float[3], 1, 2, 2));
    assertTrue(LocalExchange.isPlaceholder(p));
    assertEquals(2, p.count);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> LocalExchange.resolve("no-such-step", new PartialSums[] {p}));
    assertTrue(e.getMessage().contains("partition 0 of step no-such-step"), e.getMessage());
  }
}
