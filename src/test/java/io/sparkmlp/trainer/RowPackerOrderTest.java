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

/**
 * A packed block is ordered by row hash: the same rows in any order pack to the same block; one
 * pass packs a partition's training and held-out blocks exactly as two passes would.
 */
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

  @Test
  void onePassSplitEqualsTheTwoSeparatePacks() {
    List<Row> rows = new ArrayList<>(rows(600));
    // two rows with a non-finite feature: dropped and counted by every block of the partition
    rows.add(RowFactory.create(Vectors.dense(Double.NaN, 1, 2), 1.0));
    rows.add(RowFactory.create(Vectors.dense(0, Double.POSITIVE_INFINITY, 2), 2.0));
    RowPacker packer = new RowPacker(SPEC, RowPacker.InvalidRows.DROP);
    PackedBlock[] split = packer.packSplit(3, rows.iterator(), 0.25, 42L);
    PackedBlock train = packer.pack(3, rows.iterator(), 0.25, 42L, false);
    PackedBlock held = packer.pack(3, rows.iterator(), 0.25, 42L, true);
    assertEquals(600, split[0].rows() + split[1].rows());
    assertTrue(split[1].rows() > 100 && split[1].rows() < 200, "about a quarter held out: "
        + split[1].rows());
    assertSameBlock(train, split[0]);
    assertSameBlock(held, split[1]);
    assertEquals(2, split[0].droppedRows());
    assertEquals(2, split[1].droppedRows());
    // another seed draws another split
    PackedBlock[] other = packer.packSplit(3, rows.iterator(), 0.25, 43L);
    assertTrue(!java.util.Arrays.equals(split[1].rowHashes(), other[1].rowHashes()));
    // fraction 0 holds nothing out
    PackedBlock[] none = packer.packSplit(3, rows.iterator(), 0.0, 42L);
    assertEquals(600, none[0].rows());
    assertEquals(0, none[1].rows());
  }

  private static void assertSameBlock(PackedBlock expected, PackedBlock actual) {
    assertEquals(expected.rows(), actual.rows());
    assertArrayEquals(expected.rowHashes(), actual.rowHashes());
    assertArrayEquals(expected.features(), actual.features());
    assertArrayEquals(expected.labels(), actual.labels());
    assertEquals(expected.droppedRows(), actual.droppedRows());
  }
}
