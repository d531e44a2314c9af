package io.sparkmlp.jobs.data.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.score.Predictor;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output columns per format, atomic rename, refusal and overwrite of an existing path. */
class PredictionWriterTest {
  private static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType)
      .add("features", SQLDataTypes.VectorType());

  @TempDir Path dir;

  private static Dataset<Row> predictions(int inputWidth, double... xs) {
    Row[] rows = new Row[xs.length];
    for (int i = 0; i < xs.length; i++) {
      rows[i] = RowFactory.create("r" + i, Vectors.dense(xs[i]));
    }
    Dataset<Row> in = SharedSpark.session().createDataFrame(List.of(rows), SCHEMA);
    NetworkSpec spec = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.RELU),
        inputWidth, 1);
    return Predictor.predict(in, spec, new float[inputWidth + 1], null,
        LabelMapping.of("no", "yes"));
  }

  private List<String> siblings() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void csvFlattensProbabilitiesByClassName() {
    String out = dir.resolve("pred-csv").toString();
    PredictionWriter.write(predictions(1, 1, 2), List.of("id"), out, "CSV", false);
    Dataset<Row> back = SharedSpark.session().read().option("header", true).csv(out);
    assertEquals(List.of("id", "prediction", "prob_no", "prob_yes"), List.of(back.columns()));
    List<Row> rows = back.orderBy("id").collectAsList();
    assertEquals("r0", rows.get(0).getString(0));
    assertEquals("no", rows.get(0).getString(1));
    assertEquals(0.5, Double.parseDouble(rows.get(0).getString(3)), 1e-9);
  }

  @Test
  void parquetKeepsVectorsAsArrays() {
    String out = dir.resolve("pred-parquet").toString();
    PredictionWriter.write(predictions(1, 1), List.of("id"), out, "parquet", false);
    Row r = SharedSpark.session().read().parquet(out).first();
    assertEquals(List.of("id", "prediction", "probability"), List.of(r.schema().fieldNames()));
    assertArrayEquals(new Object[] {0.5, 0.5}, r.getList(2).toArray());
  }

  @Test
  void refusesExistingPathUnlessOverwrite() throws IOException {
    String out = dir.resolve("pred").toString();
    PredictionWriter.write(predictions(1, 1), List.of("id"), out, "parquet", false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PredictionWriter.write(predictions(1, 1, 2), List.of("id"), out, "parquet", false));
    assertTrue(e.getMessage().contains(out) && e.getMessage().contains("exists"),
        e.getMessage());
    assertEquals(1, SharedSpark.session().read().parquet(out).count());

    PredictionWriter.write(predictions(1, 1, 2, 3), List.of("id"), out, "parquet", true);
    assertEquals(3, SharedSpark.session().read().parquet(out).count());
    assertEquals(List.of("pred"), siblings());
  }

  @Test
  void failedWriteLeavesNothingBehind() throws IOException {
    String out = dir.resolve("broken").toString();
    // the network expects 2 features, the rows have 1: the job fails while writing
    Dataset<Row> bad = predictions(2, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PredictionWriter.write(bad, List.of("id"), out, "parquet", false));
    assertEquals("a row has 1 features but the model expects 2", e.getMessage());
    assertFalse(Files.exists(Path.of(out)));
    assertEquals(List.of(), siblings());
  }

  @Test
  void badFormatAndColumns() {
    String out = dir.resolve("x").toString();
    assertThrows(IllegalArgumentException.class,
        () -> PredictionWriter.write(predictions(1, 1), List.of(), out, "json", false));
    assertThrows(IllegalArgumentException.class,
        () -> PredictionWriter.write(predictions(1, 1), List.of("nope"), out, "csv", false));
  }
}
