package io.sparkmlp.jobs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Losses;
import io.sparkmlp.model.Task;
import io.sparkmlp.trainer.store.SavedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.StringStringEntryProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exported models run by ONNX Runtime give the project's own outputs (its forward pass on the
 * model as saved and reloaded, standardized like predict) for every activation and task, with
 * and without standardization.
 */
class OnnxExportTest {
  /** Largest difference allowed, absolute (relative above 1, for unbounded regression values). */
  static final double TOLERANCE = 1e-5;

  /** The tasks that export (an autoencoder is refused: see autoencodersAreRefusedInOneLine). */
  static final List<Task> EXPORTED = Stream.of(Task.values())
      .filter(t -> t != Task.AUTOENCODER).toList();

  @TempDir
  Path tmp;

  @Test
  void autoencodersAreRefusedInOneLine() throws Exception {
    SavedModel model = OnnxFixtures.savedModel(tmp.resolve("ae"), Task.AUTOENCODER,
        List.of(Activation.of(Activation.Kind.TANH)), true, 9);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> OnnxExport.toOnnx(model));
    assertTrue(e.getMessage().startsWith("ONNX export is not supported for task autoencoder"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  static Stream<Arguments> activationsTasksStandardization() {
    List<Arguments> args = new ArrayList<>();
    List<Activation> acts = new ArrayList<>();
    for (Activation.Kind k : Activation.Kind.values()) {
      acts.add(Activation.of(k));
    }
    acts.add(Activation.leakyRelu(0.2f));
    for (Activation a : acts) {
      for (Task t : EXPORTED) {
        for (boolean std : new boolean[] {false, true}) {
          args.add(Arguments.of(a, t, std));
        }
      }
    }
    return args.stream();
  }

  @ParameterizedTest(name = "{0} {1} standardized={2}")
  @MethodSource("activationsTasksStandardization")
  void matchesTheProjectsForwardPass(Activation act, Task task, boolean standardized)
      throws Exception {
    SavedModel model = OnnxFixtures.savedModel(tmp.resolve("m"), task, List.of(act, act),
        standardized, 17);
    assertMatches(model);
  }

  @Test
  void mixedActivationsAndNoHiddenLayer() throws Exception {
    List<Activation> mixed = List.of(Activation.of(Activation.Kind.MISH),
        Activation.leakyRelu(0.05f), Activation.of(Activation.Kind.SOFTPLUS),
        Activation.of(Activation.Kind.TANH));
    for (Task task : EXPORTED) {
      assertMatches(OnnxFixtures.savedModel(tmp.resolve("mixed-" + task), task, mixed, true, 3));
      assertMatches(OnnxFixtures.savedModel(tmp.resolve("linear-" + task), task, List.of(),
          true, 4));
    }
  }

  @Test
  void dropoutIsATrainingSettingTheExportIgnores() throws Exception {
    SavedModel base = OnnxFixtures.savedModel(tmp.resolve("base"), Task.MULTICLASS,
        List.of(Activation.of(Activation.Kind.RELU), Activation.of(Activation.Kind.TANH)), true,
        6);
    SavedModel dropped = new SavedModel(base.formatVersion(), base.spec().withDropout(0.5),
        base.params(), base.classNames(), base.featureMean(), base.featureStd(),
        base.featureNames(), base.config(), base.provenance(), base.metrics());
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    io.sparkmlp.trainer.store.ModelDirectory.save(dropped, tmp.resolve("dropped").toString(),
        false, conf);
    SavedModel loaded = io.sparkmlp.trainer.store.ModelDirectory.load(
        tmp.resolve("dropped").toString(), conf);
    assertEquals(dropped.spec(), loaded.spec(), "model.json keeps the dropout rates");
    assertMatches(loaded);
    // the graph is the one of the same weights without dropout
    assertEquals(OnnxExport.toOnnx(base).getGraph().getNodeList(),
        OnnxExport.toOnnx(loaded).getGraph().getNodeList());
  }

  @Test
  void graphUsesStandardOpsOfItsOpset() throws Exception {
    SavedModel model = OnnxFixtures.savedModel(tmp.resolve("m"), Task.MULTICLASS,
        List.of(Activation.of(Activation.Kind.MISH), Activation.leakyRelu(0.3f)), true, 5);
    ModelProto onnx = OnnxExport.toOnnx(model);
    assertEquals(OnnxExport.IR_VERSION, onnx.getIrVersion());
    assertEquals(1, onnx.getOpsetImportCount());
    assertEquals("", onnx.getOpsetImport(0).getDomain());
    assertEquals(13, onnx.getOpsetImport(0).getVersion());
    List<String> ops = onnx.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
    assertEquals(List.of("Sub", "Div", "Gemm", "Softplus", "Tanh", "Mul", "Gemm", "LeakyRelu",
        "Gemm", "Softmax", "ArgMax"), ops);
    NodeProto leaky = onnx.getGraph().getNode(7);
    assertEquals(0.3f, leaky.getAttribute(0).getF());
    assertEquals(List.of(OnnxExport.INPUT), onnx.getGraph().getInputList().stream()
        .map(i -> i.getName()).toList());
    assertEquals(List.of(OnnxExport.PREDICTION, OnnxExport.PROBABILITY),
        onnx.getGraph().getOutputList().stream().map(o -> o.getName()).toList());
    Map<String, String> meta = onnx.getMetadataPropsList().stream().collect(
        Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
    assertEquals("multiclass", meta.get(OnnxExport.TASK_KEY));
    assertEquals("[\"class 0\",\"class 1\",\"class 2\",\"class 3\"]",
        meta.get(OnnxExport.CLASSES_KEY));
    assertEquals("[\"f0\",\"f1\",\"f2\",\"f3\",\"f4\"]", meta.get(OnnxExport.FEATURES_KEY));
    assertEquals(model.spec().describe(), meta.get(OnnxExport.NETWORK_KEY));

    ModelProto plain = OnnxExport.toOnnx(OnnxFixtures.savedModel(tmp.resolve("plain"),
        Task.REGRESSION, List.of(Activation.of(Activation.Kind.RELU)), false, 6));
    List<String> plainOps = plain.getGraph().getNodeList().stream().map(NodeProto::getOpType)
        .toList();
    assertEquals(List.of("Gemm", "Relu", "Gemm"), plainOps, "no standardization nodes");
    assertEquals(List.of(OnnxExport.PREDICTION), plain.getGraph().getOutputList().stream()
        .map(o -> o.getName()).toList());
    assertFalse(plain.getMetadataPropsList().stream()
        .anyMatch(e -> e.getKey().equals(OnnxExport.CLASSES_KEY)));
  }

  @Test
  void serializedModelParsesBackUnchanged() throws Exception {
    ModelProto onnx = OnnxExport.toOnnx(OnnxFixtures.savedModel(tmp.resolve("m"), Task.BINARY,
        List.of(Activation.of(Activation.Kind.SIGMOID)), true, 8));
    assertEquals(onnx, ModelProto.parseFrom(onnx.toByteArray()));
    Set<String> initializers = onnx.getGraph().getInitializerList().stream()
        .map(t -> t.getName()).collect(Collectors.toSet());
    assertTrue(initializers.containsAll(Set.of("feature_mean", "feature_std", "layers.0.weight",
        "layers.0.bias", "layers.1.weight", "layers.1.bias")), initializers.toString());
  }

  /** Exports, runs ONNX Runtime and compares every output with the project's prediction. */
  static void assertMatches(SavedModel model) throws Exception {
    float[][] x = OnnxFixtures.features(model, 64, 99);
    float[][] expected = OnnxFixtures.forward(model, x);
    Map<String, Object> got = OnnxFixtures.run(OnnxExport.toOnnx(model).toByteArray(), x);
    String what = model.spec().describe() + (model.standardized() ? " standardized" : "");
    Task task = model.spec().task();
    int k = model.spec().outputWidth();
    if (task == Task.REGRESSION) {
      assertEquals(Set.of(OnnxExport.PREDICTION), got.keySet());
      assertClose(expected, (float[][]) got.get(OnnxExport.PREDICTION), what);
      return;
    }
    assertEquals(Set.of(OnnxExport.PREDICTION, OnnxExport.PROBABILITY), got.keySet());
    float[][] prob = (float[][]) got.get(OnnxExport.PROBABILITY);
    float[][] want = expected;
    if (task == Task.BINARY) {
      want = new float[x.length][];
      for (int i = 0; i < x.length; i++) {
        want[i] = new float[] {(float) (1.0 - expected[i][0]), expected[i][0]};
      }
    }
    assertClose(want, prob, what);
    Object pred = got.get(OnnxExport.PREDICTION);
    for (int i = 0; i < x.length; i++) {
      switch (task) {
        case BINARY -> {
          if (!nearThreshold(expected[i][0])) {
            assertEquals(expected[i][0] > 0.5 ? 1L : 0L, ((long[]) pred)[i], what + " row " + i);
          }
        }
        case MULTICLASS -> assertEquals(Losses.argmax(expected[i], 0, k), ((long[]) pred)[i],
            what + " row " + i);
        case MULTILABEL -> {
          for (int j = 0; j < k; j++) {
            if (!nearThreshold(expected[i][j])) {
              assertEquals(expected[i][j] > 0.5 ? 1L : 0L, ((long[][]) pred)[i][j],
                  what + " row " + i + " label " + j);
            }
          }
        }
        default -> throw new IllegalStateException(task.name());
      }
    }
  }

  /** A probability so close to the threshold that float rounding may decide its side. */
  static boolean nearThreshold(float p) {
    return Math.abs(p - 0.5) < TOLERANCE;
  }

  static void assertClose(float[][] want, float[][] got, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i].length, got[i].length, what);
      for (int j = 0; j < want[i].length; j++) {
        double tol = TOLERANCE * Math.max(1, Math.abs(want[i][j]));
        assertEquals(want[i][j], got[i][j], tol, what + " row " + i + " output " + j + ": "
            + java.util.Arrays.toString(want[i]) + " vs " + java.util.Arrays.toString(got[i]));
      }
    }
  }
}
