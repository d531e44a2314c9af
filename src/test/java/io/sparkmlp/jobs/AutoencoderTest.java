package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.jobs.config.JobConfig;
import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.Workspace;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.trainer.store.ModelDirectory;
import io.sparkmlp.trainer.store.SavedModel;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code task = autoencoder} as a user runs it: trained on scikit-learn's 8 x 8 digits of classes
 * 0-4 only, digits of the unseen classes 5-9 reconstruct worse on average than held-out digits of
 * the seen classes; predict writes the reconstruction error and the bottleneck codes (Parquet
 * arrays, CSV {@code code_<i>} columns) with the values of the project's own forward pass; the
 * configuration errors are one line naming the key.
 */
class AutoencoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DIGITS = Path.of("../shared/data/sklearn-small/digits.csv.gz");
  private static final int PIXELS = 64;

  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result main(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** The digits rows: 64 pixels (0..16) then the class. */
  private static List<int[]> digits() throws IOException {
    Path p = Files.exists(DIGITS) ? DIGITS : Path.of("/work/shared/data/sklearn-small/digits.csv.gz");
    List<int[]> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(new FileInputStream(p.toFile())), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        String[] cells = line.split(",");
        if (cells.length != PIXELS + 1) {
          continue;
        }
        int[] v = new int[PIXELS + 1];
        for (int i = 0; i <= PIXELS; i++) {
          v[i] = (int) Double.parseDouble(cells[i]);
        }
        rows.add(v);
      }
    }
    return rows;
  }

  /** Writes pixel-only rows (no class column) as CSV with a header p0..p63. */
  private Path csv(String name, List<int[]> rows) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < PIXELS; i++) {
      sb.append(i == 0 ? "" : ",").append('p').append(i);
    }
    sb.append('\n');
    for (int[] r : rows) {
      for (int i = 0; i < PIXELS; i++) {
        sb.append(i == 0 ? "" : ",").append(r[i]);
      }
      sb.append('\n');
    }
    Path p = dir.resolve(name);
    Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
    return p;
  }

  private static List<String> sets(List<String> sets) {
    List<String> a = new ArrayList<>();
    for (String s : sets) {
      a.add("--set");
      a.add(s);
    }
    return a;
  }

  private static double meanError(Dataset<Row> predictions) {
    return predictions.agg(org.apache.spark.sql.functions.avg("reconstruction_error")).first()
        .getDouble(0);
  }

  @Test
  void unseenDigitsReconstructWorseAndPredictWritesErrorsAndCodes() throws Exception {
    List<int[]> all = digits();
    List<int[]> train = new ArrayList<>();
    List<int[]> seen = new ArrayList<>();
    List<int[]> unseen = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      int[] r = all.get(i);
      if (r[PIXELS] >= 5) {
        unseen.add(r);
      } else if (i % 5 == 0) {
        seen.add(r);
      } else {
        train.add(r);
      }
    }
    Path trainCsv = csv("train.csv", train);
    Path seenCsv = csv("seen.csv", seen);
    Path unseenCsv = csv("unseen.csv", unseen);
    Path model = dir.resolve("model");
    List<String> args = new ArrayList<>(List.of("train"));
    args.addAll(sets(List.of("task=autoencoder", "data.train.path=" + trainCsv,
        "data.train.format=csv", "data.test.path=" + seenCsv, "data.validation-fraction=0",
        "network.hidden=[32, 12, 32]", "network.activation=tanh", "network.bottleneck=1",
        "train.epochs=40", "train.batch-size=32", "train.optimizer.type=adam",
        "train.optimizer.learning-rate=0.005", "spark.master=local[2]",
        "output.model=" + model, "output.overwrite=true")));
    Result t = main(args);
    assertEquals(0, t.code, t.err);
    assertTrue(t.out.contains("64-32(tanh)-12(tanh, code)-32(tanh)-64(identity) autoencoder"),
        t.out);

    JsonNode json = JSON.readTree(model.resolve("model.json").toFile());
    assertEquals("autoencoder", json.at("/spec/task").asText());
    assertEquals(1, json.at("/spec/bottleneck").asInt());
    assertEquals(64, json.at("/spec/output_width").asInt());
    JsonNode test = json.at("/metrics/test");
    assertEquals(seen.size(), test.get("count").asLong());
    double testMse = test.get("reconstruction_mse").asDouble();
    assertTrue(testMse > 0 && testMse < 0.6, "standardized reconstruction MSE " + testMse);

    // anomaly scores: the unseen classes reconstruct worse than held-out digits of seen classes
    Path seenOut = dir.resolve("seen-pred");
    Path unseenOut = dir.resolve("unseen-pred");
    for (Path[] io : new Path[][] {{seenCsv, seenOut}, {unseenCsv, unseenOut}}) {
      Result p = main(List.of("predict", "--model", model.toString(), "--input",
          io[0].toString(), "--output", io[1].toString(), "--output-layer", "bottleneck",
          "--master", "local[2]"));
      assertEquals(0, p.code, p.err);
    }
    Dataset<Row> seenPred = SharedSpark.session().read().parquet(seenOut.toString());
    Dataset<Row> unseenPred = SharedSpark.session().read().parquet(unseenOut.toString());
    assertEquals(List.of("reconstruction_error", "code"), Arrays.asList(seenPred.columns()));
    double seenError = meanError(seenPred);
    double unseenError = meanError(unseenPred);
    assertEquals(testMse, seenError, 1e-6 * testMse, "evaluate and predict agree");
    assertTrue(unseenError > 1.3 * seenError,
        "unseen " + unseenError + " vs seen " + seenError);

    // values: the project's forward pass on the standardized pixels
    SavedModel saved = ModelDirectory.load(model.toString(),
        SharedSpark.session().sparkContext().hadoopConfiguration());
    Standardization std = SavedModels.standardization(saved);
    Mlp mlp = new Mlp(saved.spec());
    int n = 5;
    Workspace ws = mlp.newWorkspace(n);
    float[] x = ws.inputBuffer();
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < PIXELS; j++) {
        x[r * PIXELS + j] = seen.get(r)[j];
      }
    }
    std.applyInPlace(x, 0, n);
    mlp.forward(saved.params(), x, 0, n, ws);
    List<Row> rows = seenPred.collectAsList(); // one CSV file, one partition: input order
    for (int r = 0; r < n; r++) {
      double e = 0;
      for (int j = 0; j < PIXELS; j++) {
        double d = ws.outputs()[r * PIXELS + j] - x[r * PIXELS + j];
        e += d * d;
      }
      assertEquals(e / PIXELS, rows.get(r).getDouble(0), 1e-6, "error of row " + r);
      List<Double> code = rows.get(r).getList(1);
      assertEquals(12, code.size());
      for (int j = 0; j < 12; j++) {
        assertEquals(ws.hiddenActivations(1)[r * 12 + j], code.get(j), 1e-6, "code " + j);
      }
    }

    // CSV: code_0..code_11 after the error; without --output-layer only the error
    Path csvOut = dir.resolve("csv-pred");
    Result c = main(List.of("predict", "--model", model.toString(), "--input", seenCsv.toString(),
        "--output", csvOut.toString(), "--format", "csv", "--output-layer", "bottleneck",
        "--master", "local[2]"));
    assertEquals(0, c.code, c.err);
    Dataset<Row> csvPred = SharedSpark.session().read().option("header", "true")
        .csv(csvOut.toString());
    List<String> want = new ArrayList<>(List.of("reconstruction_error"));
    for (int j = 0; j < 12; j++) {
      want.add("code_" + j);
    }
    assertEquals(want, Arrays.asList(csvPred.columns()));
    assertEquals(seen.size(), csvPred.count());
    Path plainOut = dir.resolve("plain-pred");
    Result plain = main(List.of("predict", "--model", model.toString(), "--input",
        seenCsv.toString(), "--output", plainOut.toString(), "--master", "local[2]"));
    assertEquals(0, plain.code, plain.err);
    assertEquals(List.of("reconstruction_error"), Arrays.asList(
        SharedSpark.session().read().parquet(plainOut.toString()).columns()));

    // evaluate reports the reconstruction MSE; ONNX export is refused in one line
    Result ev = main(List.of("evaluate", "--model", model.toString(), "--input",
        unseenCsv.toString(), "--master", "local[2]"));
    assertEquals(0, ev.code, ev.err);
    assertTrue(ev.out.contains("reconstruction_mse"), ev.out);
    Result ex = main(List.of("export", "--model", model.toString(), "--format", "onnx",
        "--output", dir.resolve("m.onnx").toString()));
    assertEquals(1, ex.code);
    assertTrue(ex.err.contains("ONNX export is not supported for task autoencoder"), ex.err);
    assertFalse(Files.exists(dir.resolve("m.onnx")));
  }

  private static String configError(String... overrides) {
    List<String> o = new ArrayList<>(List.of("task=autoencoder", "data.train.path=x.csv",
        "data.train.format=csv"));
    o.addAll(Arrays.asList(overrides));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(null, o));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void configurationErrorsAreOneLineNamingTheKey() {
    String label = configError("data.train.label-column=y");
    assertTrue(label.contains("data.train.label-column") && label.contains("autoencoder"), label);
    String labels = configError("data.train.label-columns=[a, b]");
    assertTrue(labels.contains("data.train.label-columns"), labels);
    String range = configError("network.hidden=[8, 2, 8]", "network.bottleneck=3");
    assertTrue(range.contains("network.bottleneck") && range.contains("0..2"), range);
    String other = configError("task=regression", "network.bottleneck=0");
    assertTrue(other.contains("network.bottleneck") && other.contains("only for task autoencoder"),
        other);
    String bce = configError("network.loss=bce");
    assertTrue(bce.contains("data.standardize"), bce);
    String softmax = configError("network.output-activation=softmax");
    assertTrue(softmax.contains("network.output-activation"), softmax);

    JobConfig ok = JobConfig.load(null, List.of("task=autoencoder", "data.train.path=x.csv",
        "data.train.format=csv", "network.hidden=[8, 2, 8]", "network.bottleneck=1",
        "network.loss=bce", "data.standardize=false"));
    assertEquals(Task.AUTOENCODER, ok.task());
    assertEquals(Task.OutputActivation.SIGMOID, ok.networkSpec(6, 6).outputActivation());
    assertEquals(2, ok.networkSpec(6, 6).codeWidth());
    IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
        () -> ok.networkSpec(6, 3));
    assertTrue(width.getMessage().contains("output width 3 must equal the input width 6"),
        width.getMessage());
  }
}
