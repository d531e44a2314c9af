package io.sparkmlp.jobs.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.model.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Label mappings and how raw labels resolve into them (no Spark). */
class LabelMappingTest {

  @Test
  void lookupIsExactThenNumeric() {
    LabelMapping m = LabelMapping.of("-1", "+1");
    assertEquals(2, m.size());
    assertEquals(1, m.indexOf("+1"));
    assertEquals(1, m.indexOf("1.0"));
    assertEquals(0, m.indexOf("-1.0"));
    assertEquals(-1, m.indexOf("0"));
    assertEquals(-1, m.indexOf(null));
    assertEquals("+1", m.name(1));
    assertThrows(IndexOutOfBoundsException.class, () -> m.name(2));
    LabelMapping names = LabelMapping.sorted(List.of("b", "a", "b"));
    assertEquals(List.of("a", "b"), names.classNames());
    assertEquals(-1, names.indexOf("1"));
    assertEquals(List.of("0", "1", "2"), LabelMapping.indices(3).classNames());
  }

  @Test
  void rejectsDuplicatesNullsAndEmpty() {
    assertThrows(IllegalArgumentException.class, () -> LabelMapping.of("a", "a"));
    assertThrows(IllegalArgumentException.class, () -> new LabelMapping(List.of()));
    assertThrows(NullPointerException.class, () -> LabelMapping.of("a", null));
  }

  @Test
  void strictNumbers() {
    assertEquals(1.5, LabelMapping.parseNumber(" 1.5 "));
    assertEquals(-100.0, LabelMapping.parseNumber("-1e2"));
    assertTrue(Double.isNaN(LabelMapping.parseNumber("0x10")));
    assertTrue(Double.isNaN(LabelMapping.parseNumber("1d")));
    assertTrue(Double.isNaN(LabelMapping.parseNumber("NaN")));
    assertTrue(Double.isNaN(LabelMapping.parseNumber("Infinity")));
  }

  @Test
  void derivesMappingsAtTrainingTime() {
    ClassLabels.Result r = ClassLabels.resolve(List.of("1.0", "-1.0"), Task.BINARY, null, "y");
    assertEquals(List.of("-1", "+1"), r.mapping().classNames());
    assertEquals(Map.of("-1.0", 0, "1.0", 1), r.index());
    assertEquals(List.of("0", "1"),
        ClassLabels.resolve(List.of("1"), Task.BINARY, null, "y").mapping().classNames());
    assertEquals(List.of("1", "3"),
        ClassLabels.resolve(List.of("3", "1"), Task.MULTICLASS, null, "y").mapping().classNames());
    // the values seen, numerically ordered, without a phantom class 0
    List<String> alphabet = new java.util.ArrayList<>();
    for (int i = 26; i >= 1; i--) {
      alphabet.add(i + ".0");
    }
    ClassLabels.Result letters = ClassLabels.resolve(alphabet, Task.MULTICLASS, null, "y");
    assertEquals(26, letters.mapping().size());
    assertEquals("1", letters.mapping().name(0));
    assertEquals("26", letters.mapping().name(25));
    assertEquals(9, letters.index().get("10.0"));
    assertEquals(List.of("-3", "0"),
        ClassLabels.resolve(List.of("0", "-3"), Task.MULTICLASS, null, "y").mapping().classNames());
    assertEquals(List.of("1", "10", "a"),
        ClassLabels.resolve(List.of("a", "10", "1"), Task.MULTICLASS, null, "y").mapping()
            .classNames());
  }

  @Test
  void problemsCarryTheOffendingLabel() {
    ClassLabels.Problem p = assertThrows(ClassLabels.Problem.class,
        () -> ClassLabels.resolve(List.of("0", "2"), Task.BINARY, null, "y"));
    assertEquals("2", p.label);
    assertTrue(p.getMessage().contains("column 'y'"), p.getMessage());
    p = assertThrows(ClassLabels.Problem.class,
        () -> ClassLabels.resolve(List.of("0", "2.5"), Task.MULTICLASS, null, "y"));
    assertEquals("2.5", p.label);
    p = assertThrows(ClassLabels.Problem.class,
        () -> ClassLabels.resolve(List.of("0"), Task.MULTICLASS, null, "y"));
    assertNull(p.label);
    p = assertThrows(ClassLabels.Problem.class, () -> ClassLabels.resolve(List.of("a", "z"),
        Task.MULTICLASS, LabelMapping.of("a", "b"), "y"));
    assertEquals("z", p.label);
  }
}
