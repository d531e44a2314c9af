package io.sparkmlp.model.optim;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.ParamLayout;
import io.sparkmlp.model.Task;

/** Small layouts shared by the optimizer tests. */
final class Fixtures {
  private Fixtures() {}

  /** 2 inputs, 1 output, no hidden layer: W[0][0], W[0][1] (weights), then b[0] (bias). */
  static ParamLayout threeParams() {
    return new ParamLayout(NetworkSpec.of(Task.REGRESSION, Activation.of(Activation.Kind.RELU), 2, 1));
  }

  /** 3-4-2 regression net: 12 + 4 + 8 + 2 = 26 parameters. */
  static ParamLayout small() {
    return new ParamLayout(
        NetworkSpec.of(Task.REGRESSION, Activation.of(Activation.Kind.RELU), 3, 4, 2));
  }
}
