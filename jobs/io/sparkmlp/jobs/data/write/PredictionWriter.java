package io.sparkmlp.jobs.data.write;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;

import io.sparkmlp.jobs.data.read.DataReader;
import io.sparkmlp.jobs.data.score.Predictor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;

/**
 * Writes predictions: the id columns, {@value Predictor#PREDICTION} and, for classification,
 * {@value Predictor#PROBABILITY}, as a Spark output directory of Parquet or CSV part files.
 *
 * <p>Parquet keeps vectors as arrays of doubles (readable without Spark's vector type). CSV (with a
 * header) flattens them: probabilities to {@code prob_<class>} columns, named after the classes in
 * the probability column's metadata ({@link Predictor#CLASSES_METADATA}), and a multi-target
 * prediction to {@code output_<i>} columns. An autoencoder's rows have
 * {@value Predictor#RECONSTRUCTION_ERROR} instead of a prediction, and maybe its codes
 * ({@value Predictor#CODE}: an array in Parquet, {@code code_0..code_<k-1>} columns in CSV).
 *
 * <p>The write is atomic ({@link DatasetOutput}): Spark writes a hidden temporary sibling of the
 * target ({@code .<name>.tmp-<uuid>}), which is renamed to the target once complete and deleted on
 * failure. An existing target is refused unless {@code overwrite}; it is then replaced only after
 * the new output is complete.
 */
public final class PredictionWriter {
  private PredictionWriter() {}

  /**
   * Writes {@code predictions} to {@code path}.
   *
   * @param predictions rows from {@link Predictor#predict}
   * @param idColumns   columns to pass through first, in order (may be empty)
   * @param path        output directory (any Hadoop file system)
   * @param format      {@code parquet} or {@code csv}
   * @param overwrite   replace an existing output
   * @throws IllegalArgumentException if the path exists and not overwrite, the format is unknown,
   *     a column is missing, or a row fails while the predictions are computed (the task's message,
   *     unwrapped from Spark's job failure)
   */
  public static void write(Dataset<Row> predictions, List<String> idColumns, String path,
      String format, boolean overwrite) {
    Objects.requireNonNull(predictions, "predictions");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    String fmt = format.trim().toLowerCase(Locale.ROOT);
    if (!fmt.equals("parquet") && !fmt.equals("csv")) {
      throw new IllegalArgumentException("unknown prediction format '" + format
          + "'; known: parquet, csv");
    }
    Dataset<Row> out = select(predictions, idColumns == null ? List.of() : idColumns,
        fmt.equals("csv"));

    DatasetOutput.save(out, fmt, fmt.equals("csv") ? Map.of("header", "true") : Map.of(), path,
        overwrite, io.sparkmlp.trainer.store.OutputKind.PREDICTIONS);
  }

  /** The output columns: ids, prediction, probability; vectors as arrays or flattened (CSV). */
  private static Dataset<Row> select(Dataset<Row> predictions, List<String> idColumns,
      boolean csv) {
    List<String> columns = Arrays.asList(predictions.schema().fieldNames());
    boolean autoencoder = columns.contains(Predictor.RECONSTRUCTION_ERROR);
    if (!autoencoder && !columns.contains(Predictor.PREDICTION)) {
      throw new IllegalArgumentException("the rows have no '" + Predictor.PREDICTION
          + "' column; columns: " + columns);
    }
    List<Column> out = new ArrayList<>();
    for (String id : idColumns) {
      if (!columns.contains(id)) {
        throw new IllegalArgumentException("id column '" + id + "' not found; columns: "
            + columns);
      }
      out.add(DataReader.quoted(id).as(id));
    }
    if (autoencoder) {
      out.add(col(Predictor.RECONSTRUCTION_ERROR));
      if (columns.contains(Predictor.CODE)) {
        addColumn(predictions, Predictor.CODE, "code_", csv, out);
      }
    } else {
      addColumn(predictions, Predictor.PREDICTION, "output_", csv, out);
    }
    if (columns.contains(Predictor.PROBABILITY)) {
      addColumn(predictions, Predictor.PROBABILITY, "prob_", csv, out);
    }
    Dataset<Row> selected = predictions.select(out.toArray(Column[]::new));
    Set<String> seen = new HashSet<>();
    for (String c : selected.schema().fieldNames()) {
      if (!seen.add(c)) {
        throw new IllegalArgumentException("duplicate output column '" + c + "'");
      }
    }
    return selected;
  }

  private static void addColumn(Dataset<Row> rows, String name, String prefix, boolean csv,
      List<Column> out) {
    StructField field = rows.schema().apply(name);
    if (!(field.dataType() instanceof VectorUDT)) {
      out.add(col(name));
      return;
    }
    Column arr = org.apache.spark.ml.functions.vector_to_array(col(name), "float64");
    if (!csv) {
      out.add(arr.as(name));
      return;
    }
    List<String> suffixes = suffixes(rows, field, arr);
    for (int i = 0; i < suffixes.size(); i++) {
      out.add(arr.getItem(i).as(prefix + suffixes.get(i)));
    }
  }

  /** Class names from the metadata, else 0..width-1 (the width found with one small job). */
  private static List<String> suffixes(Dataset<Row> rows, StructField field, Column arr) {
    Metadata meta = field.metadata();
    if (meta.contains(Predictor.CLASSES_METADATA)) {
      return Arrays.asList(meta.getStringArray(Predictor.CLASSES_METADATA));
    }
    int width;
    if (meta.contains(Predictor.SIZE_METADATA)) {
      width = (int) meta.getLong(Predictor.SIZE_METADATA);
    } else {
      Row r = rows.agg(max(size(arr))).first();
      width = r.isNullAt(0) ? 0 : r.getInt(0);
    }
    List<String> l = new ArrayList<>(width);
    for (int i = 0; i < width; i++) {
      l.add(Integer.toString(i));
    }
    return l;
  }
}
