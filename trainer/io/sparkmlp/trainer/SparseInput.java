package io.sparkmlp.trainer;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Whether the trainer packs the features sparse (CSR: memory and first-layer work proportional to
 * the non-zeros) or dense, decided per dataset from its density.
 *
 * <p>Density = non-zero features / (rows x features), measured in one pass over the training rows.
 * Sparse when it is below {@value #DENSITY_THRESHOLD}: a CSR entry costs 8 bytes (column and value)
 * against 4 for a dense float, so CSR is smaller below a density of 0.5; the sparse first layer
 * visits a column of W with stride equal to the input width for every non-zero, about 4-5 times
 * the cost per multiply-add of the blocked dense product (sgemm), so it is also faster only well
 * below that. 0.1 keeps every dense-looking dataset (MNIST pixels: 0.19; a9a one-hot: 0.11) on the
 * dense path and anything hashed or one-hot in the thousands or more on the sparse path.
 */
public final class SparseInput {
  private SparseInput() {}

  /** Below this density (non-zeros / (rows x features)) the features are packed sparse. */
  public static final double DENSITY_THRESHOLD = 0.1;

  /** The {@code data.sparse} setting. */
  public enum Mode {
    /** Sparse when the measured density is below {@link #DENSITY_THRESHOLD}. */
    AUTO,
    /** Always sparse (CSR). */
    TRUE,
    /** Always dense. */
    FALSE;

    /** The mode named {@code auto}, {@code true} or {@code false} (any case). */
    public static Mode of(String name) {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
  }

  /**
   * The measured shape of a dataset's features.
   *
   * @param rows      rows
   * @param width     features per row (0 when there are no rows)
   * @param nonZeros  non-zero feature values over all rows
   */
  public record Density(long rows, int width, long nonZeros) implements Serializable {
    /** nonZeros / (rows x width); 1 for an empty dataset. */
    public double density() {
      return rows == 0 || width == 0 ? 1.0 : (double) nonZeros / ((double) rows * width);
    }

    /** True if the density is below {@link #DENSITY_THRESHOLD}. */
    public boolean sparse() {
      return density() < DENSITY_THRESHOLD;
    }

    /** E.g. {@code "density 0.00002 (4,000 non-zeros in 200 rows x 1,000,000 features)"}. */
    public String describe() {
      String d = new java.math.BigDecimal(density()).round(new java.math.MathContext(2))
          .stripTrailingZeros().toPlainString();
      return String.format(Locale.ROOT, "density %s (%,d non-zeros in %,d rows x %,d features)",
          d, nonZeros, rows, width);
    }
  }

  /**
   * Counts rows and non-zero features of rows whose first field is the features (an ML vector or
   * an array of numbers), in one distributed pass without densifying sparse vectors.
   */
  public static Density measure(JavaRDD<Row> rows) {
    List<long[]> parts;
    try {
      parts = rows.mapPartitions(SparseInput::count).collect();
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    }
    long n = 0;
    long nnz = 0;
    long width = 0;
    for (long[] p : parts) {
      n += p[0];
      nnz += p[1];
      width = Math.max(width, p[2]);
    }
    return new Density(n, (int) width, nnz);
  }

  /** {rows, non-zeros, width} of one partition. */
  private static Iterator<long[]> count(Iterator<Row> it) {
    long n = 0;
    long nnz = 0;
    long width = 0;
    while (it.hasNext()) {
      Object v = it.next().get(0);
      n++;
      if (v instanceof SparseVector sv) {
        for (double x : sv.values()) {
          nnz += x != 0 ? 1 : 0;
        }
        width = Math.max(width, sv.size());
      } else if (v instanceof Vector dv) {
        nnz += dv.numNonzeros();
        width = Math.max(width, dv.size());
      } else if (v instanceof scala.collection.Seq<?> seq) {
        for (int i = 0; i < seq.length(); i++) {
          nnz += seq.apply(i) instanceof Number x && x.doubleValue() != 0 ? 1 : 0;
        }
        width = Math.max(width, seq.length());
      }
    }
    return List.of(new long[] {n, nnz, width}).iterator();
  }

  /**
   * Whether rows are packed sparse under {@code mode}: TRUE and FALSE decide; AUTO is sparse when
   * the features arrive as sparse vectors (the first row's is a {@link SparseVector}: LibSVM, a
   * Parquet column of sparse vectors) and their measured density is below
   * {@value #DENSITY_THRESHOLD} (one pass). Dense vectors and arrays stay dense under AUTO without
   * a pass: their producer chose a dense representation (and a centered standardization has made
   * them dense anyway).
   */
  public static boolean resolve(Mode mode, JavaRDD<Row> rows) {
    return switch (mode) {
      case TRUE -> true;
      case FALSE -> false;
      case AUTO -> arrivesSparse(rows) && measure(rows).sparse();
    };
  }

  /** True if the first row's features are a {@link SparseVector} (one small job). */
  public static boolean arrivesSparse(JavaRDD<Row> rows) {
    List<Boolean> first;
    try {
      // ship back a flag, not the row: a row with a schema drags its metadata along, which a
      // Kryo session requiring registration refuses
      first = rows.map(r -> r.get(0) instanceof SparseVector).take(1);
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    }
    return !first.isEmpty() && first.get(0);
  }
}
