package io.sparkmlp.jobs.data.read;

import static io.sparkmlp.testing.ErrorMessages.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.data.Files2;
import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.model.Task;
import io.sparkmlp.testing.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV input: strict numeric parsing, label kinds and mappings, one-line errors. */
class DataReaderCsvTest {
  @TempDir Path dir;

  private static SparkSession spark() {
    return SharedSpark.session();
  }

  private static DataSource csv(String path, String label, List<String> ids) {
    return new DataSource(path, DataSource.Format.CSV, 0, label, List.of(), null, List.of(), ids,
        true, ",");
  }

  private static List<Row> rows(PreparedData d) {
    return d.rows().collectAsList();
  }

  private static IllegalArgumentException fails(DataSource src, Task task, LabelMapping mapping,
      int expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DataReader.read(spark(), src, task, mapping, expected, true));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  @Test
  void stringClassesGetASortedMapping() {
    String p = Files2.write(dir, "iris.csv",
        "id,x1,x2,label",
        "a,1.5,2,virginica",
        "b, 3 ,-4e-1,setosa",
        "c,0,7,versicolor",
        "d,1,1,setosa");
    PreparedData d = DataReader.read(spark(), csv(p, "label", List.of("id")), Task.MULTICLASS,
        null, 0, true);
    assertEquals(List.of("setosa", "versicolor", "virginica"), d.mapping().classNames());
    assertEquals(2, d.numFeatures());
    assertEquals(List.of("x1", "x2"), d.featureNames());
    assertEquals(3, d.outputWidth());
    assertTrue(d.hasLabel());
    assertEquals(p, d.path());
    List<Row> rows = rows(d);
    assertEquals(List.of("id", "features", "label"), List.of(d.rows().columns()));
    assertEquals(List.of("a", "b", "c", "d"), Files2.strings(rows, "id"));
    assertArrayEquals(new double[][] {{1.5, 2}, {3, -0.4}, {0, 7}, {1, 1}},
        Files2.vectors(rows, "features"));
    assertArrayEquals(new double[] {2, 0, 1, 0}, Files2.doubles(rows, "label"));
  }

  @Test
  void integerClassesAreTheValuesSeen() {
    String p = Files2.write(dir, "m.csv", "x1,label", "1,2", "2,0", "3,2.0");
    PreparedData d = DataReader.read(spark(), csv(p, "label", List.of()), Task.MULTICLASS, null,
        0, true);
    assertEquals(List.of("0", "2"), d.mapping().classNames());
    assertArrayEquals(new double[] {1, 0, 1}, Files2.doubles(rows(d), "label"));
  }

  @Test
  void binaryLabels() {
    String zeroOne = Files2.write(dir, "b01.csv", "x,y", "1,1", "2,0", "3,1");
    PreparedData a = DataReader.read(spark(), csv(zeroOne, "y", List.of()), Task.BINARY, null, 0,
        true);
    assertEquals(List.of("0", "1"), a.mapping().classNames());
    assertEquals(1, a.outputWidth());
    assertArrayEquals(new double[] {1, 0, 1}, Files2.doubles(rows(a), "label"));

    String pm = Files2.write(dir, "pm.csv", "x,y", "1,+1", "2,-1", "3,1");
    PreparedData b = DataReader.read(spark(), csv(pm, "y", List.of()), Task.BINARY, null, 0,
        true);
    assertEquals(List.of("-1", "+1"), b.mapping().classNames());
    assertArrayEquals(new double[] {1, 0, 1}, Files2.doubles(rows(b), "label"));

    String names = Files2.write(dir, "yn.csv", "x,y", "1,yes", "2,no", "3,yes");
    PreparedData c = DataReader.read(spark(), csv(names, "y", List.of()), Task.BINARY, null, 0,
        true);
    assertEquals(List.of("no", "yes"), c.mapping().classNames());
    assertArrayEquals(new double[] {1, 0, 1}, Files2.doubles(rows(c), "label"));

    // evaluate time: the model's mapping decides, numeric spellings match
    PreparedData e = DataReader.read(spark(), csv(zeroOne, "y", List.of()), Task.BINARY,
        LabelMapping.of("1", "0"), 1, true);
    assertArrayEquals(new double[] {0, 1, 0}, Files2.doubles(rows(e), "label"));
  }

  @Test
  void regressionWithChosenFeatureColumnsAndDelimiter() {
    String p = Files2.write(dir, "r.csv", "x1;skip;x2;target", "1;a;2;0.5", "3;b;4;-1.25");
    DataSource src = new DataSource(p, DataSource.Format.CSV, 0, "target", List.of(), null,
        List.of("x2", "x1"), List.of(), true, ";");
    PreparedData d = DataReader.read(spark(), src, Task.REGRESSION, null, 0, true);
    assertNull(d.mapping());
    assertEquals(1, d.outputWidth());
    assertEquals(List.of("x2", "x1"), d.featureNames());
    List<Row> rows = rows(d);
    assertArrayEquals(new double[][] {{2, 1}, {4, 3}}, Files2.vectors(rows, "features"));
    assertArrayEquals(new double[] {0.5, -1.25}, Files2.doubles(rows, "label"));
  }

  @Test
  void multiLabelFromSeveralColumns() {
    String p = Files2.write(dir, "ml.csv", "x,a,b,c", "1,1,0,1", "2,0,0,0");
    DataSource src = new DataSource(p, DataSource.Format.CSV, 0, null, List.of("a", "b", "c"),
        null, List.of(), List.of(), true, ",");
    PreparedData d = DataReader.read(spark(), src, Task.MULTILABEL, null, 0, true);
    assertEquals(List.of("a", "b", "c"), d.mapping().classNames());
    assertEquals(3, d.outputWidth());
    assertEquals(List.of("x"), d.featureNames());
    assertArrayEquals(new double[][] {{1, 0, 1}, {0, 0, 0}}, Files2.vectors(rows(d), "label"));

    // the model's label order wins
    PreparedData e = DataReader.read(spark(), src, Task.MULTILABEL, LabelMapping.of("c", "a", "b"),
        1, true);
    assertArrayEquals(new double[][] {{1, 1, 0}, {0, 0, 0}}, Files2.vectors(rows(e), "label"));

    String bad = Files2.write(dir, "ml2.csv", "x,a,b,c", "1,1,2,1");
    assertMentions(fails(src.withPath(bad), Task.MULTILABEL, null, 0), "ml2.csv", "'b'", "'2'");
  }

  @Test
  void predictionInputWithoutLabel() {
    String p = Files2.write(dir, "nolabel.csv", "id,x1,x2", "7,1,2");
    PreparedData d = DataReader.read(spark(), csv(p, "label", List.of("id")), Task.BINARY,
        LabelMapping.of("no", "yes"), 2, false);
    assertFalse(d.hasLabel());
    assertEquals(List.of("id", "features"), List.of(d.rows().columns()));
    assertEquals(List.of("no", "yes"), d.mapping().classNames());
    assertArrayEquals(new double[][] {{1, 2}}, Files2.vectors(rows(d), "features"));
  }

  @Test
  void nonNumericAndEmptyCellsNameFileColumnAndValue() {
    String p = Files2.write(dir, "bad.csv", "x1,x2,label", "1,2,0", "3,abc,1");
    assertMentions(fails(csv(p, "label", List.of()), Task.BINARY, null, 0),
        "bad.csv", "column 'x2'", "non-numeric value 'abc'");
    String q = Files2.write(dir, "empty-cell.csv", "x1,x2,label", "1,,0");
    assertMentions(fails(csv(q, "label", List.of()), Task.BINARY, null, 0),
        "empty-cell.csv", "column 'x2'", "empty value");
  }

  @Test
  void missingPathEmptyInputAndMissingColumns() {
    String nope = dir.resolve("nope.csv").toString();
    assertMentions(fails(csv(nope, "label", List.of()), Task.BINARY, null, 0),
        nope, "does not exist");
    String blank = Files2.write(dir, "blank.csv");
    assertMentions(fails(csv(blank, "label", List.of()), Task.BINARY, null, 0), blank, "empty");
    String header = Files2.write(dir, "header-only.csv", "x1,label");
    assertMentions(fails(csv(header, "label", List.of()), Task.BINARY, null, 0),
        header, "empty");
    String p = Files2.write(dir, "nolabel.csv", "x1,x2", "1,2");
    assertMentions(fails(csv(p, "y", List.of()), Task.BINARY, null, 0),
        p, "label column 'y' not found");
    assertMentions(fails(csv(p, "x2", List.of("id")), Task.BINARY, null, 0),
        p, "id column 'id' not found");
  }

  @Test
  void labelErrorsNameTheFileAndLabel() {
    String frac = Files2.write(dir, "frac.csv", "x,label", "1,0", "2,1.5");
    assertMentions(fails(csv(frac, "label", List.of()), Task.MULTICLASS, null, 0),
        "frac.csv", "'1.5'", "not an integer");
    String p = Files2.write(dir, "unknown.csv", "x,label", "1,setosa", "2,dahlia");
    assertMentions(fails(csv(p, "label", List.of()), Task.MULTICLASS,
        LabelMapping.of("setosa", "versicolor", "virginica"), 1),
        "unknown.csv", "'dahlia'", "not one of the model's classes");
    String three = Files2.write(dir, "three.csv", "x,label", "1,a", "2,b", "3,c");
    assertMentions(fails(csv(three, "label", List.of()), Task.BINARY, null, 0),
        three, "exactly two classes");
  }

  @Test
  void featureCountMismatchNamesPathAndBothCounts() {
    String p = Files2.write(dir, "two.csv", "x1,x2,label", "1,2,0");
    assertMentions(fails(csv(p, "label", List.of()), Task.BINARY, null, 3),
        p, "2 features", "expects 3");
  }

  @Test
  void malformedRecordIsAnError() {
    String p = Files2.write(dir, "short.csv", "x1,x2,label", "1,2,0", "3,4");
    assertMentions(fails(csv(p, "label", List.of()), Task.BINARY, null, 0),
        p, "cannot read csv");
  }
}
