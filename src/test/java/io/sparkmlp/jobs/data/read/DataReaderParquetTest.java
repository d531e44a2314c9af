package io.sparkmlp.jobs.data.read;

import static io.sparkmlp.testing.ErrorMessages.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet input: vector and array columns, numeric columns, multi-label and multi-target. */
class DataReaderParquetTest {
  @TempDir Path dir;

  private String parquet(String name, StructType schema, Row... rows) {
    String p = dir.resolve(name).toString();
    SharedSpark.session().createDataFrame(List.of(rows), schema).coalesce(1).write().parquet(p);
    return p;
  }

  private static DataSource src(String path, String label, List<String> labels, String features,
      List<String> featureCols, List<String> ids) {
    return new DataSource(path, DataSource.Format.PARQUET, 0, label, labels, features,
        featureCols, ids, true, ",");
  }

  private static PreparedData read(DataSource src, Task task, LabelMapping mapping) {
    return DataReader.read(SharedSpark.session(), src, task, mapping, 0, true);
  }

  private static IllegalArgumentException fails(DataSource src, Task task) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> read(src, task, null));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  @Test
  void vectorFeaturesWithStringClasses() {
    StructType schema = new StructType().add("id", DataTypes.LongType)
        .add("f", SQLDataTypes.VectorType()).add("y", DataTypes.StringType);
    String p = parquet("vec", schema,
        RowFactory.create(1L, Vectors.dense(1, 2), "spam"),
        RowFactory.create(2L, Vectors.sparse(2, new int[] {1}, new double[] {5}), "ham"));
    PreparedData d = read(src(p, "y", List.of(), "f", List.of(), List.of("id")), Task.BINARY,
        null);
    assertEquals(List.of("ham", "spam"), d.mapping().classNames());
    assertEquals(2, d.numFeatures());
    assertNull(d.featureNames());
    List<Row> rows = d.rows().orderBy("id").collectAsList();
    assertArrayEquals(new double[][] {{1, 2}, {0, 5}}, Files2.vectors(rows, "features"));
    assertArrayEquals(new double[] {1, 0}, Files2.doubles(rows, "label"));
    assertEquals(1L, rows.get(0).<Long>getAs("id"));
  }

  @Test
  void arrayFeaturesAndMultiLabelArray() {
    StructType schema = new StructType()
        .add("f", DataTypes.createArrayType(DataTypes.FloatType))
        .add("tags", DataTypes.createArrayType(DataTypes.IntegerType));
    String p = parquet("arr", schema,
        RowFactory.create(List.of(1f, 2f, 3f).toArray(), new Integer[] {1, 0}),
        RowFactory.create(new Float[] {4f, 5f, 6f}, new Integer[] {0, 0}));
    PreparedData d = read(src(p, "tags", List.of(), "f", List.of(), List.of()), Task.MULTILABEL,
        null);
    assertEquals(List.of("0", "1"), d.mapping().classNames());
    assertEquals(2, d.outputWidth());
    assertEquals(3, d.numFeatures());
    List<Row> rows = d.rows().collectAsList();
    assertArrayEquals(new double[][] {{1, 2, 3}, {4, 5, 6}}, Files2.vectors(rows, "features"));
    assertArrayEquals(new double[][] {{1, 0}, {0, 0}}, Files2.vectors(rows, "label"));
  }

  @Test
  void numericColumnsAndMultiTargetRegression() {
    StructType schema = new StructType().add("a", DataTypes.IntegerType)
        .add("b", DataTypes.DoubleType).add("c", DataTypes.StringType)
        .add("t1", DataTypes.DoubleType).add("t2", DataTypes.FloatType);
    String p = parquet("num", schema, RowFactory.create(1, 0.5, "2.5", 10.0, -1f));
    PreparedData d = read(src(p, null, List.of("t1", "t2"), null, List.of(), List.of()),
        Task.REGRESSION, null);
    assertNull(d.mapping());
    assertEquals(2, d.outputWidth());
    assertEquals(List.of("a", "b", "c"), d.featureNames());
    List<Row> rows = d.rows().collectAsList();
    assertArrayEquals(new double[][] {{1, 0.5, 2.5}}, Files2.vectors(rows, "features"));
    assertArrayEquals(new double[][] {{10, -1}}, Files2.vectors(rows, "label"));
  }

  @Test
  void vectorLabelForRegression() {
    StructType schema = new StructType().add("f", SQLDataTypes.VectorType())
        .add("y", SQLDataTypes.VectorType());
    String p = parquet("vlab", schema, RowFactory.create(Vectors.dense(1), Vectors.dense(2, 3)));
    PreparedData d = read(src(p, "y", List.of(), "f", List.of(), List.of()), Task.REGRESSION,
        null);
    assertEquals(2, d.outputWidth());
    assertArrayEquals(new double[][] {{2, 3}}, Files2.vectors(d.rows().collectAsList(), "label"));
  }

  @Test
  void errorsNameFileAndColumn() {
    StructType schema = new StructType().add("a", DataTypes.StringType)
        .add("flag", DataTypes.BooleanType).add("label", DataTypes.IntegerType);
    String p = parquet("bad", schema, RowFactory.create("1", true, 0),
        RowFactory.create("x7", false, 1));
    assertMentions(fails(src(p, "label", List.of(), null, List.of("a"), List.of()), Task.BINARY),
        "part-", "column 'a'", "'x7'");
    assertMentions(fails(src(p, "label", List.of(), null, List.of(), List.of()), Task.BINARY),
        p, "'flag'", "boolean");
    assertMentions(fails(src(p, "label", List.of(), "a", List.of(), List.of()), Task.BINARY),
        p, "features column 'a'", "string");

    StructType ragged = new StructType().add("f", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("label", DataTypes.IntegerType);
    String q = parquet("ragged", ragged, RowFactory.create(new Double[] {1.0}, 0),
        RowFactory.create(new Double[] {1.0, 2.0}, 1));
    assertMentions(fails(src(q, "label", List.of(), "f", List.of(), List.of()), Task.BINARY),
        q, "'f'", "different lengths (1 to 2)");
  }
}
