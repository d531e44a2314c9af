package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.jobs.data.IdxFiles;
import io.sparkmlp.model.format.FloatTensor;
import io.sparkmlp.model.format.SafeTensors;
import io.sparkmlp.model.format.TensorFile;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per row of the bad-input matrix, each through {@link Main#run}: exit code 1,
 * a one-line message naming the file and line/row or the key, and no output left behind.
 */
class BadInputMatrixTest {
  static final String IRIS = "src/test/resources/data/iris.csv";

  @TempDir static Path shared;
  static Path model;

  @TempDir Path dir;

  /** Exit code, stdout, stderr. */
  record Result(int code, String out, String err) {
    /** Asserts exit 1 and a one-line message containing every fragment. */
    void fails(String... fragments) {
      assertEquals(1, code, "exit code; stderr: " + err + "\nstdout: " + out);
      assertEquals(1, err.strip().lines().count(), "one line: " + err);
      for (String f : fragments) {
        assertTrue(err.contains(f), "message should contain '" + f + "': " + err);
      }
    }
  }

  static Result main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** {@code train} on {@code data} (csv with a label column unless overridden). */
  Result train(Path data, String... sets) {
    List<String> a = new ArrayList<>(List.of("train"));
    List<String> s = new ArrayList<>(List.of("data.train.path=" + data, "data.train.format=csv",
        "data.train.label-column=label", "task=multiclass", "spark.master=local[2]",
        "network.hidden=[4]", "train.epochs=1", "train.batch-size=16",
        "data.validation-fraction=0", "output.model=" + dir.resolve("model")));
    s.addAll(Arrays.asList(sets));
    for (String x : s) {
      a.add("--set");
      a.add(x);
    }
    return main(a.toArray(new String[0]));
  }

  void noModel() {
    assertFalse(Files.exists(dir.resolve("model")), "no model directory is left");
  }

  Path file(String name, String... lines) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  @BeforeAll
  static void trainIrisModel() {
    model = shared.resolve("iris-model");
    Result r = main("train", "--set", "data.train.path=" + IRIS, "--set", "data.train.format=csv",
        "--set", "data.train.label-column=label", "--set", "task=multiclass", "--set",
        "spark.master=local[2]", "--set", "network.hidden=[4]", "--set", "train.epochs=1",
        "--set", "train.batch-size=32", "--set", "output.model=" + model);
    assertEquals(0, r.code, r.err);
  }

  Result predict(Path modelDir, Path input) {
    return main("predict", "--model", modelDir.toString(), "--input", input.toString(),
        "--output", dir.resolve("pred").toString(), "--master", "local[2]");
  }

  void noPredictions() {
    assertFalse(Files.exists(dir.resolve("pred")), "no prediction output is left");
  }

  Path copyModel() throws Exception {
    Path copy = dir.resolve("model-copy");
    Files.createDirectories(copy);
    try (Stream<Path> s = Files.list(model)) {
      for (Path p : s.toList()) {
        Files.copy(p, copy.resolve(p.getFileName()));
      }
    }
    return copy;
  }

  // ------------------------------------------------------------------ data

  @Test
  void malformedLibsvmToken() throws Exception {
    Path f = file("bad.libsvm", "0 1:0.5 2:1.5", "1 1:0.25 2:abc", "0 1:1 2:2");
    train(f, "data.train.format=libsvm", "task=binary").fails("bad.libsvm", "line 2");
    noModel();
  }

  @Test
  void libsvmIndicesNotAscending() throws Exception {
    Path f = file("order.libsvm", "0 1:0.5 2:1.5", "1 2:0.25 1:1", "0 1:1 2:2");
    train(f, "data.train.format=libsvm", "task=binary").fails("order.libsvm", "line 2");
    noModel();
  }

  @Test
  void libsvmZeroIndex() throws Exception {
    Path f = file("zero.libsvm", "0 1:0.5 2:1.5", "1 0:0.25 2:1", "0 1:1 2:2");
    train(f, "data.train.format=libsvm", "task=binary").fails("zero.libsvm", "line 2");
    noModel();
  }

  @Test
  void nonNumericCsvCell() throws Exception {
    Path f = file("cell.csv", "x1,x2,label", "1.0,2.0,a", "1.5,oops,b", "2.0,1.0,a");
    train(f).fails("cell.csv", "x2", "oops");
    noModel();
  }

  @Test
  void missingLabelColumn() throws Exception {
    train(Path.of(IRIS), "data.train.label-column=species").fails("species", "iris.csv");
    noModel();
  }

  @Test
  void nanFeatureIsRejectedByDefault() throws Exception {
    Path f = file("nan.csv", "x1,x2,label", "1.0,2.0,a", "NaN,1.0,b", "2.0,1.0,a", "1.0,1.5,b");
    train(f, "data.standardize=false", "train.batch-size=2")
        .fails("nan.csv", "column 'x1'", "NaN", "data row 2", "data.missing.policy");
    noModel();
  }

  @Test
  void batchLargerThanTheTrainingRowsNamesTheKey() throws Exception {
    Path f = file("small.csv", "x1,x2,label", "1.0,2.0,a", "0.0,1.0,b", "2.0,1.0,a", "1.0,1.5,b");
    train(f, "data.standardize=false", "data.validation-fraction=0", "train.batch-size=50")
        .fails("train.batch-size = 50 is larger than the 4 training rows",
            "after the validation and test splits");
    noModel();
  }

  @Test
  void nanFeatureIsDroppedAndCountedOnRequest() throws Exception {
    Path f = file("nan.csv", "x1,x2,label", "1.0,2.0,a", "NaN,1.0,b", "2.0,1.0,a", "1.0,1.5,b",
        "0.5,Infinity,a");
    Result r = train(f, "data.standardize=false", "train.batch-size=2", "data.invalid-rows=drop");
    assertEquals(0, r.code, r.err);
    assertTrue(r.out.contains("dropped 2 rows"), r.out);
  }

  @Test
  void labelOutsideTheClasses() throws Exception {
    Path f = file("three.csv", "x1,x2,label", "1.0,2.0,0", "1.5,1.0,1", "2.0,1.0,2");
    train(f, "task=binary").fails("three.csv", "label");
    noModel();
  }

  @Test
  void nonIntegerClassLabel() throws Exception {
    Path f = file("half.csv", "x1,x2,label", "1.0,2.0,0", "1.5,1.0,0.5", "2.0,1.0,1");
    train(f, "task=binary").fails("half.csv", "0.5");
    noModel();
  }

  @Test
  void unknownClassAtEvaluation() throws Exception {
    Path f = file("eval.csv", "x1,x2,x3,x4,label", "5.1,3.5,1.4,0.2,setosa",
        "5.0,3.0,1.0,0.5,tulip");
    Result r = main("evaluate", "--model", model.toString(), "--input", f.toString(), "--master",
        "local[2]");
    r.fails("eval.csv", "tulip");
  }

  @Test
  void featureCountMismatchAtPredict() throws Exception {
    Path f = file("three-features.csv", "x1,x2,x3,label", "5.1,3.5,1.4,setosa");
    predict(model, f).fails("three-features.csv", "4");
    noPredictions();
  }

  @Test
  void emptyInput() throws Exception {
    Path f = file("empty.csv", "x1,x2,label");
    train(f).fails("empty.csv", "empty");
    noModel();
  }

  @Test
  void missingPath() throws Exception {
    train(dir.resolve("nowhere.csv")).fails("nowhere.csv");
    noModel();
  }

  @Test
  void unreadablePath() throws Exception {
    // Tests run as root, where file permissions do not stop reads; a path whose file system
    // cannot be opened is the unreadable input every user can hit (a typo in the scheme, a
    // missing connector such as s3a without hadoop-aws).
    train(dir.resolve("x.csv"), "data.train.path=nosuchfs://host/data.csv")
        .fails("nosuchfs://host/data.csv", "file system");
    noModel();
  }

  // ------------------------------------------------------------------ idx (MNIST format)

  /** Three 2 x 2 images. */
  static byte[] idxImages() {
    return IdxFiles.images(3, 2, 2, 0, 255, 51, 102, 1, 2, 3, 4, 255, 255, 0, 0);
  }

  /** {@code train} on idx images and labels files. */
  Result trainIdx(String images, String labels, String... sets) {
    List<String> s = new ArrayList<>(List.of("data.train.format=idx",
        "data.train.labels-path=" + labels, "data.standardize=false", "train.batch-size=2"));
    s.addAll(Arrays.asList(sets));
    return train(Path.of(images), s.toArray(new String[0]));
  }

  @Test
  void idxBadMagicNumber() throws Exception {
    String img = IdxFiles.write(dir, "images.gz", "P5 28 28 255".getBytes(StandardCharsets.UTF_8));
    String lab = IdxFiles.write(dir, "labels.gz", IdxFiles.labels(0, 1, 2));
    trainIdx(img, lab).fails("images.gz", "bad magic number");
    noModel();
  }

  @Test
  void idxImageLabelCountMismatch() throws Exception {
    String img = IdxFiles.write(dir, "images.gz", idxImages());
    String lab = IdxFiles.write(dir, "labels.gz", IdxFiles.labels(0, 1, 2, 1));
    trainIdx(img, lab).fails("labels.gz", "4 labels", "images.gz", "3 images");
    noModel();
  }

  @Test
  void idxTruncatedFile() throws Exception {
    byte[] full = idxImages();
    String img = IdxFiles.write(dir, "images.gz", Arrays.copyOf(full, full.length - 4));
    String lab = IdxFiles.write(dir, "labels.gz", IdxFiles.labels(0, 1, 2));
    trainIdx(img, lab).fails("images.gz", "truncated");
    noModel();
  }

  @Test
  void idxTestLabelsOutOfRange() throws Exception {
    String img = IdxFiles.write(dir, "images.gz", idxImages());
    String lab = IdxFiles.write(dir, "labels.gz", IdxFiles.labels(0, 1, 2));
    String testLab = IdxFiles.write(dir, "test-labels.gz", IdxFiles.labels(0, 9, 2));
    trainIdx(img, lab, "data.test.path=" + img, "data.test.labels-path=" + testLab)
        .fails("test-labels.gz", "label '9'", "not one of the model's classes");
    noModel();
  }

  @Test
  void idxMissingLabelsFileKey() throws Exception {
    String img = IdxFiles.write(dir, "images.gz", idxImages());
    train(Path.of(img), "data.train.format=idx").fails("data.train.labels-path", "required");
    noModel();
  }

  // ------------------------------------------------------------------ config

  @Test
  void unknownKey() throws Exception {
    train(Path.of(IRIS), "train.epoch=3").fails("train.epoch", "train.epochs");
    noModel();
  }

  @Test
  void wrongType() throws Exception {
    train(Path.of(IRIS), "train.epochs=many").fails("train.epochs");
    noModel();
  }

  @Test
  void zeroLearningRate() throws Exception {
    train(Path.of(IRIS), "train.optimizer.learning-rate=0")
        .fails("train.optimizer.learning-rate");
    noModel();
  }

  @Test
  void negativeLearningRate() throws Exception {
    train(Path.of(IRIS), "train.optimizer.learning-rate=-0.1")
        .fails("train.optimizer.learning-rate");
    noModel();
  }

  @Test
  void zeroWidthLayer() throws Exception {
    train(Path.of(IRIS), "network.hidden=[8,0]").fails("network.hidden");
    noModel();
  }

  @Test
  void batchLargerThanTheData() throws Exception {
    train(Path.of(IRIS), "train.batch-size=1000").fails("train.batch-size", "1000", "150");
    noModel();
  }

  // ------------------------------------------------------------------ generate

  /** {@code generate} writing to {@code dir/gen} with {@code sets} overrides. */
  Result generate(String... sets) {
    List<String> a = new ArrayList<>(List.of("generate", "--set",
        "generate.output=" + dir.resolve("gen"), "--set", "generate.rows=20", "--set",
        "spark.master=local[2]"));
    for (String x : sets) {
      a.add("--set");
      a.add(x);
    }
    return main(a.toArray(new String[0]));
  }

  void noGenerated() {
    assertFalse(Files.exists(dir.resolve("gen")), "no generated output is left");
  }

  @Test
  void generateUnknownTask() {
    generate("generate.task=ranking").fails("generate.task", "ranking", "multiclass");
    noGenerated();
  }

  @Test
  void generateNoRows() {
    generate("generate.rows=0").fails("generate.rows", ">= 1");
    generate("generate.rows=-5").fails("generate.rows");
    noGenerated();
  }

  @Test
  void generateOutputsThatDoNotFitTheTask() {
    generate("generate.task=binary", "generate.outputs=3").fails("generate.outputs", "binary");
    generate("generate.outputs=1").fails("generate.outputs", "multiclass");
    noGenerated();
  }

  @Test
  void generateUnknownKeyAndMissingOutput() {
    generate("generate.row=10").fails("generate.row", "generate.rows");
    main("generate", "--set", "generate.rows=10").fails("generate.output", "required");
    noGenerated();
  }

  @Test
  void generateExistingOutputWithoutOverwrite() throws Exception {
    Files.createDirectories(dir.resolve("gen"));
    generate().fails("gen", "already exists", "overwrite");
    assertTrue(Files.isDirectory(dir.resolve("gen")), "the existing output is left alone");
  }

  // ------------------------------------------------------------------ model directory

  @Test
  void modelMissingWeights() throws Exception {
    Path m = copyModel();
    Files.delete(m.resolve("weights.safetensors"));
    predict(m, Path.of(IRIS)).fails("weights.safetensors", "missing");
    noPredictions();
  }

  @Test
  void modelTruncatedWeights() throws Exception {
    Path m = copyModel();
    try (RandomAccessFile f = new RandomAccessFile(m.resolve("weights.safetensors").toFile(),
        "rw")) {
      f.setLength(f.length() - 10);
    }
    predict(m, Path.of(IRIS)).fails("weights.safetensors");
    noPredictions();
  }

  @Test
  void modelUnknownFormatVersion() throws Exception {
    Path m = copyModel();
    Path json = m.resolve("model.json");
    String text = Files.readString(json).replaceFirst("\"format_version\"\\s*:\\s*1",
        "\"format_version\": 99");
    Files.writeString(json, text);
    predict(m, Path.of(IRIS)).fails("model.json", "99");
    noPredictions();
  }

  @Test
  void modelHeaderShapesInconsistentWithTheSpec() throws Exception {
    Path m = copyModel();
    Path w = m.resolve("weights.safetensors");
    TensorFile tf;
    try (InputStream in = Files.newInputStream(w)) {
      tf = SafeTensors.read(in, Files.size(w), w.toString());
    }
    List<FloatTensor> tensors = new ArrayList<>(tf.tensors());
    FloatTensor first = tensors.get(0);
    // same element count, wrong shape
    tensors.set(0, new FloatTensor(first.name(), List.of(1, first.size()), first.data()));
    try (OutputStream out = Files.newOutputStream(w)) {
      SafeTensors.write(new TensorFile(tensors, tf.metadata()), out);
    }
    predict(m, Path.of(IRIS)).fails("weights.safetensors", first.name());
    noPredictions();
  }

  @Test
  void modelHeaderClaimsAbsurdSize() throws Exception {
    Path m = copyModel();
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(Long.MAX_VALUE / 2).putLong(0);
    Files.write(m.resolve("weights.safetensors"), b.array());
    predict(m, Path.of(IRIS)).fails("weights.safetensors");
    noPredictions();
  }

  // ------------------------------------------------------------------ outputs never destroy data

  /** {@code predict} of the iris model on {@code input} to {@code output}, with --overwrite. */
  Result predictOver(Path modelDir, Path input, Path output) {
    return main("predict", "--model", modelDir.toString(), "--input", input.toString(),
        "--output", output.toString(), "--overwrite", "--master", "local[2]");
  }

  @Test
  void predictOverwritingItsOwnModel() throws Exception {
    Path m = copyModel();
    predictOver(m, Path.of(IRIS), m).fails(m + ": the output (--output) is the input " + m
        + " (--model)");
    predictOver(m, Path.of(IRIS), m.resolve("sub")).fails("is inside the input", "--model");
    assertTrue(Files.exists(m.resolve("model.json")) && Files.exists(
        m.resolve("weights.safetensors")), "the model is intact");
  }

  @Test
  void predictOverwritingItsInput() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.copy(Path.of(IRIS), data.resolve("iris.csv"));
    predictOver(model, data, data).fails(data + ": the output (--output) is the input " + data
        + " (--input)");
    predictOver(model, data.resolve("iris.csv"), data).fails("contains the input", "--input");
    assertEquals(Files.readString(Path.of(IRIS)), Files.readString(data.resolve("iris.csv")));
  }

  @Test
  void predictOverwritingAnotherModel() throws Exception {
    Path m = copyModel();
    predictOver(model, Path.of(IRIS), m).fails(m + ": refusing to replace a spark-mlp model "
        + "with predictions");
    assertTrue(Files.exists(m.resolve("model.json")), "the other model is intact");
  }

  @Test
  void predictOverwritingAnUnrelatedDirectoryOrFile() throws Exception {
    Path other = Files.createDirectories(dir.resolve("photos"));
    Files.writeString(other.resolve("holiday.jpg"), "precious");
    predictOver(model, Path.of(IRIS), other).fails(other + ": refusing to replace a directory "
        + "spark-mlp did not write (no _SPARK_MLP_OUTPUT) with predictions");
    Path notes = file("notes.txt", "precious");
    predictOver(model, Path.of(IRIS), notes).fails(notes + ": refusing to replace a file that "
        + "is not spark-mlp predictions");
    assertEquals("precious", Files.readString(other.resolve("holiday.jpg")));
    assertEquals("precious\n", Files.readString(notes));
  }

  @Test
  void evaluateOutputIntoTheModelDirectory() throws Exception {
    Path m = copyModel();
    String json = Files.readString(m.resolve("model.json"));
    main("evaluate", "--model", m.toString(), "--input", IRIS, "--output",
        m.resolve("model.json").toString()).fails("model.json", "is inside the input", "--model");
    assertEquals(json, Files.readString(m.resolve("model.json")), "model.json untouched");
  }

  @Test
  void evaluateOverwritingAnUnrelatedFile() throws Exception {
    Path notes = file("notes.json", "{\"mine\": true}");
    main("evaluate", "--model", model.toString(), "--input", IRIS, "--output",
        notes.toString()).fails(notes + ": refusing to replace a file that is not spark-mlp "
        + "metrics");
    main("evaluate", "--model", model.toString(), "--input", IRIS, "--report",
        notes.toString()).fails(notes + ": refusing to replace a file that is not spark-mlp "
        + "report with report");
    assertEquals("{\"mine\": true}\n", Files.readString(notes));
  }

  @Test
  void exportOverwritingItsModelOrAnotherFile() throws Exception {
    Path m = copyModel();
    main("export", "--model", m.toString(), "--output", m.resolve("model.json").toString(),
        "--overwrite").fails("is inside the input", "--model");
    Path notes = file("notes.onnx", "not onnx");
    main("export", "--model", m.toString(), "--output", notes.toString(), "--overwrite")
        .fails(notes + ": refusing to replace a file that is not spark-mlp ONNX model");
    assertEquals("not onnx\n", Files.readString(notes));
  }

  @Test
  void generateOverwritingAnUnrelatedDirectory() throws Exception {
    Files.createDirectories(dir.resolve("gen"));
    Files.writeString(dir.resolve("gen/keep.txt"), "mine");
    generate("generate.overwrite=true").fails("gen: refusing to replace a directory spark-mlp "
        + "did not write");
    assertEquals("mine", Files.readString(dir.resolve("gen/keep.txt")));
  }

  @Test
  void trainOverwritingItsDataDirectory() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.copy(Path.of(IRIS), data.resolve("iris.csv"));
    train(data.resolve("iris.csv"), "output.model=" + data, "output.overwrite=true")
        .fails(data + ": the output (output.model) contains the input", "data.train.path");
    assertTrue(Files.exists(data.resolve("iris.csv")));
  }

  @Test
  void outputBelowAFile() throws Exception {
    Path notes = file("notes.txt", "x");
    predictOver(model, Path.of(IRIS), notes.resolve("pred")).fails(notes.resolve("pred")
        + ": cannot write there: " + notes.toUri().toString().replaceFirst("^file:///",
            "file:/").replaceFirst("/$", "") + " is a file");
  }

  @Test
  void unwritableOutputDirectory() throws Exception {
    Path ro = Files.createDirectories(dir.resolve("ro"));
    ro.toFile().setWritable(false, false);
    try {
      org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(ro), "running as root");
      predictOver(model, Path.of(IRIS), ro.resolve("pred")).fails(ro.resolve("pred")
          + ": cannot write in", "ro", "Permission denied");
    } finally {
      ro.toFile().setWritable(true, false);
    }
  }

  @Test
  void anotherRunWritingTheSameOutput() throws Exception {
    // a lock held by a live process of this host (pid 1 is always alive)
    Files.writeString(dir.resolve(".pred.lock"), java.net.InetAddress.getLocalHost()
        .getHostName() + " 1 0f1e2d3c-aaaa-bbbb-cccc-000000000000\n");
    predict(model, Path.of(IRIS)).fails("pred: another spark-mlp run is writing this "
        + "predictions", ".pred.lock", "delete the lock file");
    noPredictions();
  }

  // ------------------------------------------------------------------ non-finite models

  @Test
  void learningRateSoHighTheWeightsOverflow() throws Exception {
    train(Path.of(IRIS), "train.optimizer.type=sgd", "train.optimizer.learning-rate=1e38")
        .fails("training diverged at step", "NaN or infinite", "1.00000e+38");
    noModel();
  }

  @Test
  void lossThatExplodesWhileFinite() throws Exception {
    train(Path.of(IRIS), "train.optimizer.type=sgd", "train.optimizer.learning-rate=1000",
        "train.epochs=20").fails("training diverged at step", "learning rate");
    noModel();
  }

  @Test
  void modelWithANaNWeight() throws Exception {
    Path m = copyModel();
    Path w = m.resolve("weights.safetensors");
    byte[] bytes = Files.readAllBytes(w);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(bytes.length - 4, Float.NaN);
    Files.write(w, bytes);
    predict(m, Path.of(IRIS)).fails("weights.safetensors", "NaN or infinite value",
        "a model must have finite weights");
    noPredictions();
  }

  // ------------------------------------------------------------------ CSV headers

  @Test
  void csvFilesWithTheSameColumnsInAnotherOrder() throws Exception {
    Path d = Files.createDirectories(dir.resolve("parts"));
    Files.writeString(d.resolve("p1.csv"), "x1,x2,label\n1,2,a\n3,4,b\n5,6,a\n");
    Files.writeString(d.resolve("p2.csv"), "x2,x1,label\n2,1,a\n4,3,b\n6,5,b\n");
    Result r = train(d);
    r.fails("p1.csv", "p2.csv", "x1,x2,label", "x2,x1,label", "same columns in the same order");
    noModel();
  }

  @Test
  void csvHeaderWithADuplicateName() throws Exception {
    Path f = file("dup.csv", "x1,x1,label", "1,2,a", "3,4,b");
    train(f).fails("dup.csv", "names column 'x1' twice");
    noModel();
  }

  @Test
  void csvValueBeyondTheFloatRangeNamesTheColumnAndRow() throws Exception {
    Path f = file("over.csv", "x1,x2,label", "1,2,a", "3,1e39,b", "5,6,a", "1,2,b");
    train(f).fails("over.csv", "column 'x2' has the value 1e39", "in data row 2",
        "beyond the range of a float");
    noModel();
  }

  // ------------------------------------------------------------------ file names

  @Test
  void anInputSetAsideByAKilledReplaceIsPutBackAndRead() throws Exception {
    // what a kill between the two renames of a replace of generated data leaves: no final name,
    // the whole previous output at .gen.old-<uuid>
    Path aside = Files.createDirectories(dir.resolve(".gen.old-" + java.util.UUID.randomUUID()));
    Files.copy(Path.of(IRIS), aside.resolve("part-0.csv"));
    Result r = train(dir.resolve("gen"), "output.model=" + dir.resolve("m"));
    assertEquals(0, r.code, r.err);
    assertTrue(Files.isRegularFile(dir.resolve("gen").resolve("part-0.csv")), "put back");
    assertFalse(Files.exists(aside));
  }

  @Test
  void inputFileNamesWithGlobCharactersAreReadLiterally() throws Exception {
    String rows = String.join("\n", Files.readAllLines(Path.of(IRIS))) + "\n";
    for (String name : List.of("a[1].csv", "q?.csv", "b{c}.csv", "s*.csv")) {
      Path f = Files.writeString(dir.resolve(name), rows);
      Result r = train(f, "output.model="
          + dir.resolve("m-" + name.charAt(0)));
      assertEquals(0, r.code, name + ": " + r.err);
    }
  }

  @Test
  void aColonInAFileNameIsReadWithItsDirectory() throws Exception {
    String rows = String.join("\n", Files.readAllLines(Path.of(IRIS))) + "\n";
    Path in = Files.createDirectories(dir.resolve("colon"));
    Files.writeString(in.resolve("x:y.csv"), rows);
    Files.writeString(in.resolve("z.csv"), rows);
    Result r = train(in, "output.model=" + dir.resolve("m-colon"));
    assertEquals(0, r.code, r.err);
    Result one = train(in.resolve("x:y.csv"), "output.model=" + dir.resolve("m-colon-file"));
    assertEquals(0, one.code, one.err);
  }

  // ------------------------------------------------------------------ command line

  @Test
  void unknownOptionIsAUsageError() {
    Result r = main("predict", "--model", model.toString(), "--inptu", IRIS);
    assertEquals(2, r.code, r.err);
    assertEquals("spark-mlp predict: unknown option --inptu", r.err.strip());
  }
}
