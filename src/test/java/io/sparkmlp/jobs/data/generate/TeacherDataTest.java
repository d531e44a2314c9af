package io.sparkmlp.jobs.data.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.config.TeacherSettings;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.read.DataReader;
import io.sparkmlp.model.Task;
import io.sparkmlp.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The teacher-network generator: determinism, schema and labels per task, noise, Parquet. */
class TeacherDataTest {
  @TempDir Path dir;

  private static TeacherSettings settings(Task task, int outputs, long rows, int partitions,
      double noise) {
    return new TeacherSettings(rows, 6, List.of(8, 4), outputs, task, 7L, partitions, noise);
  }

  private static List<Row> rows(TeacherSettings s) {
    return TeacherData.generate(SharedSpark.session(), s).collectAsList();
  }

  private static float[] features(Row r) {
    if (r.get(0) instanceof float[] f) {
      return f; // TeacherData.row: the generator's own array
    }
    List<Float> l = r.getList(0);
    float[] f = new float[l.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = l.get(i);
    }
    return f;
  }

  @Test
  void sameSeedSameRowsWhateverThePartitionCount() {
    TeacherSettings two = settings(Task.MULTICLASS, 3, 500, 2, 0);
    TeacherSettings seven = settings(Task.MULTICLASS, 3, 500, 7, 0);
    List<Row> a = rows(two);
    List<Row> b = rows(two);
    List<Row> c = rows(seven);
    assertEquals(500, a.size());
    assertEquals(7, TeacherData.generate(SharedSpark.session(), seven).rdd().getNumPartitions());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(features(a.get(i)), features(b.get(i)), "row " + i);
      assertArrayEquals(features(a.get(i)), features(c.get(i)), "row " + i + " (7 partitions)");
      assertEquals(a.get(i).getInt(1), c.get(i).getInt(1), "row " + i);
      // the driver-side row function gives the same row
      assertArrayEquals(features(a.get(i)), features(TeacherData.row(two, i)));
    }
  }

  @Test
  void anotherSeedOtherRowsAndRangesAreSlicesOfTheSameData() {
    TeacherSettings s = settings(Task.MULTICLASS, 3, 100, 3, 0);
    TeacherSettings other = new TeacherSettings(100, 6, List.of(8, 4), 3,
        Task.MULTICLASS, 8L, 3, 0);
    assertFalse(java.util.Arrays.equals(features(rows(s).get(0)), features(rows(other).get(0))));
    List<Row> tail = TeacherData.generate(SharedSpark.session(), s, 60, 40).collectAsList();
    List<Row> all = rows(s);
    for (int i = 0; i < 40; i++) {
      assertArrayEquals(features(all.get(60 + i)), features(tail.get(i)));
    }
  }

  @Test
  void schemaAndLabelsPerTask() {
    TeacherSettings multi = settings(Task.MULTICLASS, 4, 2000, 2, 0);
    TeacherSettings binary = settings(Task.BINARY, 1, 2000, 2, 0);
    TeacherSettings multilabel = settings(Task.MULTILABEL, 3, 2000, 2, 0);
    TeacherSettings regression = settings(Task.REGRESSION, 1, 200, 2, 0);
    TeacherSettings targets = settings(Task.REGRESSION, 2, 200, 2, 0);
    for (TeacherSettings s : List.of(multi, binary, multilabel, regression, targets)) {
      Dataset<Row> df = TeacherData.generate(SharedSpark.session(), s);
      assertEquals(TeacherData.schema(s), df.schema(), s.task().toString());
      for (Row r : df.collectAsList()) {
        assertEquals(6, r.getList(0).size());
      }
    }
    assertEquals(DataTypes.IntegerType, TeacherData.schema(multi).apply("label").dataType());
    int[] counts = new int[4];
    for (Row r : rows(multi)) {
      int y = r.getInt(1);
      assertTrue(y >= 0 && y < 4, "class " + y);
      counts[y]++;
    }
    assertTrue(java.util.Arrays.stream(counts).filter(c -> c > 0).count() >= 2,
        java.util.Arrays.toString(counts));
    int positives = 0;
    for (Row r : rows(binary)) {
      int y = r.getInt(1);
      assertTrue(y == 0 || y == 1);
      positives += y;
    }
    assertTrue(positives > 0 && positives < 2000, "both classes: " + positives);
    for (Row r : rows(multilabel)) {
      List<Float> y = r.getList(1);
      assertEquals(3, y.size());
      for (float v : y) {
        assertTrue(v == 0f || v == 1f, "0/1: " + v);
      }
    }
    for (Row r : rows(targets)) {
      assertEquals(2, r.getList(1).size());
    }
  }

  @Test
  void labelsAreTheTeachersOnTheStoredFloatFeatures() {
    TeacherSettings s = settings(Task.REGRESSION, 1, 50, 2, 0);
    TeacherData.Teacher t = new TeacherData.Teacher(s.layers(), s.seed());
    for (Row r : rows(s)) {
      assertEquals(t.forward(features(r))[0], r.getDouble(1), 0.0);
    }
  }

  @Test
  void regressionNoiseHasTheConfiguredSpreadAndKeepsTheFeatures() {
    TeacherSettings clean = settings(Task.REGRESSION, 1, 4000, 2, 0);
    TeacherSettings noisy = settings(Task.REGRESSION, 1, 4000, 2, 0.5);
    List<Row> a = rows(clean);
    List<Row> b = rows(noisy);
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(features(a.get(i)), features(b.get(i)), "noise leaves the features");
      double d = b.get(i).getDouble(1) - a.get(i).getDouble(1);
      sum += d;
      sq += d * d;
    }
    double mean = sum / a.size();
    double std = Math.sqrt(sq / a.size() - mean * mean);
    assertEquals(0.0, mean, 0.05);
    assertEquals(0.5, std, 0.05);
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> settings(Task.MULTICLASS, 3, 0, 2, 0));
    assertThrows(IllegalArgumentException.class, () -> settings(Task.BINARY, 2, 10, 2, 0));
    assertThrows(IllegalArgumentException.class, () -> settings(Task.MULTICLASS, 1, 10, 2, 0));
    assertThrows(IllegalArgumentException.class, () -> settings(Task.REGRESSION, 1, 10, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> settings(Task.REGRESSION, 1, 10, 2, -1));
  }

  @Test
  void writesParquetAtomicallyThatTheReaderReads() throws Exception {
    TeacherSettings s = settings(Task.MULTILABEL, 3, 300, 3, 0);
    String out = dir.resolve("ml.parquet").toString();
    long bytes = TeacherData.write(SharedSpark.session(), s, out, false);
    assertTrue(bytes > 300 * 6 * 4, "size " + bytes);
    try (var files = Files.list(dir)) {
      assertEquals(List.of("ml.parquet"), files.map(p -> p.getFileName().toString()).toList(),
          "no temporary directory is left");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TeacherData.write(SharedSpark.session(), s, out, false));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    TeacherData.write(SharedSpark.session(), s, out, true);

    DataSource src = new DataSource(out, DataSource.Format.PARQUET, 0, "label", List.of(),
        "features", List.of(), List.of(), true, ",");
    PreparedData d = DataReader.read(SharedSpark.session(), src, Task.MULTILABEL, null, 0, true);
    assertEquals(6, d.numFeatures());
    assertEquals(3, d.outputWidth());
    assertEquals(300, d.rows().count());
    assertNotEquals(0, d.rows().select("label").distinct().count());
  }
}
