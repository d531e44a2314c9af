package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A finite loss that explodes is divergence; ordinary noise and a falling loss are not. */
class LossGrowthTest {

  @Test
  void aLossThousandsOfTimesItsStartIsDivergence() {
    LossGrowth g = new LossGrowth();
    g.check(0.7, 1, 1, 1000f, "");
    g.check(5.0, 2, 1, 1000f, "");
    g.check(699.0, 3, 1, 1000f, "");
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> g.check(8.2e9, 4, 2, 1000f, "; no checkpoint was written before the divergence"));
    assertEquals(4, e.step());
    assertEquals("training diverged at step 4 (epoch 2): the loss grew to 8.20e+09, more than "
        + "1000 times its start (1.00); the learning rate (1000.00) is probably too high, or the "
        + "features are not scaled (enable standardization); no checkpoint was written before "
        + "the divergence", e.getMessage());
  }

  @Test
  void theReferenceIsTheFirstStepsLossWhenAboveOne() {
    LossGrowth g = new LossGrowth();
    g.check(2.5e4, 1, 1, 0.01f, ""); // regression on unscaled targets
    g.check(2.4e7, 2, 1, 0.01f, "");
    assertThrows(TrainingDivergedException.class, () -> g.check(2.6e7, 3, 1, 0.01f, ""));
  }

  @Test
  void aFallingOrNoisyLossIsNot() {
    LossGrowth g = new LossGrowth();
    double loss = 2.3;
    for (int s = 1; s <= 1000; s++) {
      g.check(loss * (1 + (s % 7) * 0.5), s, 1, 0.1f, "");
      loss *= 0.99;
    }
  }
}
