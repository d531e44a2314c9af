package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.read.DataReader;
import io.sparkmlp.jobs.data.score.Predictor;
import io.sparkmlp.jobs.export.OnnxExport;
import io.sparkmlp.jobs.export.OnnxFixtures;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Task;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.trainer.store.ModelDirectory;
import io.sparkmlp.trainer.store.SavedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import onnx.Onnx.ModelProto;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark-mlp export} through {@link Main#run}: help, exit codes and one-line errors, the
 * atomic write, and a model trained on the bundled iris data whose ONNX export reproduces
 * predict.
 */
class OnnxExportCommandTest {
  @TempDir
  Path tmp;

  private static void assertOneLineError(CliRun r, String mention) {
    assertEquals(1, r.status(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("spark-mlp export: "), r.err());
    assertTrue(r.err().contains(mention), r.err());
  }

  @Test
  void helpListsTheCommand() {
    CliRun help = CliRun.of("export", "--help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("usage: spark-mlp export --model DIR --output FILE"),
        help.out());
    assertTrue(help.out().contains("opset 13"), help.out());
    assertTrue(CliRun.of("--help").out()
        .contains("export --model DIR --format onnx --output FILE"));
  }

  @Test
  void writesOnceAndReplacesOnlyWithOverwrite() throws Exception {
    Path model = tmp.resolve("model");
    OnnxFixtures.savedModel(model, Task.BINARY, List.of(Activation.of(Activation.Kind.RELU)),
        true, 1);
    Path out = tmp.resolve("out").resolve("model.onnx");
    Files.createDirectories(out.getParent());
    CliRun ok = CliRun.of("export", "--model", model.toString(), "--format", "onnx", "--output",
        out.toString());
    assertEquals(0, ok.status(), ok.err());
    assertTrue(ok.out().contains("written to " + out), ok.out());
    ModelProto onnx = ModelProto.parseFrom(Files.readAllBytes(out));
    assertEquals("spark-mlp", onnx.getProducerName());
    long before = Files.size(out);

    assertOneLineError(CliRun.of("export", "--model", model.toString(), "--format", "onnx",
        "--output", out.toString()), "already exists");
    CliRun replaced = CliRun.of("export", "--model", model.toString(), "--output", out.toString(),
        "--overwrite");
    assertEquals(0, replaced.status(), replaced.err());
    assertEquals(before, Files.size(out));
    try (Stream<Path> files = Files.list(out.getParent())) {
      assertEquals(List.of(out), files.toList(), "no temporary file is left behind");
    }
  }

  @Test
  void errorsAreOneLine() throws Exception {
    Path model = tmp.resolve("model");
    OnnxFixtures.savedModel(model, Task.REGRESSION, List.of(), false, 2);
    String out = tmp.resolve("m.onnx").toString();
    assertOneLineError(CliRun.of("export", "--model", tmp.resolve("nope").toString(), "--output",
        out), "does not exist");
    assertOneLineError(CliRun.of("export", "--model", model.toString(), "--format", "pmml",
        "--output", out), "--format must be onnx, got pmml");
    assertOneLineError(CliRun.of("export", "--model", model.toString()), "--output");
    assertOneLineError(CliRun.of("export", "--output", out), "--model");
    assertOneLineError(CliRun.of("export", "--model", model.toString(), "--output",
        model.toString(), "--overwrite"), "is the input " + model + " (--model)");
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(List.of(model), files.toList(), "nothing written on failure");
    }
  }

  @Test
  void trainedIrisModelExportsWhatPredictComputes() throws Exception {
    SharedSpark.session();
    Path model = tmp.resolve("iris");
    CliRun train = CliRun.of("train", "conf/examples/multiclass-iris.conf",
        "--set", "output.model=" + model, "--set", "train.epochs=5",
        "--set", "spark.master=local[2]");
    assertEquals(0, train.status(), train.err());
    Path file = tmp.resolve("iris.onnx");
    CliRun export = CliRun.of("export", "--model", model.toString(), "--format", "onnx", "--output",
        file.toString());
    assertEquals(0, export.status(), export.err());

    // what PredictJob does, up to the written columns
    SavedModel saved = ModelDirectory.load(model.toString(),
        SharedSpark.session().sparkContext().hadoopConfiguration());
    assertTrue(saved.standardized(), "the iris example standardizes its features");
    DataSource src = SavedModels.source(saved, "src/test/resources/data/iris.csv", List.of());
    PreparedData data = DataReader.read(SharedSpark.session(), src, saved.spec().task(),
        SavedModels.mapping(saved), saved.spec().inputWidth(), false);
    List<Row> rows = Predictor.predict(data.rows(), saved.spec(), saved.params(),
        SavedModels.standardization(saved), SavedModels.mapping(saved))
        .select(PreparedData.FEATURES, Predictor.PREDICTION, Predictor.PROBABILITY)
        .collectAsList();
    assertEquals(150, rows.size());
    float[][] x = new float[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      double[] v = ((Vector) rows.get(i).get(0)).toArray();
      x[i] = new float[v.length];
      for (int j = 0; j < v.length; j++) {
        x[i][j] = (float) v[j];
      }
    }
    Map<String, Object> onnx = OnnxFixtures.run(Files.readAllBytes(file), x);
    float[][] prob = (float[][]) onnx.get(OnnxExport.PROBABILITY);
    long[] index = (long[]) onnx.get(OnnxExport.PREDICTION);
    List<String> classes = saved.classNames();
    for (int i = 0; i < x.length; i++) {
      double[] want = ((Vector) rows.get(i).get(2)).toArray();
      for (int j = 0; j < want.length; j++) {
        assertEquals(want[j], prob[i][j], 1e-5, "row " + i + " class " + j);
      }
      assertEquals(rows.get(i).get(1), new LabelMapping(classes).predictionValue((int) index[i]),
          "row " + i);
    }
  }
}
