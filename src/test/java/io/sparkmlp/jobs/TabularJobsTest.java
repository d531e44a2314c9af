package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue-12 cases through {@link Main#run} as a user runs them: missing values dropped from
 * every split and counted once, text categories with an unseen category at predict time, class
 * labels 1..K, reader options and skipped lines, scaled regression targets, and errors naming
 * the file, column and row.
 */
class TabularJobsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  private Path write(String name, List<String> lines) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return p;
  }

  private Result train(Path data, String task, String label, String... sets) {
    List<String> a = new ArrayList<>(List.of("train"));
    List<String> s = new ArrayList<>(List.of("data.train.path=" + data, "data.train.format=csv",
        "data.train.label-column=" + label, "task=" + task, "spark.master=local[2]",
        "network.hidden=[8]", "train.epochs=30", "train.batch-size=16",
        "train.optimizer.learning-rate=0.01", "data.validation-fraction=0",
        "output.model=" + dir.resolve("model"), "output.overwrite=true"));
    s.addAll(Arrays.asList(sets));
    for (String x : s) {
      a.add("--set");
      a.add(x);
    }
    return main(a);
  }

  private JsonNode modelJson() throws IOException {
    return JSON.readTree(dir.resolve("model/model.json").toFile());
  }

  private List<Row> predict(Path input) {
    Path out = dir.resolve("pred");
    Result r = main(List.of("predict", "--model", dir.resolve("model").toString(), "--input",
        input.toString(), "--output", out.toString(), "--overwrite", "--master", "local[2]"));
    assertEquals(0, r.code, r.err);
    return SharedSpark.session().read().parquet(out.toString()).collectAsList();
  }

  /** y = 3 x1 - 2 x2 + 1000 with NaN, empty and infinite cells in every tenth row. */
  private Path regressionWithMissing(int rows) throws IOException {
    Random rnd = new Random(7);
    List<String> lines = new ArrayList<>(List.of("x1,x2,y"));
    for (int i = 0; i < rows; i++) {
      double x1 = rnd.nextGaussian();
      double x2 = rnd.nextGaussian();
      double y = 1000 + 300 * x1 - 200 * x2;
      String c1 = i % 10 == 3 ? "NaN" : i % 10 == 7 ? "" : Double.toString(x1);
      String c2 = i % 20 == 5 ? "Infinity" : Double.toString(x2);
      lines.add(c1 + "," + c2 + "," + y);
    }
    return write("reg.csv", lines);
  }

  @Test
  void dropCoversEverySplitIsCountedOnceAndTheTargetIsScaled() throws IOException {
    Path f = regressionWithMissing(400);
    Result r = train(f, "regression", "y", "data.missing.policy=drop", "data.test-fraction=0.3",
        "train.epochs=60");
    assertEquals(0, r.code, r.err + r.out);
    JsonNode m = modelJson();
    long dropped = m.get("provenance").get("rows").get("dropped").asLong();
    // x1 is NaN or empty in rows 3 and 7 of every 10 (80 of 400), x2 infinite in row 5 of
    // every 20 (20 more)
    assertEquals(100, dropped);
    JsonNode bySplit = m.get("provenance").get("rows").get("dropped_by_split");
    assertEquals(100, bySplit.get("train").asLong() + bySplit.get("test").asLong());
    assertTrue(bySplit.get("test").asLong() > 0, "the test split had missing values too");
    assertTrue(r.out.contains("dropped 100 rows with missing values (train "
        + bySplit.get("train").asLong() + ", test " + bySplit.get("test").asLong()), r.out);
    JsonNode test = m.get("metrics").get("test");
    assertEquals(m.get("provenance").get("rows").get("test").asLong(), test.get("count").asLong());
    assertTrue(test.get("r2").asDouble() > 0.9, test.toString());
    assertTrue(test.get("rmse").asDouble() < 100, "rmse in dollars-like units: " + test);
    JsonNode target = m.get("preparation").get("target");
    assertEquals(1000, target.get("mean").get(0).asDouble(), 60);
    assertEquals(360, target.get("std").get(0).asDouble(), 60);
    // predictions are in the original units
    Path one = write("one.csv", List.of("x1,x2", "1.0,0.0", "0.0,1.0"));
    List<Row> p = predict(one);
    assertEquals(1300, p.get(0).<Double>getAs("prediction"), 100);
    assertEquals(800, p.get(1).<Double>getAs("prediction"), 100);
  }

  @Test
  void textCategoriesUnseenAtPredictTimeAndLabelsOneToK() throws IOException {
    // class = 1, 2 or 3 from the colour; size adds noise; a few colours are missing
    String[] colours = {"red", "green", "blue"};
    Random rnd = new Random(3);
    List<String> lines = new ArrayList<>(List.of("colour,size,class"));
    for (int i = 0; i < 240; i++) {
      int k = i % 3;
      String c = i % 17 == 0 ? "" : colours[k];
      lines.add(c + "," + String.format(java.util.Locale.ROOT, "%.3f", rnd.nextDouble()) + ","
          + (k + 1));
    }
    Path f = write("colours.csv", lines);
    Result r = train(f, "multiclass", "class", "data.missing.policy=impute");
    assertEquals(0, r.code, r.err + r.out);
    assertTrue(r.out.contains("column 'colour': categorical (text values), 3 categories"), r.out);
    JsonNode m = modelJson();
    assertEquals("[\"1\",\"2\",\"3\"]", m.get("class_names").toString(), "no phantom class 0");
    JsonNode colour = m.get("preparation").get("columns").get(0);
    assertEquals("categorical", colour.get("kind").asText());
    assertEquals(Set.of("red", "green", "blue"), Set.copyOf(
        JSON.convertValue(colour.get("categories"), List.class)));
    assertEquals(List.of("colour=blue", "colour=green", "colour=red", "colour=<other>",
        "colour=<missing>", "size"), JSON.convertValue(m.get("feature_names"), List.class));
    Path later = write("later.csv", List.of("colour,size", "green,0.5", "purple,0.5", ",0.1"));
    List<Row> p = predict(later);
    assertEquals(3, p.size(), "an unseen colour is predicted, not an error");
    assertEquals(2.0, p.get(0).<Double>getAs("prediction"), "numeric labels predict doubles");
    Set<Double> seen = p.stream().map(x -> x.<Double>getAs("prediction"))
        .collect(Collectors.toSet());
    assertTrue(Set.of(1.0, 2.0, 3.0).containsAll(seen), seen.toString());
  }

  @Test
  void readerOptionsAndSkippedLines() throws IOException {
    List<String> lines = new ArrayList<>(List.of("120,2,yes,no", "a;b;label"));
    for (int i = 0; i < 60; i++) {
      String a = i % 9 == 0 ? "?" : Integer.toString(i % 5);
      lines.add(a + ";" + (i % 2) + ";" + (i % 2 == 0 ? "no" : "yes"));
      if (i == 30) {
        lines.add("# a comment line");
      }
    }
    Path f = write("preamble.csv", lines);
    Result r = train(f, "binary", "label", "data.train.skip-lines=1",
        "data.train.csv-delimiter=;", "data.train.options.nullValue=?",
        "data.train.options.comment=#", "data.missing.policy=impute", "train.epochs=2");
    assertEquals(0, r.code, r.err + r.out);
    JsonNode m = modelJson();
    assertEquals(List.of("a", "b"), JSON.convertValue(m.get("feature_names"), List.class));
    assertEquals(60, m.get("provenance").get("rows").get("train").asLong());
    // mean of the 53 values i % 5 for i not a multiple of 9
    double sum = 0;
    int n = 0;
    for (int i = 0; i < 60; i++) {
      if (i % 9 != 0) {
        sum += i % 5;
        n++;
      }
    }
    assertEquals(sum / n, m.get("preparation").get("columns").get(0).get("fill").asDouble(),
        1e-12);
  }

  @Test
  void invalidVectorRowsAreDroppedFromEverySplitBeforeStandardization() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String v = i % 10 == 4 ? "NaN" : Double.toString((i % 7) / 7.0);
      lines.add((i % 2) + " 1:" + v + " 2:" + ((i % 3) / 3.0));
    }
    Path f = write("nan.svm", lines);
    List<String> a = new ArrayList<>(List.of("train"));
    for (String x : List.of("data.train.path=" + f, "data.train.format=libsvm", "task=binary",
        "spark.master=local[2]", "network.hidden=[4]", "train.epochs=2", "train.batch-size=16",
        "data.validation-fraction=0.2", "data.test-fraction=0.3", "data.invalid-rows=drop",
        "data.standardize=true", "output.model=" + dir.resolve("model"))) {
      a.add("--set");
      a.add(x);
    }
    Result r = main(a);
    assertEquals(0, r.code, r.err + r.out);
    JsonNode rows = modelJson().get("provenance").get("rows");
    assertEquals(20, rows.get("dropped").asLong(), "every tenth row, counted once");
    JsonNode bySplit = rows.get("dropped_by_split");
    long test = bySplit.get("test").asLong();
    assertTrue(test > 0, "the test split had NaN rows too: " + bySplit);
    assertEquals(20 - test, bySplit.get("train").asLong());
    assertTrue(r.out.contains("dropped 20 rows with NaN or infinite values (train " + (20 - test)
        + ", test " + test + "; data.invalid-rows = drop)"), r.out);
    assertTrue(modelJson().get("metrics").get("test").get("accuracy").isNumber());
  }

  @Test
  void aPreambleLineIsSkippedWithoutEditingTheFile() throws IOException {
    // scikit-learn's wine_data.csv: '178,13,class_0,class_1,class_2', then 13 numbers and the
    // class index per line, no header
    Path wine = SharedSpark.dataDir().resolve("sklearn-small/wine_data.csv.gz");
    Result r = train(wine, "multiclass", "_c13", "data.train.skip-lines=1",
        "data.train.csv-header=false", "data.test-fraction=0.25", "train.epochs=40");
    assertEquals(0, r.code, r.err + r.out);
    JsonNode m = modelJson();
    assertEquals("[\"0\",\"1\",\"2\"]", m.get("class_names").toString());
    assertEquals(13, m.get("feature_names").size());
    assertEquals(178, m.get("provenance").get("rows").get("train").asLong()
        + m.get("provenance").get("rows").get("test").asLong());
    assertTrue(m.get("metrics").get("test").get("accuracy").asDouble() > 0.9,
        m.get("metrics").toString());
  }

  @Test
  void aMissingValueAtEvaluateTimeNamesFileColumnAndRow() throws IOException {
    Path f = write("clean.csv", List.of("a,b,y", "1,2,0", "2,1,1", "3,3,0", "4,1,1", "5,2,0",
        "6,1,1"));
    Result t = train(f, "binary", "y", "train.epochs=1", "train.batch-size=2");
    assertEquals(0, t.code, t.err);
    Path bad = write("bad.csv", List.of("a,b,y", "1,2,0", "2,,1"));
    Result r = main(List.of("evaluate", "--model", dir.resolve("model").toString(), "--input",
        bad.toString(), "--master", "local[2]"));
    assertEquals(1, r.code, r.out);
    assertTrue(r.err.contains("bad.csv: column 'b' has a missing value (an empty cell or null) "
        + "in data row 2; the model was trained with missing-value policy fail"), r.err);
  }
}
