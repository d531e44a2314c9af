package io.sparkmlp.jobs.data.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.jobs.data.Files2;
import io.sparkmlp.testing.SharedSpark;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Mean and population std against a hand computation; constant features; apply. */
class StandardizationTest {
  private static final StructType SCHEMA = new StructType().add("id", DataTypes.IntegerType)
      .add("features", SQLDataTypes.VectorType());

  /** Feature 0: 1,3,5,7 (mean 4, var 5); feature 1: constant 10; feature 2: 0,4,0,0 (mean 1, var 3). */
  private static Dataset<Row> rows() {
    List<Row> rows = List.of(
        RowFactory.create(0, Vectors.dense(1, 10, 0)),
        RowFactory.create(1, Vectors.sparse(3, new int[] {0, 1, 2}, new double[] {3, 10, 4})),
        RowFactory.create(2, Vectors.dense(5, 10, 0)),
        RowFactory.create(3, Vectors.sparse(3, new int[] {0, 1}, new double[] {7, 10})));
    // five partitions for four rows: the merge sees an empty partition
    return SharedSpark.session().createDataFrame(SharedSpark.jsc().parallelize(rows, 5), SCHEMA);
  }

  @Test
  void fitMatchesHandComputation() {
    Standardization s = Standardization.fit(rows());
    assertArrayEquals(new float[] {4f, 10f, 1f}, s.mean(), 1e-6f);
    assertArrayEquals(new float[] {(float) Math.sqrt(5), 1f, (float) Math.sqrt(3)}, s.std(),
        1e-6f);
  }

  @Test
  void applyCentersAndScales() {
    Standardization s = new Standardization(new float[] {4f, 10f, 1f},
        new float[] {2f, 1f, 0.5f});
    List<Row> out = s.apply(rows()).orderBy("id").collectAsList();
    assertEquals(List.of("id", "features"), List.of(s.apply(rows()).columns()));
    assertArrayEquals(new double[][] {{-1.5, 0, -2}, {-0.5, 0, 6}, {0.5, 0, -2}, {1.5, 0, -2}},
        Files2.vectors(out, "features"));
  }

  @Test
  void validation() {
    assertThrows(IllegalArgumentException.class,
        () -> new Standardization(new float[] {0f}, new float[] {0f}));
    assertThrows(IllegalArgumentException.class,
        () -> new Standardization(new float[] {0f, 1f}, new float[] {1f}));
    Dataset<Row> empty = SharedSpark.session().createDataFrame(List.of(), SCHEMA);
    assertThrows(IllegalArgumentException.class, () -> Standardization.fit(empty));
  }
}
