package io.sparkmlp.trainer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.LayerSpec;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.ParamLayout;
import io.sparkmlp.model.Task;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Configuration CONF = new Configuration();

  @TempDir
  Path tmp;

  /** A multiclass model with every optional field set and awkward float values. */
  static SavedModel fullModel(long seed) {
    NetworkSpec spec = NetworkSpec.of(4, List.of(new LayerSpec(5, Activation.of(Activation.Kind.TANH)),
        new LayerSpec(3, Activation.leakyRelu(0.05f))), 3, Task.MULTICLASS);
    Random r = new Random(seed);
    float[] params = new float[new ParamLayout(spec).size()];
    for (int i = 0; i < params.length; i++) {
      float v;
      do {
        v = Float.intBitsToFloat(r.nextInt()); // any finite bit pattern, subnormals included
      } while (!Float.isFinite(v));
      params[i] = v;
    }
    ObjectNode config = JSON.createObjectNode();
    config.put("epochs", 20).put("learning_rate", 0.001).put("optimizer", "adam");
    config.putObject("data").put("path", "hdfs:///data/iris.parquet").put("label", "species");
    ObjectNode provenance = JSON.createObjectNode();
    provenance.putArray("inputs").add("hdfs:///data/iris.parquet");
    provenance.put("rows", 150L).put("seed", seed).put("partitions", 4).put("blas", "F2jBLAS")
        .put("spark", "3.5.7").put("started", "2024-01-01T00:00:00Z").put("note", "näïve ✓");
    ObjectNode metrics = JSON.createObjectNode().put("accuracy", 0.9733333333333334)
        .put("log_loss", 0.1f);
    return new SavedModel(ModelDirectory.FORMAT_VERSION, spec, params,
        List.of("setosa", "versicolor", "virginica"),
        new float[] {-0f, 5.843333f, 1e-40f, Float.MAX_VALUE},
        new float[] {Float.MIN_VALUE, 0.1f, 1f / 3f, 7.0e30f},
        List.of("sepal_length", "sepal_width", "petal_length", "petal width (cm)"),
        config, provenance, metrics);
  }

  /** A 2-3(relu)-1(sigmoid) binary model without optional fields; params 0.5 * i - 1. */
  static SavedModel tinyModel() {
    NetworkSpec spec = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.RELU), 2, 3, 1);
    float[] params = new float[new ParamLayout(spec).size()];
    for (int i = 0; i < params.length; i++) {
      params[i] = 0.5f * i - 1f;
    }
    return new SavedModel(ModelDirectory.FORMAT_VERSION, spec, params, null, null, null, null,
        null, JSON.createObjectNode().put("seed", 1), null);
  }

  private String dir(String name) {
    return tmp.resolve(name).toString();
  }

  private List<String> listing(Path p) throws IOException {
    try (Stream<Path> s = Files.list(p)) {
      return s.map(x -> x.getFileName().toString()).sorted().toList();
    }
  }

  private static void assertMessage(Throwable e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' lacks '" + p + "'");
    }
    assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
  }

  private IOException loadFails(String path) {
    return assertThrows(IOException.class, () -> ModelDirectory.load(path, CONF));
  }

  private void editModelJson(String dir, java.util.function.Consumer<ObjectNode> edit)
      throws IOException {
    Path json = Path.of(dir, ModelDirectory.MODEL_JSON);
    ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
    edit.accept(root);
    JSON.writeValue(json.toFile(), root);
  }

  @Test
  void roundTripIsBitExact() throws IOException {
    SavedModel m = fullModel(42);
    ModelDirectory.save(m, dir("m"), false, CONF);
    SavedModel back = ModelDirectory.load(dir("m"), CONF);
    assertEquals(m, back);
    assertEquals(m.hashCode(), back.hashCode());
    float[] a = m.params();
    float[] b = back.params();
    for (int i = 0; i < a.length; i++) {
      assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "param " + i);
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(Float.floatToRawIntBits(m.featureMean()[i]),
          Float.floatToRawIntBits(back.featureMean()[i]), "mean " + i);
      assertEquals(Float.floatToRawIntBits(m.featureStd()[i]),
          Float.floatToRawIntBits(back.featureStd()[i]), "std " + i);
    }
    assertEquals(m.spec(), back.spec());
    assertEquals(List.of("setosa", "versicolor", "virginica"), back.classNames());
    assertEquals(150, back.provenance().get("rows").asLong());
    assertEquals("näïve ✓", back.provenance().get("note").textValue());
    assertEquals(JSON.writeValueAsString(m.config()), JSON.writeValueAsString(back.config()));
    // exactly two files, no temporary directory
    assertEquals(List.of("model.json", "weights.safetensors"), listing(tmp.resolve("m")));
    assertEquals(List.of("m"), listing(tmp));
  }

  @Test
  void nullableFieldsRoundTripAsNullAndWorksWithUris() throws IOException {
    SavedModel m = tinyModel();
    String uri = "file://" + tmp.toAbsolutePath() + "/nested/dirs/tiny";
    ModelDirectory.save(m, uri, false, CONF);
    SavedModel back = ModelDirectory.load(uri, CONF);
    assertEquals(m, back);
    assertNull(back.classNames());
    assertNull(back.featureMean());
    assertNull(back.config());
    assertNull(back.metrics());
    assertEquals(List.of("tiny"), listing(tmp.resolve("nested/dirs")));
  }

  @Test
  void aPreparationRoundTripsAndAModelWithoutOneHasNoField() throws IOException {
    SavedModel tiny = tinyModel();
    ObjectNode prep = JSON.createObjectNode();
    prep.putArray("columns").addObject().put("name", "colour").put("kind", "categorical")
        .put("missing", "impute").putArray("categories").add("red").add("blue");
    SavedModel m = new SavedModel(tiny.formatVersion(), tiny.spec(), tiny.params(), null, null,
        null, null, null, tiny.provenance(), null, prep);
    ModelDirectory.save(m, dir("prep"), false, CONF);
    SavedModel back = ModelDirectory.load(dir("prep"), CONF);
    assertEquals(m, back);
    assertEquals(prep, back.preparation());
    // a model without a preparation writes model.json as before (no field), and loads with null
    ModelDirectory.save(tiny, dir("plain"), false, CONF);
    assertFalse(JSON.readTree(tmp.resolve("plain/model.json").toFile()).has("preparation"));
    assertNull(ModelDirectory.load(dir("plain"), CONF).preparation());
  }

  @Test
  void filesAreWhatPythonReads() throws IOException {
    SavedModel m = tinyModel();
    ModelDirectory.save(m, dir("tiny"), false, CONF);
    // model.json: plain, pretty-printed JSON
    String text = Files.readString(tmp.resolve("tiny/model.json"));
    assertTrue(text.contains("\n  \"spec\" : {"), text);
    JsonNode root = JSON.readTree(text);
    assertEquals(1, root.get("format_version").intValue());
    assertEquals(2, root.get("spec").get("input_width").intValue());
    assertEquals("relu", root.get("spec").get("hidden").get(0).get("activation").textValue());
    assertEquals("binary", root.get("spec").get("task").textValue());
    assertTrue(root.get("class_names").isNull());
    assertEquals(1, root.get("provenance").get("seed").intValue());
    // weights.safetensors, byte by byte
    byte[] b = Files.readAllBytes(tmp.resolve("tiny/weights.safetensors"));
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long n = le.getLong(0);
    assertEquals(0, n % 8);
    assertEquals(b.length, 8 + n + 13 * 4); // 3x2 + 3 + 1x3 + 1 floats
    String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
    assertTrue(header.startsWith("{\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[3,2],"
        + "\"data_offsets\":[0,24]},\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[3],"
        + "\"data_offsets\":[24,36]},\"layers.1.weight\":{\"dtype\":\"F32\",\"shape\":[1,3],"
        + "\"data_offsets\":[36,48]},\"layers.1.bias\":{\"dtype\":\"F32\",\"shape\":[1],"
        + "\"data_offsets\":[48,52]},\"__metadata__\":{"), header);
    JsonNode h = JSON.readTree(header);
    assertEquals("spark-mlp", h.get("__metadata__").get("producer").textValue());
    assertEquals("2-3(relu)-1(sigmoid) binary", h.get("__metadata__").get("network").textValue());
    float[] data = new float[13];
    le.position((int) (8 + n));
    le.asFloatBuffer().get(data);
    assertArrayEquals(m.params(), data);
    // -1.0f little-endian is 00 00 80 bf
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, (byte) 0xbf},
        Arrays.copyOfRange(b, (int) (8 + n), (int) (8 + n + 4)));
  }

  @Test
  void missingDirectoryOrFilesAreNamed() throws IOException {
    assertMessage(assertThrows(FileNotFoundException.class,
        () -> ModelDirectory.load(dir("nothing"), CONF)), "model directory", dir("nothing"),
        "does not exist");
    ModelDirectory.save(tinyModel(), dir("a"), false, CONF);
    Files.delete(tmp.resolve("a/model.json"));
    assertMessage(assertThrows(FileNotFoundException.class,
        () -> ModelDirectory.load(dir("a"), CONF)), "missing", dir("a") + "/model.json");
    ModelDirectory.save(tinyModel(), dir("b"), false, CONF);
    Files.delete(tmp.resolve("b/weights.safetensors"));
    assertMessage(assertThrows(FileNotFoundException.class,
        () -> ModelDirectory.load(dir("b"), CONF)), "missing weights file",
        dir("b") + "/weights.safetensors");
    Files.writeString(tmp.resolve("file"), "x");
    assertMessage(loadFails(dir("file")), "is a file, not a model directory");
  }

  @Test
  void truncatedWeightsFail() throws IOException {
    ModelDirectory.save(fullModel(1), dir("m"), false, CONF);
    Path w = tmp.resolve("m/weights.safetensors");
    byte[] b = Files.readAllBytes(w);
    Files.write(w, Arrays.copyOf(b, b.length - 10));
    assertMessage(loadFails(dir("m")), w.toString(), "truncated", "tensor 'layers.2.bias'");
    Files.write(w, Arrays.copyOf(b, 5));
    assertMessage(loadFails(dir("m")), w.toString(), "too short");
  }

  @Test
  void weightsThatDoNotFitTheSpecAreNamed() throws IOException {
    ModelDirectory.save(tinyModel(), dir("tiny"), false, CONF);
    SavedModel wider = new SavedModel(1,
        NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.RELU), 2, 4, 1), new float[17],
        null, null, null, null, null, JSON.createObjectNode(), null);
    ModelDirectory.save(wider, dir("wider"), false, CONF);
    Files.copy(tmp.resolve("wider/weights.safetensors"), tmp.resolve("tiny/weights.safetensors"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertMessage(loadFails(dir("tiny")), dir("tiny") + "/weights.safetensors",
        "do not match network 2-3(relu)-1(sigmoid) binary",
        "tensor 'layers.0.weight' has shape [4, 2], expected [3, 2]",
        "tensor 'layers.0.bias' has shape [4], expected [3]",
        "tensor 'layers.1.weight' has shape [1, 4], expected [1, 3]");
  }

  @Test
  void unknownFormatVersionIsRejected() throws IOException {
    ModelDirectory.save(tinyModel(), dir("m"), false, CONF);
    editModelJson(dir("m"), root -> root.put("format_version", 2).put("new_field", "x"));
    assertMessage(loadFails(dir("m")), dir("m") + "/model.json",
        "format version 2 is not supported (this build reads version 1)");
    editModelJson(dir("m"), root -> root.remove("format_version"));
    assertMessage(loadFails(dir("m")), "missing field 'format_version'");
    SavedModel v2 = new SavedModel(2, tinyModel().spec(), tinyModel().params(), null, null, null,
        null, null, JSON.createObjectNode(), null);
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> ModelDirectory.save(v2, dir("v2"), false, CONF)), "writes model format version 1");
  }

  @Test
  void invalidModelJsonIsNamed() throws IOException {
    ModelDirectory.save(fullModel(3), dir("m"), false, CONF);
    String json = dir("m") + "/model.json";
    editModelJson(dir("m"), root -> root.put("extra", 1));
    assertMessage(loadFails(dir("m")), json, "unknown field 'extra'");
    editModelJson(dir("m"), root -> {
      root.remove("extra");
      ((ArrayNode) root.get("feature_mean")).remove(0);
    });
    assertMessage(loadFails(dir("m")), json, "feature mean has 3 values but the input width is 4");
    editModelJson(dir("m"), root -> {
      ((ArrayNode) root.get("feature_mean")).insert(0, 0.0);
      ((ArrayNode) root.get("class_names")).add("extra");
    });
    assertMessage(loadFails(dir("m")), json, "class names has 4 entries", "needs 3");
    editModelJson(dir("m"), root -> root.remove("class_names"));
    assertEquals(null, ModelDirectory.load(dir("m"), CONF).classNames());
    editModelJson(dir("m"), root -> root.remove("provenance"));
    assertMessage(loadFails(dir("m")), json, "missing field 'provenance'");
    editModelJson(dir("m"), root -> {
      root.putObject("provenance").put("a", 1);
      ((ObjectNode) root.get("spec")).put("task", "ranking");
    });
    assertMessage(loadFails(dir("m")), json, "spec.task: unknown task 'ranking'");
    Files.writeString(tmp.resolve("m/model.json"), "{\"format_version\": 1,");
    assertMessage(loadFails(dir("m")), json, "not valid JSON");
  }

  @Test
  void absurdWeightHeadersFailFast() throws IOException {
    ModelDirectory.save(tinyModel(), dir("m"), false, CONF);
    Path w = tmp.resolve("m/weights.safetensors");
    Files.write(w, ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 62).array());
    IOException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> loadFails(dir("m")));
    assertMessage(e, w.toString(), "header length 4611686018427387904 exceeds the maximum");
    String header = "{\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[1099511627776],"
        + "\"data_offsets\":[0,4398046511104]}}    ";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    Files.write(w, ByteBuffer.allocate(8 + h.length + 52).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(h.length).put(h).array());
    e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> loadFails(dir("m")));
    assertMessage(e, w.toString(), "tensor 'layers.0.weight'", "more than a Java array can hold");
  }

  @Test
  void existingDirectoryIsRefusedWithoutOverwrite() throws IOException {
    SavedModel first = fullModel(1);
    ModelDirectory.save(first, dir("m"), false, CONF);
    FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
        () -> ModelDirectory.save(tinyModel(), dir("m"), false, CONF));
    assertMessage(e, dir("m"), "already exists", "overwrite");
    assertEquals(first, ModelDirectory.load(dir("m"), CONF));
    assertEquals(List.of("m"), listing(tmp));
  }

  @Test
  void overwriteReplacesTheModel() throws IOException {
    ModelDirectory.save(fullModel(1), dir("m"), false, CONF);
    SavedModel second = tinyModel();
    ModelDirectory.save(second, dir("m"), true, CONF);
    assertEquals(second, ModelDirectory.load(dir("m"), CONF));
    assertEquals(List.of("m"), listing(tmp));
    assertEquals(List.of("model.json", "weights.safetensors"), listing(tmp.resolve("m")));
    // overwrite of a missing or empty directory is a plain save
    ModelDirectory.save(second, dir("fresh"), true, CONF);
    Files.createDirectory(tmp.resolve("empty"));
    ModelDirectory.save(second, dir("empty"), true, CONF);
    assertEquals(second, ModelDirectory.load(dir("empty"), CONF));
  }

  @Test
  void overwriteNeverReplacesSomethingElse() throws IOException {
    Files.createDirectories(tmp.resolve("data"));
    Files.writeString(tmp.resolve("data/precious.csv"), "1,2,3");
    assertMessage(assertThrows(IOException.class,
        () -> ModelDirectory.save(tinyModel(), dir("data"), true, CONF)),
        dir("data"), "not a model directory", "refusing");
    Files.writeString(tmp.resolve("file"), "x");
    assertMessage(assertThrows(IOException.class,
        () -> ModelDirectory.save(tinyModel(), dir("file"), true, CONF)), "is a file", "refusing");
    assertEquals("1,2,3", Files.readString(tmp.resolve("data/precious.csv")));
    assertEquals(List.of("data", "file"), listing(tmp));
  }

  @Test
  void failedSaveLeavesNoTemporaryDirectory() throws IOException {
    Configuration failJson = FailingFileSystem.conf("create:model.json");
    String m = FailingFileSystem.uri(tmp.resolve("m"));
    IOException e = assertThrows(IOException.class,
        () -> ModelDirectory.save(tinyModel(), m, false, failJson));
    assertMessage(e, "injected failure creating", "model.json");
    assertEquals(List.of(), listing(tmp));
    // with overwrite, the previous model survives
    SavedModel first = fullModel(5);
    ModelDirectory.save(first, dir("m"), false, CONF);
    assertThrows(IOException.class, () -> ModelDirectory.save(tinyModel(), m, true, failJson));
    assertEquals(first, ModelDirectory.load(m, failJson));
    assertEquals(List.of("m"), listing(tmp));
  }

  @Test
  void failedReplacementPutsThePreviousModelBack() throws IOException {
    Configuration failRename = FailingFileSystem.conf("rename-tmp");
    String m = FailingFileSystem.uri(tmp.resolve("m"));
    SavedModel first = fullModel(6);
    ModelDirectory.save(first, dir("m"), false, CONF);
    IOException e = assertThrows(IOException.class,
        () -> ModelDirectory.save(tinyModel(), m, true, failRename));
    assertMessage(e, "cannot rename", "the previous model was put back");
    assertEquals(first, ModelDirectory.load(dir("m"), CONF));
    assertEquals(List.of("m"), listing(tmp));
    e = assertThrows(IOException.class,
        () -> ModelDirectory.save(tinyModel(), FailingFileSystem.uri(tmp.resolve("n")), false,
            failRename));
    assertMessage(e, "cannot rename");
    assertEquals(List.of("m"), listing(tmp));
  }

  @Test
  void loadPutsBackAModelSetAsideByASaveKilledBetweenItsRenames() throws IOException {
    SavedModel first = fullModel(7);
    ModelDirectory.save(first, dir("m"), false, CONF);
    String m = FailingFileSystem.uri(tmp.resolve("m"));
    assertThrows(FailingFileSystem.Crash.class,
        () -> ModelDirectory.save(tinyModel(), m, true, FailingFileSystem.conf("crash:2")));
    assertFalse(Files.exists(tmp.resolve("m")), "killed between the renames");
    assertEquals(first, ModelDirectory.load(dir("m"), CONF));
    assertEquals(List.of("m"), listing(tmp));
  }

  @Test
  void nonFiniteWeightsAreNeitherSavedNorLoaded() throws IOException {
    SavedModel good = tinyModel();
    float[] params = good.params().clone();
    params[1] = Float.POSITIVE_INFINITY;
    params[4] = Float.NaN;
    SavedModel bad = new SavedModel(good.formatVersion(), good.spec(), params, null, null, null,
        null, null, JSON.createObjectNode().put("seed", 1), null);
    IOException e = assertThrows(IOException.class,
        () -> ModelDirectory.save(bad, dir("bad"), false, CONF));
    assertEquals(new org.apache.hadoop.fs.Path("file:" + dir("bad")) + ": refusing to save the "
        + "model: tensor 'layers.0.weight' has 2 NaN or infinite values (the first is Infinity at "
        + "index 1); a model must have finite weights", e.getMessage());
    assertEquals(List.of(), listing(tmp));

    ModelDirectory.save(good, dir("m"), false, CONF);
    Path w = tmp.resolve("m").resolve(ModelDirectory.WEIGHTS_FILE);
    byte[] bytes = Files.readAllBytes(w);
    // the last float of the file is the last bias: make it NaN
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putFloat(bytes.length - 4, Float.NaN);
    Files.write(w, bytes);
    IOException load = loadFails(dir("m"));
    assertMessage(load, ModelDirectory.WEIGHTS_FILE, "tensor 'layers.1.bias' has 1 NaN or "
        + "infinite value (the first is NaN at index 0)");
  }
}
