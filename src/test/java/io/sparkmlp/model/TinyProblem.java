package io.sparkmlp.model;

import java.util.SplittableRandom;

/**
 * A small deterministic network plus batch: Xavier weights, non-zero random biases (so bias
 * gradients matter), standard-normal inputs and task-appropriate labels (an autoencoder's are its
 * inputs).
 */
record TinyProblem(NetworkSpec spec, float[] params, float[] x, float[] y, int n) {

  /** Output width used for each task in the tiny problems. */
  static int outputWidth(Task task) {
    return switch (task) {
      case REGRESSION -> 2;
      case BINARY -> 1;
      case MULTICLASS, MULTILABEL -> 3;
      case AUTOENCODER -> 4;
    };
  }

  static TinyProblem create(Task task, Activation act, long seed, int n, int... hiddenWidths) {
    int[] widths = new int[hiddenWidths.length + 2];
    widths[0] = 4;
    System.arraycopy(hiddenWidths, 0, widths, 1, hiddenWidths.length);
    widths[widths.length - 1] = outputWidth(task);
    NetworkSpec spec = NetworkSpec.of(task, act, widths);
    ParamLayout layout = new ParamLayout(spec);
    SplittableRandom rng = new SplittableRandom(seed);
    float[] params = Initializer.XAVIER_UNIFORM.initialize(layout, seed);
    for (int l = 0; l < layout.numLayers(); l++) {
      for (int o = 0; o < layout.fanOut(l); o++) {
        params[layout.biasOffset(l) + o] = (float) (rng.nextDouble() - 0.5);
      }
    }
    float[] x = new float[n * spec.inputWidth()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    int k = spec.outputWidth();
    float[] y = new float[n * spec.labelWidth()];
    for (int i = 0; i < y.length; i++) {
      y[i] = switch (task) {
        case REGRESSION -> (float) rng.nextGaussian();
        case BINARY, MULTILABEL -> rng.nextBoolean() ? 1f : 0f;
        case MULTICLASS -> rng.nextInt(k);
        // an autoencoder's target is its own input row
        case AUTOENCODER -> x[i];
      };
    }
    return new TinyProblem(spec, params, x, y, n);
  }

  /**
   * Like {@link #create} but takes the first seed from {@code seed} on whose batch every hidden
   * pre-activation is at least {@code margin} away from 0, so that finite differences never cross a
   * ReLU kink. Deterministic.
   */
  static TinyProblem awayFromKinks(Task task, Activation act, long seed, double margin, int n,
      int... hiddenWidths) {
    for (long s = seed; s < seed + 1000; s++) {
      TinyProblem p = create(task, act, s, n, hiddenWidths);
      ReferenceMlp ref = new ReferenceMlp(p.spec());
      if (ref.forward(ReferenceMlp.toDouble(p.params()), p.x(), n).minAbsHiddenPreActivation()
          >= margin) {
        return p;
      }
    }
    throw new IllegalStateException("no seed with hidden pre-activations away from 0");
  }
}
