package io.sparkmlp.jobs.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/** Small helpers for the data tests: temp files and row extraction. */
public final class Files2 {
  private Files2() {}

  /** Writes the lines (newline-terminated) to dir/name and returns the path as a string. */
  public static String write(Path dir, String name, String... lines) {
    Path p = dir.resolve(name);
    try {
      Files.writeString(p, lines.length == 0 ? "" : String.join("\n", lines) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.toString();
  }

  /** The vector in column {@code name} of each row, as dense doubles. */
  public static double[][] vectors(List<Row> rows, String name) {
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      out[i] = ((Vector) rows.get(i).getAs(name)).toArray();
    }
    return out;
  }

  /** Asserts two matrices are equal within {@code tol}, row by row. */
  public static void assertMatrix(double[][] expected, double[][] actual, double tol) {
    org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, "rows");
    for (int i = 0; i < expected.length; i++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected[i], actual[i], tol, "row " + i);
    }
  }

  /** The double in column {@code name} of each row. */
  public static double[] doubles(List<Row> rows, String name) {
    double[] out = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      out[i] = rows.get(i).<Double>getAs(name);
    }
    return out;
  }

  /** The string in column {@code name} of each row. */
  public static List<String> strings(List<Row> rows, String name) {
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(r.getAs(name));
    }
    return out;
  }
}
