package io.sparkmlp.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InitializerTest {
  /** 400 -> 300 -> 100 -> 10: big enough for tight statistics per layer. */
  private static final NetworkSpec SPEC =
      NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.RELU), 400, 300, 100, 10);
  private static final ParamLayout LAYOUT = new ParamLayout(SPEC);

  @ParameterizedTest
  @EnumSource(Initializer.class)
  void sameSeedSameParamsDifferentSeedDifferent(Initializer init) {
    float[] a = init.initialize(LAYOUT, 42);
    float[] b = init.initialize(LAYOUT, 42);
    float[] c = init.initialize(LAYOUT, 43);
    assertEquals(LAYOUT.size(), a.length);
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      if (!LAYOUT.isBias(i) && a[i] == c[i]) {
        same++;
      }
    }
    assertTrue(same < 10, same + " weights equal across seeds");
  }

  @ParameterizedTest
  @EnumSource(Initializer.class)
  void biasesAreZeroAndWeightsAreNot(Initializer init) {
    float[] p = init.initialize(LAYOUT, 7);
    for (int l = 0; l < LAYOUT.numLayers(); l++) {
      for (int o = 0; o < LAYOUT.fanOut(l); o++) {
        assertEquals(0f, p[LAYOUT.biasOffset(l) + o], "bias of layer " + l);
      }
      int zeros = 0;
      for (int i = LAYOUT.weightOffset(l); i < LAYOUT.biasOffset(l); i++) {
        zeros += p[i] == 0f ? 1 : 0;
      }
      assertTrue(zeros < 3, "layer " + l + " has " + zeros + " zero weights");
    }
  }

  /** Expected standard deviation of the weights of layer l under a fixed (non-AUTO) scheme. */
  private static double expectedStd(Initializer init, int in, int out) {
    return switch (init) {
      case XAVIER_UNIFORM, XAVIER_NORMAL -> Math.sqrt(2.0 / (in + out));
      case HE_UNIFORM, HE_NORMAL -> Math.sqrt(2.0 / in);
      default -> throw new IllegalArgumentException();
    };
  }

  @ParameterizedTest
  @EnumSource(value = Initializer.class, names = "AUTO", mode = EnumSource.Mode.EXCLUDE)
  void scaleIsRight(Initializer init) {
    float[] p = init.initialize(LAYOUT, 3);
    for (int l = 0; l < 2; l++) { // the two big layers: 120,000 and 30,000 weights
      int in = LAYOUT.fanIn(l);
      int out = LAYOUT.fanOut(l);
      double sum = 0;
      double sumSq = 0;
      double maxAbs = 0;
      int n = in * out;
      for (int i = LAYOUT.weightOffset(l); i < LAYOUT.weightOffset(l) + n; i++) {
        sum += p[i];
        sumSq += (double) p[i] * p[i];
        maxAbs = Math.max(maxAbs, Math.abs(p[i]));
      }
      double mean = sum / n;
      double std = Math.sqrt(sumSq / n - mean * mean);
      double expected = expectedStd(init, in, out);
      assertEquals(expected, std, 0.03 * expected, init + " std of layer " + l);
      assertEquals(0, mean, 0.05 * expected, init + " mean of layer " + l);
      boolean uniform = init == Initializer.XAVIER_UNIFORM || init == Initializer.HE_UNIFORM;
      if (uniform) {
        double limit = Math.sqrt(3) * expected;
        assertTrue(maxAbs <= limit && maxAbs > 0.99 * limit, init + " max |w| " + maxAbs);
      } else {
        assertTrue(maxAbs > 3.5 * expected, init + " normal tails: max |w| " + maxAbs);
      }
    }
  }

  @Test
  void autoUsesHeForReluHiddenLayersAndXavierForTheOutput() {
    float[] auto = Initializer.AUTO.initialize(LAYOUT, 5);
    // AUTO draws layer by layer from one stream, like the uniform schemes it delegates to
    float[] he = Initializer.HE_UNIFORM.initialize(LAYOUT, 5);
    float[] xavier = Initializer.XAVIER_UNIFORM.initialize(LAYOUT, 5);
    int l2 = LAYOUT.numLayers() - 1;
    for (int i = 0; i < LAYOUT.weightOffset(l2); i++) {
      assertEquals(he[i], auto[i], "hidden weights are He uniform");
    }
    double hi = Math.sqrt(6.0 / (LAYOUT.fanIn(l2) + LAYOUT.fanOut(l2)));
    for (int i = LAYOUT.weightOffset(l2); i < LAYOUT.biasOffset(l2); i++) {
      assertTrue(Math.abs(auto[i]) <= hi, "output weights are Xavier uniform");
    }
    // tanh hidden layers: Xavier everywhere
    NetworkSpec tanh = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.TANH), 30, 20, 1);
    ParamLayout tl = new ParamLayout(tanh);
    assertArrayEquals(Initializer.XAVIER_UNIFORM.initialize(tl, 9), Initializer.AUTO.initialize(tl, 9));
    assertFalse(Arrays.equals(xavier, auto));
  }

  @Test
  void namesParse() {
    assertEquals(Initializer.HE_NORMAL, Initializer.parse(" he_normal "));
    assertEquals(Initializer.AUTO, Initializer.parse("AUTO"));
    assertEquals("xavier_uniform", Initializer.XAVIER_UNIFORM.toString());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Initializer.parse("lecun"));
    assertTrue(e.getMessage().contains("unknown initializer 'lecun'"));
  }
}
