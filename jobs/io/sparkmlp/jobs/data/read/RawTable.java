package io.sparkmlp.jobs.data.read;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.PreparedData;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A CSV or Parquet input read by {@link DataReader#readTable} before its features are prepared:
 * labels are encoded and checked, feature columns are as read (numbers as doubles, text as
 * text, missing cells null). Lazy.
 *
 * @param rows        columns: the id columns, {@value #RAW} (a struct of the feature columns, by
 *                    name), {@link DataReader#FILE} (the file of each row, for messages) and,
 *                    when {@code hasLabel}, {@value PreparedData#LABEL}
 * @param columns     feature column names, in struct order
 * @param textColumns the feature columns holding text (CSV: all of them)
 * @param mapping     classification classes, or null
 * @param outputWidth network output width the labels need (0 when unknown)
 * @param source      where the rows come from (to re-read one file when locating a bad row)
 * @param hasLabel    whether {@code rows} has a label column
 */
public record RawTable(Dataset<Row> rows, List<String> columns, Set<String> textColumns,
    LabelMapping mapping, int outputWidth, DataSource source, boolean hasLabel) {

  /** The struct column of raw feature values. */
  public static final String RAW = "__sparkmlp_raw";
  /** The column holding each row's file. */
  public static final String FILE = DataReader.FILE;

  /** Validates and copies. */
  public RawTable {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(source, "source");
    columns = List.copyOf(columns);
    textColumns = Set.copyOf(textColumns);
  }

  /** The input path, for messages. */
  public String path() {
    return source.path();
  }

  /** The same table with other rows (for example one split). */
  public RawTable withRows(Dataset<Row> r) {
    return new RawTable(r, columns, textColumns, mapping, outputWidth, source, hasLabel);
  }
}
