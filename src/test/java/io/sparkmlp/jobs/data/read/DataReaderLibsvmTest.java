package io.sparkmlp.jobs.data.read;

import static io.sparkmlp.testing.ErrorMessages.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.data.Files2;
import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.model.Task;
import io.sparkmlp.testing.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LibSVM input: sparse features, feature counts, the three label kinds. */
class DataReaderLibsvmTest {
  @TempDir Path dir;

  private static PreparedData read(String path, int numFeatures, Task task, LabelMapping mapping,
      int expected) {
    return DataReader.read(SharedSpark.session(), DataSource.libsvm(path, numFeatures), task,
        mapping, expected, true);
  }

  private static IllegalArgumentException fails(String path, int numFeatures, Task task,
      LabelMapping mapping, int expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> read(path, numFeatures, task, mapping, expected));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  @Test
  void binaryPlusMinusOneWithInferredWidth() {
    String p = Files2.write(dir, "pm.txt", "+1 1:0.5 3:2", "-1 2:1", "1 3:-1.5");
    PreparedData d = read(p, 0, Task.BINARY, null, 0);
    assertEquals(List.of("-1", "+1"), d.mapping().classNames());
    assertEquals(3, d.numFeatures());
    assertNull(d.featureNames());
    assertEquals(1, d.outputWidth());
    List<Row> rows = d.rows().collectAsList();
    assertInstanceOf(SparseVector.class, rows.get(0).getAs("features"));
    assertArrayEquals(new double[][] {{0.5, 0, 2}, {0, 1, 0}, {0, 0, -1.5}},
        Files2.vectors(rows, "features"));
    assertArrayEquals(new double[] {1, 0, 1}, Files2.doubles(rows, "label"));
  }

  @Test
  void modelWidthCoversFilesLackingTheHighestIndex() {
    String p = Files2.write(dir, "test.txt", "0 1:1", "1 2:1");
    PreparedData d = read(p, 0, Task.BINARY, LabelMapping.of("0", "1"), 5);
    assertEquals(5, d.numFeatures());
    assertArrayEquals(new double[][] {{1, 0, 0, 0, 0}, {0, 1, 0, 0, 0}},
        Files2.vectors(d.rows().collectAsList(), "features"));
    assertMentions(fails(p, 0, Task.BINARY, null, 1), p, "up to 2", "expects 1");
    assertMentions(fails(p, 4, Task.BINARY, null, 5), p, "4 features", "expects 5");
  }

  @Test
  void indexBeyondConfiguredWidthIsAnError() {
    String p = Files2.write(dir, "wide.txt", "0 1:1 7:1");
    assertMentions(fails(p, 3, Task.BINARY, null, 0), p, "feature index", "3 features");
  }

  @Test
  void multiclassAndRegressionLabels() {
    String p = Files2.write(dir, "mc.txt", "2 1:1", "0 1:2", "2 1:3");
    PreparedData d = read(p, 0, Task.MULTICLASS, null, 0);
    // the values seen: 0 and 2, no class 1 that never occurs
    assertEquals(List.of("0", "2"), d.mapping().classNames());
    assertEquals(2, d.outputWidth());
    assertArrayEquals(new double[] {1, 0, 1}, Files2.doubles(d.rows().collectAsList(), "label"));

    String r = Files2.write(dir, "reg.txt", "2.5 1:1", "-0.25 1:2");
    PreparedData g = read(r, 0, Task.REGRESSION, null, 0);
    assertNull(g.mapping());
    assertEquals(1, g.outputWidth());
    assertArrayEquals(new double[] {2.5, -0.25}, Files2.doubles(g.rows().collectAsList(), "label"));
  }

  @Test
  void labelErrors() {
    String p = Files2.write(dir, "frac.txt", "0 1:1", "1.5 1:2");
    assertMentions(fails(p, 0, Task.MULTICLASS, null, 0), "frac.txt", "'1.5'", "not an integer");
    String b = Files2.write(dir, "zero.txt", "1 1:1", "0 1:2");
    assertMentions(fails(b, 0, Task.BINARY, LabelMapping.of("-1", "+1"), 1),
        "zero.txt", "'0.0'", "not one of the model's classes [-1, +1]");
    String e = Files2.write(dir, "empty.txt");
    assertMentions(fails(e, 0, Task.BINARY, null, 0), e, "empty");
    assertMentions(fails(e, 3, Task.BINARY, null, 0), e, "empty");
  }

  @Test
  void sparkSampleMulticlassData() {
    String p = SharedSpark.dataDir()
        .resolve("spark-mllib-samples/sample_multiclass_classification_data.txt").toString();
    PreparedData d = read(p, 0, Task.MULTICLASS, null, 0);
    assertEquals(4, d.numFeatures());
    assertEquals(List.of("0", "1", "2"), d.mapping().classNames());
    assertEquals(150, d.rows().count());
  }
}
