package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Initializer;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.model.optim.ScheduleConfig;
import org.junit.jupiter.api.Test;

/** The builder: {@code toBuilder} carries every field, so derived configurations lose nothing. */
class TrainerConfigTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.TANH), 4, 5, 3);

  @Test
  void toBuilderKeepsEveryField() {
    TrainerConfig c = TrainerConfig.builder(SPEC)
        .optim(OptimConfig.builder(OptimizerKind.SGD, 0.1f).momentum(0.5f).beta1(0.8f)
            .beta2(0.99f).rho(0.7f).epsilon(1e-6f).l2(1e-4f).weightDecay(0.01f)
            .decayBiases(true).clipNorm(2f).schedule(ScheduleConfig.exponential(0.9f)).build())
        .initializer(Initializer.HE_NORMAL).batchSize(17).epochs(3).seed(5L)
        .validationFraction(0.2).earlyStopping(2, 0.01, false).storageLevel("MEMORY_ONLY")
        .treeDepth(2).partitions(4, true).invalidRows(RowPacker.InvalidRows.DROP)
        .columns("f", "l").checkpoint(new CheckpointSettings("/tmp/ck", 5, false, 2, true, true))
        .stopAfterSteps(9).progressIntervalSeconds(3)
        .sync(new SyncSettings(4, SyncSettings.Outer.NESTEROV, 0.7f, 0.8f))
        .sparseInput(SparseInput.Mode.TRUE).build();
    assertNotEquals(TrainerConfig.builder(SPEC).build(), c, "a configuration unlike the defaults");
    assertEquals(c, c.toBuilder().build());
    assertEquals(c.optim(), c.optim().toBuilder().build());
  }
}
