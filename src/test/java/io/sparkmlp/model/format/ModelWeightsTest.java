package io.sparkmlp.model.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.ParamLayout;
import io.sparkmlp.model.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelWeightsTest {

  private static final NetworkSpec SPEC =
      NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.RELU), 3, 4, 2, 5);
  private static final ParamLayout LAYOUT = new ParamLayout(SPEC);

  private static float[] params() {
    float[] p = new float[LAYOUT.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = i * 0.25f - 3f;
    }
    return p;
  }

  @Test
  void tensorsFollowTheLayoutInLinearConvention() {
    float[] p = params();
    List<FloatTensor> ts = ModelWeights.toTensors(LAYOUT, p);
    assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
        "layers.2.weight", "layers.2.bias"), ts.stream().map(FloatTensor::name).toList());
    assertEquals(List.of(List.of(4, 3), List.of(4), List.of(2, 4), List.of(2), List.of(5, 2),
        List.of(5)), ts.stream().map(FloatTensor::shape).toList());
    // W_1[o][i] = params[weightOffset(1) + o * in + i]
    float[] w1 = ts.get(2).data();
    assertEquals(p[LAYOUT.weightOffset(1) + 1 * 4 + 3], w1[1 * 4 + 3]);
    assertEquals(p[LAYOUT.biasOffset(2) + 4], ts.get(5).data()[4]);
    assertEquals(LAYOUT.size(), ts.stream().mapToInt(FloatTensor::size).sum());
  }

  @Test
  void roundTripInAnyOrder() {
    float[] p = params();
    List<FloatTensor> ts = new ArrayList<>(ModelWeights.toTensors(LAYOUT, p));
    Collections.reverse(ts);
    assertArrayEquals(p, ModelWeights.toParams(LAYOUT, ts, "f"));
  }

  @Test
  void wrongParamCountIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelWeights.toTensors(LAYOUT, new float[3]));
    assertTrue(e.getMessage().contains("3 floats"), e.getMessage());
  }

  @Test
  void missingExtraAndMisshapenTensorsAreNamed() {
    List<FloatTensor> ts = new ArrayList<>(ModelWeights.toTensors(LAYOUT, params()));
    ts.remove(5); // layers.2.bias
    ts.set(2, new FloatTensor("layers.1.weight", List.of(4, 2), new float[8]));
    ts.add(new FloatTensor("layers.3.weight", List.of(1, 1), new float[1]));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelWeights.toParams(LAYOUT, ts, "/m/weights.safetensors"));
    String m = e.getMessage();
    assertTrue(m.startsWith("/m/weights.safetensors: weights do not match network "
        + SPEC.describe()), m);
    assertTrue(m.contains("tensor 'layers.1.weight' has shape [4, 2], expected [2, 4]"), m);
    assertTrue(m.contains("missing tensor 'layers.2.bias' (expected shape [5])"), m);
    assertTrue(m.contains("unexpected tensor 'layers.3.weight' with shape [1, 1]"), m);
  }

  @Test
  void checkShapesAcceptsExactlyTheExpectedSet() {
    ModelWeights.checkShapes(LAYOUT, ModelWeights.expectedShapes(LAYOUT), "f");
    Map<String, List<Integer>> shapes = new LinkedHashMap<>(ModelWeights.expectedShapes(LAYOUT));
    shapes.put("layers.0.bias", List.of(4, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelWeights.checkShapes(LAYOUT, shapes, "f"));
    assertTrue(e.getMessage().contains("'layers.0.bias' has shape [4, 1], expected [4]"),
        e.getMessage());
  }
}
