package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** A packed block is ordered by row hash: the same rows in any order pack to the same block. */
class RowPackerOrderTest {

  private static final NetworkSpec SPEC =
      NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.RELU), 3, 4, 3);

  private static List<Row> rows(int n) {
    SplittableRandom r = new SplittableRandom(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create(Vectors.dense(r.nextGaussian(), r.nextGaussian(), i),
          (double) r.nextInt(3)));
    }
    return rows;
  }

  @Test
  void rowsInAnyOrderPackToTheSameBlock() {
    List<Row> rows = rows(500);
    List<Row> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new java.util.Random(9));
    RowPacker packer = new RowPacker(SPEC, RowPacker.InvalidRows.FAIL);
    PackedBlock a = packer.pack(0, rows.iterator(), 0.0, 1L, false);
    PackedBlock b = packer.pack(0, shuffled.iterator(), 0.0, 1L, false);
    assertEquals(500, a.rows());
    assertArrayEquals(a.rowHashes(), b.rowHashes());
    assertArrayEquals(a.features(), b.features());
    assertArrayEquals(a.labels(), b.labels());
    for (int i = 1; i < a.rows(); i++) {
      assertTrue(a.rowHashes()[i] >= a.rowHashes()[i - 1], "row " + i);
    }
  }

  @Test
  void eachRowKeepsItsOwnLabelAndHash() {
    List<Row> rows = rows(200);
    PackedBlock b = new RowPacker(SPEC, RowPacker.InvalidRows.FAIL)
        .pack(0, rows.iterator(), 0.0, 1L, false);
    for (int i = 0; i < b.rows(); i++) {
      // the third feature is the row's original index: the label and hash must travel with it
      Row src = rows.get((int) b.features()[i * 3 + 2]);
      assertEquals((float) src.getDouble(1), b.labels()[i]);
      assertEquals(RowHash.of(b.features(), i * 3, 3, b.labels(), i, 1), b.rowHashes()[i]);
    }
  }
}
