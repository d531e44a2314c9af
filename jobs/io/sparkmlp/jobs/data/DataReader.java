package io.sparkmlp.jobs.data;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.model.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a {@link DataSource} into {@link PreparedData}: checks the input in one distributed pass
 * (row count, every numeric cell, the label values) and fails with a one-line message naming the
 * path or file, the column and the value; then returns the lazy, encoded rows.
 *
 * <ul>
 *   <li>LibSVM: Spark's {@code libsvm} source (sparse features). The feature count is
 *       {@code numFeatures} when set, else the model's input width when given (a file may lack the
 *       highest indices), else inferred from the data.</li>
 *   <li>CSV: every cell is read as text and parsed strictly: an empty or non-numeric feature cell is
 *       an error, never a null or NaN. Malformed records (wrong field count) are errors.</li>
 *   <li>Parquet: a vector or numeric-array features column, or numeric (or numeric text) columns as
 *       for CSV.</li>
 *   <li>IDX (MNIST): an images file and a labels file of unsigned bytes, read and checked whole on
 *       the driver by {@link IdxFile} (so they must fit in its memory: MNIST's training images are
 *       47 MB), then broadcast. Each image becomes a dense feature vector of its pixels divided by
 *       255, i.e. scaled to [0, 1], in row-major order; the labels are class indices (binary or
 *       multi-class). The two files must hold the same number of items.</li>
 * </ul>
 *
 * <p>Labels: binary and multi-class labels become the class index as a double (see
 * {@link ClassLabels} for how the mapping is derived or checked); multi-label labels a dense 0/1
 * vector, from several 0/1 columns (their names are the classes) or one vector or array column
 * (classes {@code "0".."L-1"}); regression labels a double, or a dense vector for several target
 * columns or a vector or array column.
 */
public final class DataReader {
  /** Internal column holding {@code input_file_name()}, for messages; never in the output. */
  static final String FILE = "__sparkmlp_input_file";

  private static final UserDefinedFunction VECTOR_SIZE = functions.udf(
      (UDF1<Vector, Integer>) v -> v == null ? null : v.size(), DataTypes.IntegerType);

  private DataReader() {}

  /**
   * Reads and validates one input.
   *
   * @param spark            the session
   * @param src              where the data is and how its columns map
   * @param task             the model's task
   * @param mapping          null at training time (derived from the data), or the model's classes
   *                         at evaluate and predict time (every label must map into it); must be
   *                         null for regression
   * @param expectedFeatures 0 to infer the feature count, else the model's input width
   * @param requireLabel     false for prediction: a missing label column is then allowed (a
   *                         label column that is present is still read and checked)
   * @return the prepared rows and what was learned about them
   * @throws IllegalArgumentException with a one-line message naming the path (or file), and the
   *     column and value when known: missing path, empty input, missing column, non-numeric cell,
   *     label outside the model's classes, non-integer class label, feature count mismatch
   */
  public static PreparedData read(SparkSession spark, DataSource src, Task task,
      LabelMapping mapping, int expectedFeatures, boolean requireLabel) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(task, "task");
    if (expectedFeatures < 0) {
      throw new IllegalArgumentException("expectedFeatures must be >= 0, got " + expectedFeatures);
    }
    checkMapping(task, mapping);
    HadoopPaths.requireInput(spark, src.path());
    Plan plan = switch (src.format()) {
      case LIBSVM -> libsvmPlan(spark, src, task, expectedFeatures);
      case IDX -> idxPlan(spark, src, task, requireLabel);
      case CSV, PARQUET -> tablePlan(spark, src, task, requireLabel, List.of(), false);
    };
    return plan.execute(task, mapping, expectedFeatures);
  }

  /**
   * Reads and checks a CSV or Parquet input whose features are table columns, without turning
   * them into numbers: the labels are read and checked as by {@link #read}, the feature columns
   * are kept as they are (numbers as doubles, text and booleans as text) in one struct column,
   * for a {@link io.sparkmlp.jobs.data.prep.Preparation} to handle missing values and categories.
   *
   * @param spark        the session
   * @param src          a {@link DataSource#tabular() tabular} source
   * @param task         the model's task
   * @param mapping      null at training time, else the model's classes
   * @param columns      the feature columns to read (a model's input columns), or null to take
   *                     the source's own (feature-columns, or every column but the label, id and
   *                     excluded columns)
   * @param requireLabel false for prediction
   * @return the raw rows
   * @throws IllegalArgumentException with a one-line message naming the path or file and the
   *     column: missing column, label problems, a column type that is neither number nor text
   */
  public static RawTable readTable(SparkSession spark, DataSource src, Task task,
      LabelMapping mapping, List<String> columns, boolean requireLabel) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(src, "src");
    if (!src.tabular()) {
      throw new IllegalArgumentException(src.path() + ": " + src.format()
          + " input with a features vector column has no table columns to prepare");
    }
    checkMapping(task, mapping);
    HadoopPaths.requireInput(spark, src.path());
    Plan plan = tablePlan(spark, src, task, requireLabel, columns == null ? List.of() : columns,
        true);
    PreparedData d = plan.execute(task, mapping, 0);
    return new RawTable(d.rows(), plan.featureNames, plan.textColumns, d.mapping(),
        d.outputWidth(), src, d.hasLabel());
  }

  /**
   * The input as Spark reads it, before any column mapping: CSV cells as text (header, delimiter,
   * skipped lines and reader options applied), Parquet as stored.
   *
   * @throws IllegalArgumentException naming the path if Spark cannot read it
   */
  public static Dataset<Row> frame(SparkSession spark, DataSource src) {
    String path = src.path();
    boolean csv = src.format() == DataSource.Format.CSV;
    try {
      if (!csv) {
        return spark.read().options(src.options()).parquet(path);
      }
      var reader = spark.read()
          .option("header", src.csvHeader())
          .option("sep", src.csvDelimiter())
          .option("inferSchema", false)
          .option("mode", "FAILFAST")
          .options(src.options());
      if (src.skipLines() == 0) {
        return reader.csv(path);
      }
      return SkippedLines.read(spark, reader, path, src.skipLines());
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw readFailure(path, src.format().toString(), 0, e);
    }
  }

  private static void checkMapping(Task task, LabelMapping mapping) {
    if (mapping == null) {
      return;
    }
    switch (task) {
      case REGRESSION -> throw new IllegalArgumentException(
          "a label mapping is only for classification, not regression");
      case BINARY -> {
        if (mapping.size() != 2) {
          throw new IllegalArgumentException(
              "a binary label mapping has two classes [negative, positive], got " + mapping);
        }
      }
      case MULTICLASS -> {
        if (mapping.size() < 2) {
          throw new IllegalArgumentException(
              "a multiclass label mapping needs at least two classes, got " + mapping);
        }
      }
      default -> { }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // LibSVM

  private static Plan libsvmPlan(SparkSession spark, DataSource src, Task task,
      int expectedFeatures) {
    String path = src.path();
    if (!src.idColumns().isEmpty()) {
      throw new IllegalArgumentException(path + ": libsvm input has no id columns, got "
          + src.idColumns());
    }
    if (task == Task.MULTILABEL) {
      throw new IllegalArgumentException(path + ": libsvm input supports binary, multiclass and "
          + "regression labels; use csv or parquet label columns for multilabel");
    }
    int nf = src.numFeatures();
    if (nf > 0 && expectedFeatures > 0 && nf != expectedFeatures) {
      throw mismatch(path, nf, expectedFeatures);
    }
    if (nf == 0) {
      int inferred = inferLibsvmFeatures(spark, path);
      if (expectedFeatures > 0 && inferred > expectedFeatures) {
        throw new IllegalArgumentException(path + ": the data has feature indices up to "
            + inferred + " but the model expects " + expectedFeatures + " features");
      }
      nf = expectedFeatures > 0 ? expectedFeatures : inferred;
    }
    Dataset<Row> raw;
    try {
      raw = spark.read().format("libsvm").option("numFeatures", Integer.toString(nf)).load(path);
    } catch (Exception e) {
      throw readFailure(path, "libsvm", nf, e);
    }
    Plan p = new Plan(raw.withColumn(FILE, input_file_name()), path, "libsvm");
    p.features = functions.col("features");
    p.staticWidth = nf;
    p.numFeaturesOption = nf;
    p.labelColumn = "label";
    if (task.isClassification()) {
      p.labelKey = functions.col("label").cast(DataTypes.StringType);
    } else {
      p.label = functions.col("label");
      p.labelStaticWidth = 1;
    }
    return p;
  }

  private static int inferLibsvmFeatures(SparkSession spark, String path) {
    try {
      Dataset<Row> probe = spark.read().format("libsvm").load(path);
      return (int) probe.schema().apply("features").metadata().getLong("numFeatures");
    } catch (Exception e) {
      if (String.valueOf(rootCause(e).getMessage()).contains("empty collection")) {
        throw new IllegalArgumentException(path + ": input is empty (no data rows)", e);
      }
      throw readFailure(path, "libsvm", 0, e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // IDX

  /** Internal row-number column of IDX input; never in the output. */
  private static final String IDX_ROW = "__sparkmlp_idx_row";

  private static Plan idxPlan(SparkSession spark, DataSource src, Task task,
      boolean requireLabel) {
    String path = src.path();
    if (task != Task.BINARY && task != Task.MULTICLASS) {
      throw new IllegalArgumentException(path + ": idx labels are class indices; task must be "
          + "binary or multiclass, not " + task);
    }
    String labelsPath = src.labelsPath();
    if (labelsPath == null && requireLabel) {
      throw new IllegalArgumentException(path + ": idx input needs its labels file (labels-path "
          + "in the config; for evaluate: --set data.train.labels-path=FILE)");
    }
    Configuration conf = HadoopPaths.conf(spark);
    IdxFile images = IdxFile.read(path, conf);
    if (images.dims().length < 2) {
      throw new IllegalArgumentException(images.file() + ": an idx images file has at least two "
          + "dimensions (items x values), this one has one " + Arrays.toString(images.dims())
          + "; is it a labels file?");
    }
    IdxFile labels = null;
    if (labelsPath != null) {
      labels = IdxFile.read(labelsPath, conf);
      if (labels.dims().length != 1) {
        throw new IllegalArgumentException(labels.file() + ": an idx labels file has one "
            + "dimension, this one has " + labels.dims().length + " "
            + Arrays.toString(labels.dims()) + "; is it an images file?");
      }
      if (labels.count() != images.count()) {
        throw new IllegalArgumentException(labels.file() + ": " + labels.count()
            + " labels, but the images file " + images.file() + " holds " + images.count()
            + " images");
      }
    }
    int width = images.itemSize();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<byte[]> pixels = jsc.broadcast(images.data());
    UserDefinedFunction toVector = functions.udf(
        (UDF1<Long, Vector>) row -> idxPixels(pixels.value(), row, width), new VectorUDT());
    int slices = Math.max(1, spark.sparkContext().defaultParallelism());
    Dataset<Row> raw = spark.range(0, images.count(), 1, slices).toDF(IDX_ROW);
    if (labels != null) {
      Broadcast<byte[]> classes = jsc.broadcast(labels.data());
      UserDefinedFunction label = functions.udf(
          (UDF1<Long, Integer>) row -> classes.value()[Math.toIntExact(row)] & 0xff,
          DataTypes.IntegerType);
      raw = raw.withColumn(FILE, lit(labels.file()))
          .withColumn("label", label.apply(functions.col(IDX_ROW)));
    } else {
      raw = raw.withColumn(FILE, lit(images.file()));
    }
    Plan p = new Plan(raw, path, "idx");
    p.features = toVector.apply(functions.col(IDX_ROW));
    p.staticWidth = width;
    p.numFeaturesOption = width;
    if (labels != null) {
      p.labelColumn = "label";
      p.labelKey = functions.col("label").cast(DataTypes.StringType);
    }
    return p;
  }

  /** Image {@code row} of {@code data} as a dense vector of pixel / 255. */
  private static Vector idxPixels(byte[] data, long row, int width) {
    double[] v = new double[width];
    int off = Math.multiplyExact(Math.toIntExact(row), width);
    for (int j = 0; j < width; j++) {
      v[j] = (data[off + j] & 0xff) / 255.0;
    }
    return new DenseVector(v);
  }

  // ---------------------------------------------------------------------------------------------
  // CSV and Parquet

  private static Plan tablePlan(SparkSession spark, DataSource src, Task task,
      boolean requireLabel, List<String> wanted, boolean rawFeatures) {
    String path = src.path();
    boolean csv = src.format() == DataSource.Format.CSV;
    String format = src.format().toString();
    Dataset<Row> raw = frame(spark, src);
    if (src.format() == DataSource.Format.CSV && src.csvHeader() && src.skipLines() == 0) {
      // every file of the input has the first file's header (names and order)
      CsvHeaders.requireSame(HadoopPaths.conf(spark), raw.inputFiles(), src.csvDelimiter());
    }
    boolean hasFile = Arrays.asList(raw.columns()).contains(FILE);
    StructType schema = hasFile ? raw.drop(FILE).schema() : raw.schema();
    if (schema.fields().length == 0) {
      throw new IllegalArgumentException(path + ": input is empty (no columns)");
    }
    List<String> columns = Arrays.asList(schema.fieldNames());
    Plan p = new Plan(hasFile ? raw : raw.withColumn(FILE, input_file_name()), path, format);

    for (String id : src.idColumns()) {
      requireColumn(path, columns, id, "id");
      if (id.equals(PreparedData.FEATURES) || id.equals(PreparedData.LABEL)) {
        throw new IllegalArgumentException(path + ": id column '" + id
            + "' clashes with the prepared '" + id + "' column; rename it");
      }
      p.ids.add(quoted(id).as(id));
    }

    boolean multi = !src.labelColumns().isEmpty();
    List<String> labelCols = multi ? src.labelColumns() : List.of(src.labelColumn());
    List<String> present = labelCols.stream().filter(columns::contains).toList();
    boolean partial = !present.isEmpty() && present.size() < labelCols.size();
    if ((present.isEmpty() && requireLabel) || partial) {
      List<String> missing = labelCols.stream().filter(c -> !columns.contains(c)).toList();
      throw new IllegalArgumentException(path + ": label column"
          + (missing.size() == 1 ? " '" + missing.get(0) + "'" : "s " + missing)
          + " not found; columns: " + ClassLabels.preview(columns));
    }

    if (src.weightColumn() != null && requireLabel) {
      planWeight(p, src, schema, columns);
    }
    if (rawFeatures) {
      planRawFeatures(p, src, schema, columns, labelCols, wanted);
    } else {
      planFeatures(p, src, schema, columns, labelCols, csv);
    }
    if (!present.isEmpty()) {
      p.labelColumn = multi ? String.join(",", labelCols) : labelCols.get(0);
      if (multi) {
        planLabelColumns(p, task, schema, labelCols);
      } else {
        planLabelColumn(p, task, schema.apply(labelCols.get(0)));
      }
    }
    return p;
  }

  private static void planFeatures(Plan p, DataSource src, StructType schema,
      List<String> columns, List<String> labelCols, boolean csv) {
    String path = p.path;
    if (src.featuresColumn() != null) {
      String f = src.featuresColumn();
      if (csv) {
        throw new IllegalArgumentException(path + ": a features column needs parquet input; "
            + "list the feature columns for csv");
      }
      requireColumn(path, columns, f, "features");
      if (labelCols.contains(f)) {
        throw new IllegalArgumentException(path + ": column '" + f
            + "' is both the features and a label column");
      }
      DataType dt = schema.apply(f).dataType();
      Column c = quoted(f);
      if (dt instanceof VectorUDT) {
        p.features = c;
        p.featureSize = VECTOR_SIZE.apply(c);
        p.featureBad = when(c.isNull(), p.badCell(f, null, "an empty value"));
      } else if (dt instanceof ArrayType at && at.elementType() instanceof NumericType) {
        p.features = org.apache.spark.ml.functions.array_to_vector(
            c.cast(DataTypes.createArrayType(DataTypes.DoubleType)));
        p.featureSize = size(c);
        p.featureBad = when(c.isNull(), p.badCell(f, null, "an empty value"))
            .when(exists(c, Column::isNull), p.badCell(f, null, "an array with a null element"));
      } else {
        throw new IllegalArgumentException(path + ": features column '" + f + "' has type "
            + dt.simpleString() + "; expected a vector or an array of numbers");
      }
      p.featureColumnName = f;
      return;
    }
    List<String> names;
    if (!src.featureColumns().isEmpty()) {
      names = src.featureColumns();
      for (String f : names) {
        requireColumn(path, columns, f, "feature");
        if (labelCols.contains(f)) {
          throw new IllegalArgumentException(path + ": column '" + f
              + "' is both a feature and a label column");
        }
      }
    } else {
      Set<String> excluded = new LinkedHashSet<>(src.idColumns());
      excluded.addAll(labelCols);
      if (src.weightColumn() != null) {
        excluded.add(src.weightColumn());
      }
      names = columns.stream().filter(c -> !excluded.contains(c)).toList();
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException(path + ": no feature columns (columns: "
          + ClassLabels.preview(columns) + ")");
    }
    List<Column> values = new ArrayList<>();
    List<Column> bad = new ArrayList<>();
    for (String f : names) {
      Column[] vb = p.numericCell(f, schema.apply(f), "feature");
      values.add(vb[0]);
      bad.add(vb[1]);
    }
    p.features = toVector(values);
    p.featureBad = firstNonNull(bad);
    p.staticWidth = names.size();
    p.featureNames = List.copyOf(names);
  }

  /**
   * The weight column ({@code data.*.weight-column}) of a table input: read into
   * {@value PreparedData#WEIGHT}, checked by {@link WeightColumn}.
   */
  private static void planWeight(Plan p, DataSource src, StructType schema,
      List<String> columns) {
    String w = src.weightColumn();
    requireColumn(p.path, columns, w, "weight");
    if (src.idColumns().contains(PreparedData.WEIGHT)) {
      throw new IllegalArgumentException(p.path + ": id column '" + PreparedData.WEIGHT
          + "' clashes with the prepared '" + PreparedData.WEIGHT + "' column; rename it");
    }
    StructField field = schema.apply(w);
    p.weight = WeightColumn.value(p.path, field);
    p.weightBad = when(WeightColumn.problem(field, p.weight).isNotNull(),
        struct(functions.col(FILE).as("file"),
            WeightColumn.problem(field, p.weight).as("reason"),
            quoted(w).cast(DataTypes.StringType).as("value")));
    p.weightSource = src;
  }

  private static void planRawFeatures(Plan p, DataSource src, StructType schema,
      List<String> columns, List<String> labelCols, List<String> wanted) {
    String path = p.path;
    for (String c : src.excludeColumns()) {
      requireColumn(path, columns, c, "excluded");
    }
    List<String> names;
    if (!wanted.isEmpty()) {
      names = wanted;
    } else if (!src.featureColumns().isEmpty()) {
      names = src.featureColumns();
    } else {
      Set<String> excluded = new LinkedHashSet<>(src.idColumns());
      excluded.addAll(labelCols);
      excluded.addAll(src.excludeColumns());
      if (src.weightColumn() != null) {
        excluded.add(src.weightColumn());
      }
      names = columns.stream().filter(c -> !excluded.contains(c)).toList();
    }
    for (String f : names) {
      requireColumn(path, columns, f, "feature");
      if (labelCols.contains(f)) {
        throw new IllegalArgumentException(path + ": column '" + f
            + "' is both a feature and a label column");
      }
    }
    for (String c : src.categoricalColumns()) {
      if (wanted.isEmpty() && !names.contains(c)) {
        throw new IllegalArgumentException(path + ": categorical column '" + c
            + "' is not a feature column; features: " + ClassLabels.preview(names));
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException(path + ": no feature columns (columns: "
          + ClassLabels.preview(columns) + ")");
    }
    List<Column> fields = new ArrayList<>();
    Set<String> text = new LinkedHashSet<>();
    for (String f : names) {
      DataType dt = schema.apply(f).dataType();
      Column c = quoted(f);
      if (dt instanceof NumericType) {
        fields.add(c.cast(DataTypes.DoubleType).as(f));
      } else if (dt instanceof StringType || dt instanceof BooleanType) {
        fields.add(c.cast(DataTypes.StringType).as(f));
        text.add(f);
      } else {
        throw new IllegalArgumentException(path + ": feature column '" + f + "' has type "
            + dt.simpleString() + "; expected numbers or text");
      }
    }
    p.features = struct(fields.toArray(Column[]::new));
    p.rawFeatures = true;
    p.staticWidth = names.size();
    p.featureNames = List.copyOf(names);
    p.textColumns = Set.copyOf(text);
  }

  private static void planLabelColumns(Plan p, Task task, StructType schema,
      List<String> labelCols) {
    if (task != Task.MULTILABEL && task != Task.REGRESSION) {
      throw new IllegalArgumentException(p.path + ": several label columns " + labelCols
          + " need task multilabel or regression, not " + task);
    }
    List<Column> values = new ArrayList<>();
    List<Column> bad = new ArrayList<>();
    for (String l : labelCols) {
      Column[] vb = p.numericCell(l, schema.apply(l), "label");
      values.add(vb[0]);
      bad.add(vb[1]);
      if (task == Task.MULTILABEL) {
        bad.add(when(vb[0].isNotNull().and(vb[0].notEqual(0.0)).and(vb[0].notEqual(1.0)),
            p.badCell(l, quoted(l), "a multi-label value that is not 0 or 1")));
      }
    }
    p.label = toVector(values);
    p.labelValues = values;
    p.labelBad = firstNonNull(bad);
    p.labelStaticWidth = labelCols.size();
    p.labelNames = List.copyOf(labelCols);
  }

  private static void planLabelColumn(Plan p, Task task, StructField field) {
    String name = field.name();
    DataType dt = field.dataType();
    Column c = quoted(name);
    boolean vector = dt instanceof VectorUDT;
    boolean array = dt instanceof ArrayType at && at.elementType() instanceof NumericType;
    if (vector || array) {
      if (task != Task.MULTILABEL && task != Task.REGRESSION) {
        throw new IllegalArgumentException(p.path + ": label column '" + name + "' holds vectors;"
            + " " + task + " needs one label value per row");
      }
      Column arr = vector ? org.apache.spark.ml.functions.vector_to_array(c, "float64")
          : c.cast(DataTypes.createArrayType(DataTypes.DoubleType));
      p.label = org.apache.spark.ml.functions.array_to_vector(arr);
      p.labelSize = size(arr);
      Column bad = when(c.isNull(), p.badCell(name, null, "an empty value"))
          .when(exists(arr, Column::isNull), p.badCell(name, null, "an array with a null element"));
      if (task == Task.MULTILABEL) {
        bad = bad.when(exists(arr, x -> x.notEqual(0.0).and(x.notEqual(1.0))),
            p.badCell(name, null, "a multi-label vector with a value that is not 0 or 1"));
      }
      p.labelBad = bad;
      return;
    }
    if (!(dt instanceof NumericType || dt instanceof StringType || dt instanceof BooleanType)) {
      throw new IllegalArgumentException(p.path + ": label column '" + name + "' has type "
          + dt.simpleString() + "; expected numbers or class names");
    }
    switch (task) {
      case BINARY, MULTICLASS -> {
        Column key = trim(c.cast(DataTypes.StringType));
        p.labelKey = key;
        p.labelBad = when(key.isNull().or(key.equalTo("")),
            p.badCell(name, null, "an empty value"));
      }
      case REGRESSION -> {
        Column[] vb = p.numericCell(name, field, "label");
        p.label = vb[0];
        p.labelBad = vb[1];
        p.labelStaticWidth = 1;
      }
      case MULTILABEL -> throw new IllegalArgumentException(p.path + ": multilabel needs several "
          + "0/1 label columns or one vector or array label column; '" + name + "' has type "
          + dt.simpleString());
      default -> throw new IllegalStateException(task.name());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // shared helpers

  /** A column reference that tolerates dots and spaces in the name. */
  static Column quoted(String name) {
    return functions.col("`" + name.replace("`", "``") + "`");
  }

  private static void requireColumn(String path, List<String> columns, String name,
      String what) {
    if (!columns.contains(name)) {
      throw new IllegalArgumentException(path + ": " + what + " column '" + name
          + "' not found; columns: " + ClassLabels.preview(columns));
    }
  }

  /** A dense ML vector of double-valued columns. */
  private static Column toVector(List<Column> values) {
    return org.apache.spark.ml.functions.array_to_vector(
        functions.array(values.toArray(Column[]::new)));
  }

  private static Column firstNonNull(List<Column> cols) {
    return cols.size() == 1 ? cols.get(0) : coalesce(cols.toArray(Column[]::new));
  }

  static IllegalArgumentException mismatch(String path, int actual, int expected) {
    return new IllegalArgumentException(path + ": the data has " + actual
        + " features but the model expects " + expected);
  }

  private static IllegalArgumentException readFailure(String path, String format, int nf,
      Throwable e) {
    String msg = String.valueOf(rootCause(e).getMessage());
    if (msg.contains("out of bounds for vector of size")) {
      return new IllegalArgumentException(path + ": a feature index is beyond the " + nf
          + " features (numFeatures or the model's input width)", e);
    }
    if (format.equals("libsvm")) {
      String located = LibsvmLines.firstError(path,
          org.apache.spark.sql.SparkSession.active().sparkContext().hadoopConfiguration());
      if (located != null) {
        return new IllegalArgumentException(located, e);
      }
    }
    int nl = msg.indexOf('\n');
    return new IllegalArgumentException(path + ": cannot read " + format + " data: "
        + (nl >= 0 ? msg.substring(0, nl).trim() : msg), e);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  /**
   * The expressions that turn one raw input into prepared rows, and the checks to run on it.
   * Mutable while being planned; executed once.
   */
  private static final class Plan {
    final Dataset<Row> raw;
    final String path;
    final String format;
    final List<Column> ids = new ArrayList<>();
    Column features;
    /** Fixed feature count, or 0 when read from {@link #featureSize}. */
    int staticWidth;
    Column featureSize;
    Column featureBad;
    String featureColumnName;
    List<String> featureNames;
    /** Raw mode: {@link #features} is a struct of the table's feature columns. */
    boolean rawFeatures;
    /** Raw mode: the feature columns holding text (or booleans). */
    Set<String> textColumns = Set.of();
    int numFeaturesOption;
    /** Label column name(s) for messages; null when the input has no label. */
    String labelColumn;
    /** Classification: the raw label as trimmed text. */
    Column labelKey;
    /** Regression and multi-label: the encoded label. */
    Column label;
    int labelStaticWidth;
    Column labelSize;
    Column labelBad;
    /** Multi-label from several columns: their names. */
    List<String> labelNames;
    /** Several label columns: their values as doubles, in column order. */
    List<Column> labelValues;
    /** The row weight as a double, or null without a weight column. */
    Column weight;
    /** The first bad weight: (file, reason, value), or null. */
    Column weightBad;
    /** The input holding the weight column, to locate a bad weight's row. */
    DataSource weightSource;

    Plan(Dataset<Row> raw, String path, String format) {
      this.raw = raw;
      this.path = path;
      this.format = format;
    }

    /** A bad-cell record: file, column, what is wrong, the value (nullable). */
    Column badCell(String column, Column value, String reason) {
      return struct(functions.col(FILE).as("file"), lit(column).as("column"),
          lit(reason).as("reason"),
          (value == null ? lit(null) : value).cast(DataTypes.StringType).as("value"));
    }

    /** {value as double, bad-cell or null} for one numeric (or numeric text) column. */
    Column[] numericCell(String name, StructField field, String what) {
      DataType dt = field.dataType();
      Column c = quoted(name);
      if (dt instanceof NumericType) {
        return new Column[] {c.cast(DataTypes.DoubleType),
            when(c.isNull(), badCell(name, null, "an empty value"))};
      }
      if (dt instanceof StringType) {
        Column v = expr("try_cast(`" + name.replace("`", "``") + "` AS DOUBLE)");
        return new Column[] {v, when(c.isNull(), badCell(name, null, "an empty value"))
            .when(v.isNull(), badCell(name, c, "a non-numeric value"))};
      }
      throw new IllegalArgumentException(path + ": " + what + " column '" + name + "' has type "
          + dt.simpleString() + "; expected numbers");
    }

    PreparedData execute(Task task, LabelMapping given, int expectedFeatures) {
      boolean hasLabel = labelColumn != null;
      List<Column> aggs = new ArrayList<>();
      aggs.add(count(lit(1)).as("n"));
      if (featureBad != null) {
        aggs.add(min(featureBad).as("featureBad"));
      }
      if (featureSize != null) {
        aggs.add(min(featureSize).as("featureMin"));
        aggs.add(max(featureSize).as("featureMax"));
      }
      if (hasLabel && labelBad != null) {
        aggs.add(min(labelBad).as("labelBad"));
      }
      if (hasLabel && labelKey != null) {
        aggs.add(collect_set(labelKey).as("labelKeys"));
      }
      if (hasLabel && labelSize != null) {
        aggs.add(min(labelSize).as("labelMin"));
        aggs.add(max(labelSize).as("labelMax"));
      }
      if (weightBad != null) {
        aggs.add(min(weightBad).as("weightBad"));
      }
      Row r;
      try {
        r = raw.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
      } catch (Exception e) {
        throw readFailure(path, format, numFeaturesOption, e);
      }
      long n = r.<Long>getAs("n");
      if (n == 0) {
        throw new IllegalArgumentException(path + ": input is empty (no data rows)");
      }
      throwBadCell(r, "featureBad");
      if (weightBad != null && !r.isNullAt(r.fieldIndex("weightBad"))) {
        Row bad = r.getStruct(r.fieldIndex("weightBad"));
        throw WeightColumn.error(weightSource, bad.getString(0), weightSource.weightColumn(),
            bad.getString(1), bad.isNullAt(2) ? null : bad.getString(2));
      }
      int numFeatures = staticWidth;
      if (featureSize != null) {
        numFeatures = sameWidth(r, "featureMin", "featureMax", featureColumnName);
      }
      if (numFeatures == 0) {
        throw new IllegalArgumentException(path + ": the features are empty vectors");
      }
      if (expectedFeatures > 0 && numFeatures != expectedFeatures) {
        throw mismatch(path, numFeatures, expectedFeatures);
      }

      LabelMapping mapping = given;
      int labelWidth = 0;
      Column encodedLabel = null;
      if (hasLabel) {
        throwBadCell(r, "labelBad");
        if (labelKey != null) {
          List<String> keys = r.getList(r.fieldIndex("labelKeys"));
          ClassLabels.Result res;
          try {
            res = ClassLabels.resolve(keys, task, given, labelColumn);
          } catch (ClassLabels.Problem problem) {
            throw new IllegalArgumentException(where(problem.label) + ": " + problem.getMessage(),
                problem);
          }
          mapping = res.mapping();
          encodedLabel = encode(res.index());
        } else {
          labelWidth = labelSize != null
              ? sameWidth(r, "labelMin", "labelMax", labelColumn) : labelStaticWidth;
          if (task == Task.MULTILABEL) {
            mapping = multiLabelMapping(given, labelWidth);
          }
          encodedLabel = label;
        }
      }
      int outputWidth = mapping != null ? (task == Task.BINARY ? 1 : mapping.size())
          : task == Task.REGRESSION ? labelWidth : 0;

      List<Column> out = new ArrayList<>(ids);
      out.add(features.as(rawFeatures ? RawTable.RAW : PreparedData.FEATURES));
      if (rawFeatures) {
        out.add(functions.col(FILE));
      }
      if (hasLabel) {
        out.add(encodedLabel.as(PreparedData.LABEL));
      }
      if (weight != null) {
        out.add(weight.as(PreparedData.WEIGHT));
      }
      Dataset<Row> rows = raw.select(out.toArray(Column[]::new));
      return new PreparedData(rows, numFeatures, featureNames, mapping, outputWidth, path,
          hasLabel);
    }

    /** Multi-label classes: the label column names, or 0..L-1 for a vector column. */
    private LabelMapping multiLabelMapping(LabelMapping given, int width) {
      LabelMapping derived = labelNames != null ? new LabelMapping(labelNames)
          : LabelMapping.indices(width);
      if (given == null) {
        return derived;
      }
      if (given.size() != width) {
        throw new IllegalArgumentException(path + ": the data has " + width
            + " labels but the model has " + given.size() + " " + given);
      }
      if (labelNames != null && !labelNames.equals(given.classNames())) {
        if (!new LinkedHashSet<>(labelNames).equals(new LinkedHashSet<>(given.classNames()))) {
          throw new IllegalArgumentException(path + ": label columns " + labelNames
              + " do not match the model's labels " + given);
        }
        List<Column> reordered = new ArrayList<>();
        for (String name : given.classNames()) {
          reordered.add(labelValues.get(labelNames.indexOf(name)));
        }
        label = toVector(reordered);
      }
      return given;
    }

    /** The raw label keys mapped to class indices as doubles. */
    private Column encode(Map<String, Integer> index) {
      String[] keys = index.keySet().toArray(String[]::new);
      double[] values = new double[keys.length];
      for (int i = 0; i < keys.length; i++) {
        values[i] = index.get(keys[i]);
      }
      return element_at(map_from_arrays(lit(keys), lit(values)), labelKey)
          .cast(DataTypes.DoubleType);
    }

    /** The first file holding raw label {@code key}, or the input path. */
    private String where(String key) {
      if (key == null) {
        return path;
      }
      List<Row> hit = raw.filter(labelKey.equalTo(lit(key))).select(FILE).limit(1)
          .collectAsList();
      return hit.isEmpty() ? path : hit.get(0).getString(0);
    }

    private int sameWidth(Row r, String minField, String maxField, String column) {
      Integer lo = r.getAs(minField);
      Integer hi = r.getAs(maxField);
      if (lo == null || hi == null) {
        throw new IllegalArgumentException(path + ": column '" + column + "' has no values");
      }
      if (!lo.equals(hi)) {
        throw new IllegalArgumentException(path + ": column '" + column
            + "' holds vectors of different lengths (" + lo + " to " + hi + ")");
      }
      return lo;
    }

    private void throwBadCell(Row r, String field) {
      int i = Arrays.asList(r.schema().fieldNames()).indexOf(field);
      if (i < 0 || r.isNullAt(i)) {
        return;
      }
      Row bad = r.getStruct(i);
      String value = bad.isNullAt(3) ? null : bad.getString(3);
      throw new IllegalArgumentException(bad.getString(0) + ": column '" + bad.getString(1)
          + "' has " + bad.getString(2) + (value == null ? "" : " '" + shorten(value) + "'"));
    }

    private static String shorten(String s) {
      return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
  }
}
