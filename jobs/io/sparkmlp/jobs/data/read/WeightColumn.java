package io.sparkmlp.jobs.data.read;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.sparkmlp.jobs.config.DataSource;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

/**
 * The per-row sample weights of a CSV or Parquet input ({@code data.*.weight-column}): a numeric
 * (or numeric text) column read as a double into {@value PreparedData#WEIGHT}. A weight must be a
 * finite number &gt;= 0; the first one that is not fails the read with one line naming the file,
 * the column, the data row (found by re-reading that one file) and the value.
 */
final class WeightColumn {
  private WeightColumn() {}

  /** The weight of {@code field} as a double column (null where missing or not a number). */
  static Column value(String path, StructField field) {
    Column c = DataReader.quoted(field.name());
    if (field.dataType() instanceof NumericType) {
      return c.cast(DataTypes.DoubleType);
    }
    if (field.dataType() instanceof StringType) {
      return expr("try_cast(`" + field.name().replace("`", "``") + "` AS DOUBLE)");
    }
    throw new IllegalArgumentException(path + ": weight column '" + field.name() + "' has type "
        + field.dataType().simpleString() + "; expected numbers");
  }

  /**
   * What is wrong with a row's weight as text, or null when it is a finite number &gt;= 0.
   *
   * @param value the column of {@link #value}
   */
  static Column problem(StructField field, Column value) {
    Column raw = DataReader.quoted(field.name());
    return when(raw.isNull(), lit("a missing weight"))
        .when(value.isNull(), lit("a weight that is not a number"))
        .when(value.isNaN(), lit("a NaN weight"))
        .when(value.lt(0), lit("a negative weight"))
        .when(value.equalTo(Double.POSITIVE_INFINITY), lit("an infinite weight"));
  }

  /**
   * The error for a bad weight found in {@code file}: names the file, the column, the 1-based
   * data row when the file can be re-read, what is wrong and the value.
   */
  static IllegalArgumentException error(DataSource src, String file, String column,
      String reason, String value) {
    long row = firstBadRow(src, file, column);
    return new IllegalArgumentException(file + ": column '" + column + "' has " + reason
        + (row > 0 ? " in data row " + row : "")
        + (value == null ? "" : " '" + (value.length() <= 40 ? value
            : value.substring(0, 37) + "...") + "'")
        + " (weights are finite numbers >= 0)");
  }

  /** The 1-based data row of the first bad weight of {@code file}, or -1 if it cannot be read. */
  private static long firstBadRow(DataSource src, String file, String column) {
    if (file == null || file.isEmpty()) {
      return -1;
    }
    try {
      Dataset<Row> frame = DataReader.frame(SparkSession.active(), src.withPath(file));
      if (!List.of(frame.columns()).contains(column)) {
        return -1;
      }
      List<scala.Tuple2<Row, Long>> hit = frame.select(DataReader.quoted(column)).javaRDD()
          .zipWithIndex()
          .filter((Function<scala.Tuple2<Row, Long>, Boolean>) t -> bad(t._1().get(0)))
          .take(1);
      return hit.isEmpty() ? -1 : hit.get(0)._2() + 1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** True unless {@code v} reads as a finite number &gt;= 0. */
  private static boolean bad(Object v) {
    double d;
    if (v instanceof Number n) {
      d = n.doubleValue();
    } else if (v instanceof String s) {
      try {
        d = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return true;
      }
    } else {
      return true;
    }
    return !Double.isFinite(d) || d < 0;
  }
}
