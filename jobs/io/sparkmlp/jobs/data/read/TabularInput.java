package io.sparkmlp.jobs.data.read;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.model.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
 * A format whose rows are table columns (CSV, Parquet): the features are the feature columns (or
 * every column but the label, id and excluded ones), or, where the format holds vectors, one vector
 * or numeric-array column; the labels are one or several label columns. A subclass says how Spark
 * loads the files ({@link #load}) and what it checks across them ({@link #checkFiles}).
 *
 * <p>Numeric cells are parsed strictly: an empty or non-numeric feature or label cell is an
 * error, never a null or NaN. Labels: binary and multi-class labels become the class index as a
 * double (see {@link ClassLabels}); multi-label labels a dense 0/1 vector, from several 0/1 columns
 * (their names are the classes) or one vector or array column (classes {@code "0".."L-1"});
 * regression labels a double, or a dense vector for several target columns or a vector or array
 * column.
 */
abstract class TabularInput implements InputFormat {
  private static final UserDefinedFunction VECTOR_SIZE = functions.udf(
      (UDF1<Vector, Integer>) v -> v == null ? null : v.size(), DataTypes.IntegerType);

  /**
   * The files as Spark reads them, before any column mapping (reader options applied).
   *
   * @throws Exception whatever Spark or the file system throws; {@link #frame} turns it into one
   *     line naming the path
   */
  abstract Dataset<Row> load(SparkSession spark, DataSource src) throws Exception;

  /** Checks across the input's files once they are listed (e.g. that CSV headers agree). */
  void checkFiles(SparkSession spark, DataSource src, Dataset<Row> raw) {}

  /**
   * True if the format holds a features vector column: if its {@link DataSource.Format#keys()
   * keys} include {@code features-column}.
   */
  final boolean vectorColumns() {
    return format().applies("features-column");
  }

  @Override
  public Plan plan(SparkSession spark, DataSource src, Task task, int expectedFeatures,
      boolean requireLabel) {
    return tablePlan(spark, src, task, requireLabel, List.of(), false);
  }

  /**
   * Plans reading the feature columns as they are (numbers as doubles, text and booleans as
   * text) into one struct column, for a preparation to handle missing values and categories.
   *
   * @param columns the feature columns to read, or empty for the source's own
   */
  Plan planTable(SparkSession spark, DataSource src, Task task, boolean requireLabel,
      List<String> columns) {
    return tablePlan(spark, src, task, requireLabel, columns, true);
  }

  /**
   * The input as Spark reads it, before any column mapping.
   *
   * @throws IllegalArgumentException naming the path if Spark cannot read it
   */
  final Dataset<Row> frame(SparkSession spark, DataSource src) {
    try {
      return load(spark, src);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw ReadErrors.failure(src.path(), this, 0, e);
    }
  }

  /**
   * Plans a table: the id, feature and label columns found and checked against the schema.
   *
   * @param wanted      raw mode: the feature columns to read (a model's input columns), or empty
   *                    for the source's own
   * @param rawFeatures true for {@link DataReader#readTable} (feature columns kept as they are),
   *                    false for a numeric feature vector
   */
  private Plan tablePlan(SparkSession spark, DataSource src, Task task,
      boolean requireLabel, List<String> wanted, boolean rawFeatures) {
    String path = src.path();
    Dataset<Row> raw = frame(spark, src);
    checkFiles(spark, src, raw);
    boolean hasFile = Arrays.asList(raw.columns()).contains(DataReader.FILE);
    StructType schema = hasFile ? raw.drop(DataReader.FILE).schema() : raw.schema();
    if (schema.fields().length == 0) {
      throw new IllegalArgumentException(path + ": input is empty (no columns)");
    }
    List<String> columns = Arrays.asList(schema.fieldNames());
    Plan p = new Plan(hasFile ? raw : raw.withColumn(DataReader.FILE, input_file_name()), path,
        this);

    for (String id : src.idColumns()) {
      requireColumn(path, columns, id, "id");
      if (id.equals(PreparedData.FEATURES) || id.equals(PreparedData.LABEL)) {
        throw new IllegalArgumentException(path + ": id column '" + id
            + "' clashes with the prepared '" + id + "' column; rename it");
      }
      p.ids.add(DataReader.quoted(id).as(id));
    }

    boolean multi = !src.labelColumns().isEmpty();
    // an autoencoder reads no label: every column that is not an id is a feature
    List<String> labelCols = task == Task.AUTOENCODER ? List.of()
        : multi ? src.labelColumns() : List.of(src.labelColumn());
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
      planFeatures(p, src, schema, columns, labelCols);
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

  private void planFeatures(Plan p, DataSource src, StructType schema,
      List<String> columns, List<String> labelCols) {
    String path = p.path;
    if (src.featuresColumn() != null) {
      String f = src.featuresColumn();
      if (!vectorColumns()) {
        throw new IllegalArgumentException(path + ": a features column needs parquet input; "
            + "list the feature columns for " + format());
      }
      requireColumn(path, columns, f, "features");
      if (labelCols.contains(f)) {
        throw new IllegalArgumentException(path + ": column '" + f
            + "' is both the features and a label column");
      }
      DataType dt = schema.apply(f).dataType();
      Column c = DataReader.quoted(f);
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
    p.features = Plan.toVector(values);
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
        struct(functions.col(DataReader.FILE).as("file"),
            WeightColumn.problem(field, p.weight).as("reason"),
            DataReader.quoted(w).cast(DataTypes.StringType).as("value")));
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
      Column c = DataReader.quoted(f);
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
            p.badCell(l, DataReader.quoted(l), "a multi-label value that is not 0 or 1")));
      }
    }
    p.label = Plan.toVector(values);
    p.labelValues = values;
    p.labelBad = firstNonNull(bad);
    p.labelStaticWidth = labelCols.size();
    p.labelNames = List.copyOf(labelCols);
  }

  private static void planLabelColumn(Plan p, Task task, StructField field) {
    String name = field.name();
    DataType dt = field.dataType();
    Column c = DataReader.quoted(name);
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

  private static void requireColumn(String path, List<String> columns, String name,
      String what) {
    if (!columns.contains(name)) {
      throw new IllegalArgumentException(path + ": " + what + " column '" + name
          + "' not found; columns: " + ClassLabels.preview(columns));
    }
  }

  private static Column firstNonNull(List<Column> cols) {
    return cols.size() == 1 ? cols.get(0) : coalesce(cols.toArray(Column[]::new));
  }
}
