package io.sparkmlp.jobs.data.prep;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.data.read.DataReader;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Finds the data row of a bad cell, for error messages: re-reads the one file the cell is in
 * (with the input's reader settings) and numbers its rows in file order. Runs only when a job is
 * about to fail, so its extra pass over one file costs nothing in a successful run.
 */
final class RowLocator {
  private RowLocator() {}

  /** A test on a raw cell value. */
  interface CellTest extends Serializable {
    /** True for the cell being looked for. */
    boolean test(Object value);
  }

  /**
   * A cell found: its 1-based data row (header and skipped lines not counted; -1 when unknown)
   * and its value.
   *
   * @param row   data row, or -1
   * @param value the cell's value as read (null for an empty cell)
   */
  record Found(long row, Object value) {
    /** {@code " (why) in data row N"} for a missing cell. */
    String missing() {
      return " (" + (row > 0 ? Cells.why(value) : "empty, null, NaN or infinite") + ")"
          + where(row);
    }
  }

  /** The first cell of {@code column} in {@code file} that passes {@code test}. */
  static Found first(SparkSession spark, DataSource src, String file, String column,
      CellTest test) {
    if (file == null || file.isEmpty()) {
      return new Found(-1, null);
    }
    try {
      var frame = DataReader.frame(spark, src.withPath(file));
      if (!List.of(frame.columns()).contains(column)) {
        return new Found(-1, null);
      }
      var rows = frame.select(frame.col("`" + column.replace("`", "``") + "`")).javaRDD()
          .zipWithIndex()
          .filter((Function<scala.Tuple2<Row, Long>, Boolean>) t -> test.test(t._1().get(0)));
      List<scala.Tuple2<Row, Long>> hit = rows.take(1);
      return hit.isEmpty() ? new Found(-1, null)
          : new Found(hit.get(0)._2() + 1, hit.get(0)._1().get(0));
    } catch (RuntimeException e) {
      return new Found(-1, null);
    }
  }

  /**
   * The 1-based data row (header and skipped lines not counted) of the first cell of
   * {@code column} in {@code file} that passes {@code test}, or -1 if it cannot be found.
   */
  static long firstRow(SparkSession spark, DataSource src, String file, String column,
      CellTest test) {
    if (file == null || file.isEmpty()) {
      return -1;
    }
    try {
      var frame = DataReader.frame(spark, src.withPath(file));
      if (!List.of(frame.columns()).contains(column)) {
        return -1;
      }
      var rows = frame.select(frame.col("`" + column.replace("`", "``") + "`")).javaRDD()
          .zipWithIndex()
          .filter((Function<scala.Tuple2<Row, Long>, Boolean>) t -> test.test(t._1().get(0)));
      List<scala.Tuple2<Row, Long>> first = rows.take(1);
      return first.isEmpty() ? -1 : first.get(0)._2() + 1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** {@code " in data row N"}, or nothing when the row is unknown. */
  static String where(long row) {
    return row > 0 ? " in data row " + row : "";
  }
}
