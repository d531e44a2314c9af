package io.sparkmlp.jobs.data.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.config.MissingPolicy;
import io.sparkmlp.jobs.config.PrepSettings;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.read.DataReader;
import io.sparkmlp.jobs.data.read.RawTable;
import io.sparkmlp.model.Task;
import io.sparkmlp.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fitting, checking and applying a {@link Preparation} on small CSV files with known values. */
class PreparationTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  private Path csv(String name, String... lines) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return p;
  }

  private static DataSource source(Path p, List<String> categorical) {
    return new DataSource(p.toString(), DataSource.Format.CSV, 0, "y", List.of(), null, List.of(),
        List.of(), true, ",", null, categorical, List.of(), Map.of(), 0);
  }

  private RawTable raw(DataSource src) {
    return DataReader.readTable(SharedSpark.session(), src, Task.BINARY, null, null, true);
  }

  private Preparation fit(RawTable t, PrepSettings s, List<String> declared) {
    return Preparation.fit(t, s, declared,
        new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  private static PrepSettings settings(MissingPolicy p, boolean median, boolean indicator) {
    return new PrepSettings(p, Map.of(), median, indicator, true, 100, 1, true);
  }

  /** Feature vectors of the prepared rows, in file order (one partition). */
  private static double[][] vectors(PreparedData d) {
    return d.rows().collectAsList().stream()
        .map(r -> ((Vector) r.getAs(PreparedData.FEATURES)).toArray()).toArray(double[][]::new);
  }

  // a: numbers with one empty cell and one NaN; c: text with a missing cell; y: label
  private static final String[] MIXED = {"a,c,y", "1,red,0", ",blue,1", "4,red,1", "NaN,,0",
      "10,green,1", "3,red,0"};

  @Test
  void imputesTheTrainingMeanAndAMissingCategory() throws IOException {
    RawTable t = raw(source(csv("mixed.csv", MIXED), List.of()));
    Preparation p = fit(t, settings(MissingPolicy.IMPUTE, false, true), List.of());
    ColumnPrep a = p.columns().get(0);
    ColumnPrep c = p.columns().get(1);
    assertFalse(a.categorical());
    assertEquals((1 + 4 + 10 + 3) / 4.0, a.fill(), 1e-12);
    assertTrue(a.indicator());
    assertTrue(c.categorical());
    assertEquals(List.of("red", "blue", "green"), c.categories(), "most frequent first");
    assertEquals(List.of("a", "a#missing", "c=red", "c=blue", "c=green", "c=<other>",
        "c=<missing>"), p.featureNames());
    assertTrue(log.toString(StandardCharsets.UTF_8).contains(
        "column 'c': categorical (text values), 3 categories"), log.toString());
    assertEquals(new Preparation.Counts(6, 0), p.check(t, "hint"));
    double[][] x = vectors(p.apply(t));
    assertArrayEquals(new double[] {1, 0, 1, 0, 0, 0, 0}, x[0]);
    assertArrayEquals(new double[] {4.5, 1, 0, 1, 0, 0, 0}, x[1]);
    assertArrayEquals(new double[] {4.5, 1, 0, 0, 0, 0, 1}, x[3]);
    assertArrayEquals(new double[] {10, 0, 0, 0, 1, 0, 0}, x[4]);
  }

  @Test
  void imputesTheMedianWhenAsked() throws IOException {
    RawTable t = raw(source(csv("mixed.csv", MIXED), List.of()));
    Preparation p = fit(t, settings(MissingPolicy.IMPUTE, true, false), List.of());
    assertEquals(3.0, p.columns().get(0).fill(), 1e-12, "median of 1, 3, 4, 10");
    assertFalse(p.columns().get(0).indicator());
  }

  @Test
  void dropLeavesRowsOutAndLearnsFromTheRest() throws IOException {
    RawTable t = raw(source(csv("mixed.csv", MIXED), List.of()));
    PrepSettings s = new PrepSettings(MissingPolicy.DROP, Map.of("c", MissingPolicy.IMPUTE),
        false, false, true, 100, 1, true);
    Preparation p = fit(t, s, List.of());
    assertEquals(MissingPolicy.DROP, p.columns().get(0).policy());
    assertEquals(MissingPolicy.IMPUTE, p.columns().get(1).policy());
    // rows 2 and 4 are dropped (a missing): the vocabulary counts red 3, green 1; blue only in
    // a dropped row
    assertEquals(List.of("red", "green"), p.columns().get(1).categories());
    assertEquals(new Preparation.Counts(6, 2), p.check(t, "hint"));
    assertEquals(4, vectors(p.apply(t)).length);
  }

  @Test
  void failNamesTheFileColumnAndRow() throws IOException {
    RawTable t = raw(source(csv("mixed.csv", MIXED), List.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fit(t, settings(MissingPolicy.FAIL, false, false), List.of()));
    assertTrue(e.getMessage().contains("mixed.csv: column 'a' has a missing value (an empty cell "
        + "or null) in data row 2"), e.getMessage());
    assertTrue(e.getMessage().contains("data.missing.policy"), e.getMessage());
  }

  @Test
  void unseenAndRareCategoriesGoToOtherAndDeclaredIntegersAreCategories() throws IOException {
    RawTable t = raw(source(csv("codes.csv", "k,c,y", "1,a,0", "2,a,1", "2,b,0", "3,a,1",
        "2,c,1"), List.of("k")));
    PrepSettings s = new PrepSettings(MissingPolicy.FAIL, Map.of(), false, false, true, 1, 2,
        true);
    Preparation p = fit(t, s, List.of("k"));
    assertEquals(List.of("2"), p.columns().get(0).categories(), "min-frequency 2");
    assertEquals(List.of("a"), p.columns().get(1).categories(), "max-categories 1");
    RawTable later = raw(source(csv("later.csv", "k,c,y", "2,zebra,0", "7,a,1"), List.of("k")));
    double[][] x = vectors(p.apply(later));
    assertArrayEquals(new double[] {1, 0, 0, 1}, x[0], "zebra was never seen: <other>");
    assertArrayEquals(new double[] {0, 1, 1, 0}, x[1], "7 was never seen: <other>");
  }

  @Test
  void aNumericColumnWithAFewWordsIsAnErrorNamingTheValue() throws IOException {
    RawTable t = raw(source(csv("typo.csv", "a,y", "1,0", "2,1", "3,0", "x7,1"), List.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fit(t, PrepSettings.DEFAULTS, List.of()));
    assertTrue(e.getMessage().contains("typo.csv: column 'a' has a non-numeric value 'x7' in "
        + "data row 4"), e.getMessage());
    assertTrue(e.getMessage().contains("categorical-columns"), e.getMessage());
  }

  @Test
  void checkFindsMissingValuesInOtherInputs() throws IOException {
    RawTable t = raw(source(csv("train.csv", "a,y", "1,0", "2,1", "3,0"), List.of()));
    Preparation p = fit(t, PrepSettings.DEFAULTS, List.of());
    RawTable test = raw(source(csv("test.csv", "a,y", "1,0", "nan,1"), List.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p.check(test, "the input needs a value"));
    assertTrue(e.getMessage().endsWith("test.csv: column 'a' has a missing value ('nan') in "
        + "data row 2; the input needs a value"), e.getMessage());
  }

  @Test
  void parquetNullsAndNaNAreMissingAndExcludedColumnsAreLeftOut() {
    StructType schema = new StructType().add("id", DataTypes.StringType)
        .add("a", DataTypes.DoubleType).add("c", DataTypes.StringType)
        .add("y", DataTypes.IntegerType);
    List<Row> rows = List.of(RowFactory.create("r1", 2.0, "x", 0),
        RowFactory.create("r2", null, "x", 1), RowFactory.create("r3", Double.NaN, null, 0),
        RowFactory.create("r4", 6.0, "z", 1));
    String path = dir.resolve("t.parquet").toString();
    SharedSpark.session().createDataFrame(rows, schema).coalesce(1).write().parquet(path);
    DataSource src = new DataSource(path, DataSource.Format.PARQUET, 0, "y", List.of(), null,
        List.of(), List.of(), true, ",", null, List.of(), List.of("id"), Map.of(), 0);
    RawTable t = raw(src);
    assertEquals(List.of("a", "c"), t.columns(), "id is excluded, y is the label");
    Preparation p = fit(t, settings(MissingPolicy.IMPUTE, false, false), List.of());
    assertEquals(4.0, p.columns().get(0).fill(), 1e-12, "mean of 2 and 6; null and NaN missing");
    assertEquals(List.of("x", "z"), p.columns().get(1).categories());
    double[][] x = vectors(p.apply(t));
    assertArrayEquals(new double[] {4, 1, 0, 0, 0}, x[1]);
    assertArrayEquals(new double[] {4, 0, 0, 0, 1}, x[2]);
  }

  @Test
  void theFitChecksTheTrainingRowsAsCheckDoes() throws IOException {
    // the training split's counts come from the fit's own passes: what check returns
    RawTable t = raw(source(csv("mixed.csv", MIXED), List.of()));
    Preparation.Fitted imputed = Preparation.fitChecked(t,
        settings(MissingPolicy.IMPUTE, false, true), List.of(),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(imputed.preparation().check(t, "hint"), imputed.counts());
    assertEquals(new Preparation.Counts(6, 0), imputed.counts());
    PrepSettings drop = new PrepSettings(MissingPolicy.DROP, Map.of("c", MissingPolicy.IMPUTE),
        false, false, true, 100, 1, true);
    Preparation.Fitted dropped = Preparation.fitChecked(t, drop, List.of(),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(new Preparation.Counts(6, 2), dropped.counts());
    assertEquals(dropped.preparation().check(t, "hint"), dropped.counts());
  }

  @Test
  void theFitReportsTheFirstNumberBeyondTheFloatRangeAsCheckDoes() throws IOException {
    // b's 1e39 (data row 2) comes before a's -2e39 (data row 3) though a is the first column; a
    // text column's huge "number" is a category, not an error
    String[] lines = {"a,b,t,y", "1,2,x,0", "3,1e39,1e40,1", "-2e39,4,y,0", "5,6,x,1"};
    RawTable bad = raw(source(csv("over.csv", lines), List.of("t")));
    IllegalArgumentException fitted = assertThrows(IllegalArgumentException.class,
        () -> fit(bad, PrepSettings.DEFAULTS, List.of("t")));
    assertTrue(fitted.getMessage().contains("over.csv: column 'b' has the value 1e39 in data "
        + "row 2, beyond the range of a float"), fitted.getMessage());
    // the same message as check of those rows with a preparation fitted elsewhere
    RawTable good = raw(source(csv("good.csv", "a,b,t,y", "1,2,x,0", "3,4,y,1"), List.of("t")));
    Preparation p = fit(good, PrepSettings.DEFAULTS, List.of("t"));
    IllegalArgumentException checked = assertThrows(IllegalArgumentException.class,
        () -> p.check(bad, "hint"));
    assertEquals(checked.getMessage(), fitted.getMessage());
  }

  @Test
  void aTextColumnThatStartsWithNumbersKeepsTheCountsOfThoseNumbers() throws IOException {
    // the first ColumnStats.NUMERIC_RUN cells of c are numbers, so the statistics pass stops
    // counting c's values; c still turns categorical (mostly text) and its values are counted
    // in a pass of their own
    int numbers = ColumnStats.NUMERIC_RUN + 5;
    List<String> lines = new java.util.ArrayList<>(List.of("a,c,y"));
    for (int i = 0; i < numbers; i++) {
      lines.add(i + "," + (i % 2 == 0 ? "7" : "8.5") + "," + (i % 2));
    }
    for (int i = 0; i < numbers + 3; i++) {
      lines.add(i + "," + (i < 4 ? "blue" : "red") + "," + (i % 2));
    }
    RawTable t = raw(source(csv("late-text.csv", lines.toArray(String[]::new)), List.of()));
    Preparation p = fit(t, settings(MissingPolicy.FAIL, false, false), List.of());
    assertFalse(p.columns().get(0).categorical());
    ColumnPrep c = p.columns().get(1);
    assertTrue(c.categorical());
    // counts: red numbers-1, 7 and 8.5 (numbers/2 each, rounded up and down), blue 4
    assertEquals(List.of("red", "7", "8.5", "blue"), c.categories());
    assertTrue(log.toString(StandardCharsets.UTF_8).contains(
        "column 'c': categorical (text values), 4 categories"), log.toString());
  }

  @Test
  void columnStatsStopCountingANumericColumnOnlyWhenAllowed() {
    ColumnStats auto = new ColumnStats(ColumnStats.Counting.WHILE_TEXT, true);
    ColumnStats declared = new ColumnStats(ColumnStats.Counting.ALWAYS, true);
    ColumnStats early = new ColumnStats(ColumnStats.Counting.WHILE_TEXT, true);
    early.add("word", "f", 0, 0);
    for (int i = 0; i < ColumnStats.NUMERIC_RUN + 10; i++) {
      auto.add(Integer.toString(i % 3), "f", 0, i);
      declared.add(Integer.toString(i % 3), "f", 0, i);
      early.add(Integer.toString(i % 3), "f", 0, i + 1);
    }
    assertTrue(auto.countsStopped);
    assertEquals(null, auto.counts);
    assertEquals(ColumnStats.NUMERIC_RUN + 10, auto.numeric, "the other statistics go on");
    assertFalse(declared.countsStopped);
    assertEquals(3, declared.counts.size());
    assertFalse(early.countsStopped, "text came first: every value may be a category");
    assertEquals(4, early.counts.size());
    // a partition that stopped makes the merged counts incomplete
    declared.merge(auto);
    assertTrue(declared.countsStopped);
    assertEquals(null, declared.counts);
  }

  @Test
  void roundTripsThroughJson() throws IOException {
    RawTable t = raw(source(csv("mixed.csv", MIXED), List.of()));
    Preparation p = fit(t, settings(MissingPolicy.IMPUTE, false, true), List.of());
    Preparation back = Preparation.fromJson(p.toJson());
    assertEquals(p.columns(), back.columns());
    assertEquals(p.featureNames(), back.featureNames());
    List<Row> a = p.apply(t).rows().collectAsList();
    List<Row> b = back.apply(t).rows().collectAsList();
    assertEquals(a, b);
  }
}
