package io.sparkmlp.model;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Weight initialization schemes. Weights are drawn layer by layer, in layout order, from one
 * {@link SplittableRandom} seeded explicitly, so the same seed always gives the same parameters.
 * Biases start at zero.
 */
public enum Initializer {
  /** U(-sqrt(6/(in+out)), +sqrt(6/(in+out))) (Glorot &amp; Bengio 2010). */
  XAVIER_UNIFORM,
  /** N(0, 2/(in+out)). */
  XAVIER_NORMAL,
  /** U(-sqrt(6/in), +sqrt(6/in)) (He et al. 2015). */
  HE_UNIFORM,
  /** N(0, 2/in). */
  HE_NORMAL,
  /** He for ReLU-family hidden layers, Xavier otherwise, both uniform (per layer). */
  AUTO;

  /** Fresh parameters for {@code layout} from {@code seed}. */
  public float[] initialize(ParamLayout layout, long seed) {
    float[] p = new float[layout.size()];
    SplittableRandom rng = new SplittableRandom(seed);
    NetworkSpec spec = layout.spec();
    for (int l = 0; l < layout.numLayers(); l++) {
      int in = layout.fanIn(l);
      int out = layout.fanOut(l);
      Initializer scheme = this;
      if (scheme == AUTO) {
        Activation.Kind k = l < spec.hidden().size()
            ? spec.hidden().get(l).activation().kind() : Activation.Kind.IDENTITY;
        boolean reluFamily = k == Activation.Kind.RELU || k == Activation.Kind.LEAKY_RELU
            || k == Activation.Kind.MISH || k == Activation.Kind.SOFTPLUS;
        scheme = reluFamily ? HE_UNIFORM : XAVIER_UNIFORM;
      }
      int off = layout.weightOffset(l);
      int n = in * out;
      switch (scheme) {
        case XAVIER_UNIFORM -> uniform(p, off, n, Math.sqrt(6.0 / (in + out)), rng);
        case XAVIER_NORMAL -> normal(p, off, n, Math.sqrt(2.0 / (in + out)), rng);
        case HE_UNIFORM -> uniform(p, off, n, Math.sqrt(6.0 / in), rng);
        case HE_NORMAL -> normal(p, off, n, Math.sqrt(2.0 / in), rng);
        default -> throw new IllegalStateException(scheme.name());
      }
    }
    return p;
  }

  private static void uniform(float[] p, int off, int n, double limit, SplittableRandom rng) {
    for (int i = 0; i < n; i++) {
      p[off + i] = (float) ((2 * rng.nextDouble() - 1) * limit);
    }
  }

  private static void normal(float[] p, int off, int n, double std, SplittableRandom rng) {
    for (int i = 0; i < n; i++) {
      p[off + i] = (float) (rng.nextGaussian() * std);
    }
  }

  /** Parses e.g. {@code he_normal}, {@code xavier_uniform}, {@code auto}. */
  public static Initializer parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown initializer '" + s
          + "'; known: xavier_uniform, xavier_normal, he_uniform, he_normal, auto");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
