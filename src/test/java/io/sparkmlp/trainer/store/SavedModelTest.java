package io.sparkmlp.trainer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SavedModelTest {

  private static final NetworkSpec MULTI =
      NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.RELU), 2, 3, 3);
  private static final int MULTI_PARAMS = 2 * 3 + 3 + 3 * 3 + 3;

  private static ObjectNode obj() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static SavedModel multi(List<String> classes, float[] mean, float[] std,
      List<String> features) {
    return new SavedModel(1, MULTI, new float[MULTI_PARAMS], classes, mean, std, features, null,
        obj(), null);
  }

  private static String fails(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void paramsMustFitTheSpec() {
    String m = fails(() -> new SavedModel(1, MULTI, new float[3], null, null, null, null, null,
        obj(), null));
    assertEquals("params has 3 floats but network 2-3(relu)-3(softmax) multiclass has 21 "
        + "parameters", m);
    assertThrows(NullPointerException.class, () -> new SavedModel(1, MULTI,
        new float[MULTI_PARAMS], null, null, null, null, null, null, null));
    assertTrue(fails(() -> new SavedModel(0, MULTI, new float[MULTI_PARAMS], null, null, null,
        null, null, obj(), null)).startsWith("format version must be positive"));
  }

  @Test
  void classNamesMustFitTheTask() {
    multi(List.of("a", "b", "c"), null, null, null);
    assertEquals("class names has 2 entries but multiclass network 2-3(relu)-3(softmax) multiclass"
        + " needs 3", fails(() -> multi(List.of("a", "b"), null, null, null)));
    assertTrue(fails(() -> multi(List.of("a", "b", "a"), null, null, null))
        .startsWith("class names are not distinct"));
    assertEquals("class names[1] is null",
        fails(() -> multi(Arrays.asList("a", null, "c"), null, null, null)));
    NetworkSpec binary = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.RELU), 2, 1);
    new SavedModel(1, binary, new float[3], List.of("no", "yes"), null, null, null, null, obj(),
        null);
    assertTrue(fails(() -> new SavedModel(1, binary, new float[3], List.of("yes"), null, null,
        null, null, obj(), null)).contains("needs 2"));
    NetworkSpec reg = NetworkSpec.of(Task.REGRESSION, Activation.of(Activation.Kind.RELU), 2, 1);
    assertTrue(fails(() -> new SavedModel(1, reg, new float[3], List.of("y"), null, null, null,
        null, obj(), null)).startsWith("class names are only allowed for classification"));
  }

  @Test
  void standardizationMustFitTheInput() {
    multi(null, new float[] {1, 2}, new float[] {1, 2}, List.of("x", "y"));
    assertEquals("feature mean and feature std must be given together (standardization)",
        fails(() -> multi(null, new float[2], null, null)));
    assertEquals("feature std has 3 values but the input width is 2",
        fails(() -> multi(null, new float[2], new float[] {1, 1, 1}, null)));
    assertEquals("feature std[1] = 0.0 is not finite and positive",
        fails(() -> multi(null, new float[2], new float[] {1, 0}, null)));
    assertEquals("feature mean[0] = NaN is not finite",
        fails(() -> multi(null, new float[] {Float.NaN, 0}, new float[] {1, 1}, null)));
    assertEquals("feature names has 1 entries but the input width is 2",
        fails(() -> multi(null, null, null, List.of("x"))));
  }

  @Test
  void isImmutable() {
    float[] params = new float[MULTI_PARAMS];
    float[] mean = {1, 2};
    ObjectNode prov = obj().put("seed", 1);
    SavedModel m = new SavedModel(1, MULTI, params, null, mean, new float[] {1, 1}, null, null,
        prov, null);
    SavedModel copy = new SavedModel(1, MULTI, params.clone(), null, mean.clone(),
        new float[] {1, 1}, null, null, prov.deepCopy(), null);
    params[0] = 9;
    mean[0] = 9;
    prov.put("seed", 2);
    m.params()[1] = 9;
    m.featureMean()[1] = 9;
    m.provenance().put("seed", 3);
    assertEquals(copy, m);
    assertArrayEquals(new float[] {1, 2}, m.featureMean());
    assertEquals(1, m.provenance().get("seed").intValue());
  }

  @Test
  void jsonIsNormalizedToWhatModelJsonHolds() {
    SavedModel a = multi(null, null, null, null);
    ObjectNode longs = obj().put("rows", 150L).put("loss", 0.5f);
    ObjectNode ints = obj().put("rows", 150).put("loss", 0.5);
    assertNotEquals(longs, ints);
    SavedModel b = new SavedModel(1, MULTI, new float[MULTI_PARAMS], null, null, null, null,
        longs, obj(), longs);
    SavedModel c = new SavedModel(1, MULTI, new float[MULTI_PARAMS], null, null, null, null,
        ints, obj(), ints);
    assertEquals(b, c);
    assertNotEquals(a, b);
    assertTrue(b.toString().startsWith("SavedModel[format 1, 2-3(relu)-3(softmax) multiclass"));
  }
}
