package io.sparkmlp.jobs.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where one input comes from and how its columns map to features, labels and passthrough ids.
 * Paths are anything Hadoop's FileSystem reads (local, HDFS, S3A), including globs (IDX: one
 * file each).
 *
 * @param path           input path (IDX: the images file)
 * @param format         file format
 * @param numFeatures    LibSVM only: feature count, 0 to infer it from the data
 * @param labelColumn    CSV/Parquet: the label column (binary, multi-class, single-target regression)
 * @param labelColumns   CSV/Parquet: several 0/1 or numeric columns for multi-label or multi-target
 *                       regression; when non-empty it replaces {@code labelColumn}
 * @param featuresColumn Parquet: one vector or numeric-array column holding all features (nullable)
 * @param featureColumns CSV/Parquet: numeric feature columns; empty means every column that is not
 *                       a label or id column
 * @param idColumns      columns passed through to predictions
 * @param csvHeader      CSV: the first line holds column names
 * @param csvDelimiter   CSV: field delimiter
 * @param labelsPath     IDX: the labels file matching the images file at {@code path}, or null
 *                       for unlabelled input (prediction)
 * @param categoricalColumns CSV/Parquet: feature columns to one-hot encode whatever their values
 *                       (also integer-coded ones); text columns are detected without being listed
 * @param excludeColumns CSV/Parquet: columns that are never features (when the features are
 *                       every other column)
 * @param options        CSV/Parquet: options passed to Spark's reader as they are (e.g.
 *                       {@code comment}, {@code quote}, {@code nullValue}); they win over the
 *                       reader's own settings
 * @param skipLines      CSV: leading lines of every file skipped before the header
 * @param weightColumn   CSV/Parquet: the column of per-row sample weights (finite numbers
 *                       &gt;= 0), or null when every row weighs 1
 */
public record DataSource(
    String path,
    Format format,
    int numFeatures,
    String labelColumn,
    List<String> labelColumns,
    String featuresColumn,
    List<String> featureColumns,
    List<String> idColumns,
    boolean csvHeader,
    String csvDelimiter,
    String labelsPath,
    List<String> categoricalColumns,
    List<String> excludeColumns,
    Map<String, String> options,
    int skipLines,
    String weightColumn) {

  /**
   * Supported input formats. Each declares the input-section keys ({@code data.train.*},
   * {@code data.validation.*}, {@code data.test.*}) that apply to it, {@link #keys()}: the
   * configuration refuses any other key set to a non-default value, naming the key and the
   * format, and the readers read only these.
   */
  public enum Format {
    /** LibSVM text: {@code label index:value ...}, 1-based ascending indices. */
    LIBSVM(Keys.COMMON, "num-features"),
    /** Delimited text with a header. */
    CSV(Keys.TABLE, "csv-header", "csv-delimiter", "skip-lines"),
    /** Parquet with a vector column or numeric columns. */
    PARQUET(Keys.TABLE, "features-column"),
    /**
     * IDX (the MNIST format): an images file of unsigned bytes (e.g. idx3, n x height x width)
     * whose pixels become features scaled to [0, 1], and a separate idx1 labels file of class
     * indices; optionally gzip- or bzip2-compressed.
     */
    IDX(Keys.COMMON, "labels-path");

    private final Set<String> keys;

    Format(List<String> shared, String... own) {
      Set<String> k = new LinkedHashSet<>(shared);
      k.addAll(List.of(own));
      this.keys = Collections.unmodifiableSet(k);
    }

    /**
     * The input-section fields that apply to this format (names without the section, e.g.
     * {@code num-features}), in declaration order: {@code path} and {@code format} for every
     * format, then the format's own.
     */
    public Set<String> keys() {
      return keys;
    }

    /** True if input-section field {@code field} (e.g. {@code skip-lines}) applies here. */
    public boolean applies(String field) {
      return keys.contains(field);
    }

    /** Parses {@code libsvm}, {@code csv}, {@code parquet} or {@code idx}. */
    public static Format parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown data format '" + s + "'; known: libsvm, csv, parquet, idx");
      }
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Key lists shared by several formats (an enum's constants cannot use its own statics). */
    private static final class Keys {
      static final List<String> COMMON = List.of("path", "format");
      static final List<String> TABLE = List.of("path", "format", "label-column",
          "label-columns", "feature-columns", "id-columns", "options", "categorical-columns",
          "exclude-columns", "weight-column");
    }
  }

  /** Validates and copies the lists. */
  public DataSource {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    if (path.isBlank()) {
      throw new IllegalArgumentException("data path is empty");
    }
    if (numFeatures < 0) {
      throw new IllegalArgumentException("numFeatures must be >= 0, got " + numFeatures);
    }
    labelColumns = List.copyOf(labelColumns == null ? List.of() : labelColumns);
    featureColumns = List.copyOf(featureColumns == null ? List.of() : featureColumns);
    idColumns = List.copyOf(idColumns == null ? List.of() : idColumns);
    categoricalColumns =
        List.copyOf(categoricalColumns == null ? List.of() : categoricalColumns);
    excludeColumns = List.copyOf(excludeColumns == null ? List.of() : excludeColumns);
    options = java.util.Collections.unmodifiableMap(
        new LinkedHashMap<>(options == null ? Map.of() : options));
    if (skipLines < 0) {
      throw new IllegalArgumentException("skipLines must be >= 0, got " + skipLines);
    }
    if (skipLines > 0 && !format.applies("skip-lines")) {
      throw new IllegalArgumentException("skipping lines is only for csv input, not " + format);
    }
    if (labelColumn == null && labelColumns.isEmpty()
        && (format == Format.CSV || format == Format.PARQUET)) {
      labelColumn = "label";
    }
    if (csvDelimiter == null || csvDelimiter.isEmpty()) {
      csvDelimiter = ",";
    }
    if (labelsPath != null && !format.applies("labels-path")) {
      throw new IllegalArgumentException("a labels path is only for idx input, not " + format);
    }
    if (labelsPath != null && labelsPath.isBlank()) {
      throw new IllegalArgumentException("labels path is empty");
    }
    if (weightColumn != null && format != Format.CSV && format != Format.PARQUET) {
      throw new IllegalArgumentException("a weight column is only for csv and parquet input, not "
          + format);
    }
    if (weightColumn != null && weightColumn.isBlank()) {
      throw new IllegalArgumentException("weight column name is empty");
    }
  }

  /** A source without a weight column. */
  public DataSource(String path, Format format, int numFeatures, String labelColumn,
      List<String> labelColumns, String featuresColumn, List<String> featureColumns,
      List<String> idColumns, boolean csvHeader, String csvDelimiter, String labelsPath,
      List<String> categoricalColumns, List<String> excludeColumns, Map<String, String> options,
      int skipLines) {
    this(path, format, numFeatures, labelColumn, labelColumns, featuresColumn, featureColumns,
        idColumns, csvHeader, csvDelimiter, labelsPath, categoricalColumns, excludeColumns,
        options, skipLines, null);
  }

  /** A source without the tabular options (no categorical or excluded columns, reader options). */
  public DataSource(String path, Format format, int numFeatures, String labelColumn,
      List<String> labelColumns, String featuresColumn, List<String> featureColumns,
      List<String> idColumns, boolean csvHeader, String csvDelimiter, String labelsPath) {
    this(path, format, numFeatures, labelColumn, labelColumns, featuresColumn, featureColumns,
        idColumns, csvHeader, csvDelimiter, labelsPath, List.of(), List.of(), Map.of(), 0);
  }

  /** A source without a separate labels file (every format but IDX). */
  public DataSource(String path, Format format, int numFeatures, String labelColumn,
      List<String> labelColumns, String featuresColumn, List<String> featureColumns,
      List<String> idColumns, boolean csvHeader, String csvDelimiter) {
    this(path, format, numFeatures, labelColumn, labelColumns, featuresColumn, featureColumns,
        idColumns, csvHeader, csvDelimiter, null);
  }

  /** A LibSVM source with an inferred feature count. */
  public static DataSource libsvm(String path, int numFeatures) {
    return new DataSource(path, Format.LIBSVM, numFeatures, null, List.of(), null, List.of(),
        List.of(), false, ",");
  }

  /** A CSV source with a header, a label column and every other column as a feature. */
  public static DataSource csv(String path, String labelColumn) {
    return new DataSource(path, Format.CSV, 0, labelColumn, List.of(), null, List.of(), List.of(),
        true, ",");
  }

  /**
   * An IDX source: images file and labels file (null for unlabelled input).
   *
   * @param imagesPath images file (unsigned bytes, two or more dimensions)
   * @param labelsPath labels file (unsigned bytes, one dimension), or null
   */
  public static DataSource idx(String imagesPath, String labelsPath) {
    return new DataSource(imagesPath, Format.IDX, 0, null, List.of(), null, List.of(), List.of(),
        false, ",", labelsPath);
  }

  /** The same source at another path (for example the test split of a dataset). */
  public DataSource withPath(String p) {
    return new DataSource(p, format, numFeatures, labelColumn, labelColumns, featuresColumn,
        featureColumns, idColumns, csvHeader, csvDelimiter, labelsPath, categoricalColumns,
        excludeColumns, options, skipLines, weightColumn);
  }

  /** The same source with another weight column (null for none). */
  public DataSource withWeightColumn(String column) {
    return new DataSource(path, format, numFeatures, labelColumn, labelColumns, featuresColumn,
        featureColumns, idColumns, csvHeader, csvDelimiter, labelsPath, categoricalColumns,
        excludeColumns, options, skipLines, column);
  }

  /**
   * True when the features are table columns (CSV, or Parquet without a vector column): they go
   * through a fitted {@code Preparation} (missing values, categories) rather than straight into the
   * feature vector.
   */
  public boolean tabular() {
    return (format == Format.CSV || format == Format.PARQUET) && featuresColumn == null;
  }

  /** The same source with another labels file (IDX only; null for none). */
  public DataSource withLabelsPath(String p) {
    return new DataSource(path, format, numFeatures, labelColumn, labelColumns, featuresColumn,
        featureColumns, idColumns, csvHeader, csvDelimiter, p, categoricalColumns, excludeColumns,
        options, skipLines, weightColumn);
  }
}
