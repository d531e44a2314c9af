package io.sparkmlp.jobs.data.read;

import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.model.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

/**
 * The expressions that turn one raw input into prepared rows, and the checks to run on it: an
 * {@link InputFormat} fills it in (the raw rows with {@link DataReader#FILE}, the feature and label
 * expressions and their bad-cell checks), then {@link #execute} runs every check in one
 * distributed pass, resolves the classes and returns the lazy rows. Mutable while being planned;
 * executed once.
 */
final class Plan {
  final Dataset<Row> raw;
  final String path;
  /** The reader that planned this, for its messages. */
  final InputFormat input;
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

  Plan(Dataset<Row> raw, String path, InputFormat input) {
    this.raw = raw;
    this.path = path;
    this.input = input;
  }

  /** A bad-cell record: file, column, what is wrong, the value (nullable). */
  Column badCell(String column, Column value, String reason) {
    return struct(functions.col(DataReader.FILE).as("file"), lit(column).as("column"),
        lit(reason).as("reason"),
        (value == null ? lit(null) : value).cast(DataTypes.StringType).as("value"));
  }

  /** {value as double, bad-cell or null} for one numeric (or numeric text) column. */
  Column[] numericCell(String name, StructField field, String what) {
    DataType dt = field.dataType();
    Column c = DataReader.quoted(name);
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
      throw ReadErrors.failure(path, input, numFeaturesOption, e);
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
      throw ReadErrors.mismatch(path, numFeatures, expectedFeatures);
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
        : task == Task.REGRESSION ? labelWidth : task == Task.AUTOENCODER ? numFeatures : 0;

    List<Column> out = new ArrayList<>(ids);
    out.add(features.as(rawFeatures ? RawTable.RAW : PreparedData.FEATURES));
    if (rawFeatures) {
      out.add(functions.col(DataReader.FILE));
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
    List<Row> hit = raw.filter(labelKey.equalTo(lit(key))).select(DataReader.FILE).limit(1)
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

  /** A dense ML vector of double-valued columns. */
  static Column toVector(List<Column> values) {
    return org.apache.spark.ml.functions.array_to_vector(
        functions.array(values.toArray(Column[]::new)));
  }
}
