package io.sparkmlp.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.sparkmlp.jobs.config.DataSource.Format;
import io.sparkmlp.model.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the {@code data} section into {@link DataSource}s: the training input, the optional
 * validation and test inputs (fields they leave out are inherited from {@code data.train}, except
 * {@code path} and {@code labels-path}), and the held-out fractions. Checks that each input's keys
 * fit its format and the task, and that the column lists are consistent.
 */
final class DataSection {
  private DataSection() {}

  /**
   * The inputs of a job.
   *
   * @param train              training input
   * @param validation         separate validation input, or null
   * @param test               separate test input, or null
   * @param validationFraction fraction of the training input held out for validation (0 when
   *                           {@code validation} is given)
   * @param testFraction       fraction held out for testing (0 when {@code test} is given)
   * @param prep               missing values, categories and target scaling
   */
  record Inputs(DataSource train, DataSource validation, DataSource test,
      double validationFraction, double testFraction, PrepSettings prep) {}

  /**
   * Reads and validates the inputs.
   *
   * @throws ConfigError naming the offending key
   */
  static Inputs read(ConfigReader r, Task task) {
    DataSource train = source(r, "data.train", null, task);
    DataSource validation = given(r, "data.validation")
        ? source(r, "data.validation", train, task) : null;
    DataSource test = given(r, "data.test") ? source(r, "data.test", train, task) : null;
    double vf = fraction(r, "data.validation-fraction", validation, "data.validation.path");
    double tf = fraction(r, "data.test-fraction", test, "data.test.path");
    if (vf + tf >= 1) {
      throw r.conflict(List.of("data.validation-fraction", "data.test-fraction"),
          "data.validation-fraction + data.test-fraction must be < 1, got "
              + ValueRange.format(vf) + " + " + ValueRange.format(tf));
    }
    return new Inputs(train, validation, test, vf, tf, prep(r));
  }

  /** The {@code data.missing}, {@code data.categorical} and target-scaling keys. */
  private static PrepSettings prep(ConfigReader r) {
    Map<String, MissingPolicy> columns = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : r.stringMap("data.missing.columns").entrySet()) {
      try {
        columns.put(e.getKey(), MissingPolicy.parse(e.getValue()));
      } catch (IllegalArgumentException ex) {
        throw r.fail("data.missing.columns", "has '" + e.getKey() + " = " + e.getValue()
            + "'; a column's policy is fail, drop or impute");
      }
    }
    MissingPolicy policy = MissingPolicy.parse(r.string("data.missing.policy"));
    if (policy == MissingPolicy.FAIL && r.string("data.invalid-rows").equals("drop")) {
      policy = MissingPolicy.DROP; // data.invalid-rows = drop keeps meaning "drop NaN rows"
    }
    return new PrepSettings(policy, columns,
        r.string("data.missing.numeric-impute").equals("median"), r.bool("data.missing.indicator"),
        r.bool("data.categorical.auto-detect"), r.integer("data.categorical.max-categories"),
        r.integer("data.categorical.min-frequency"), r.bool("data.standardize-target"));
  }

  /** True if section {@code s} holds at least one non-null value (an empty section is absent). */
  private static boolean given(ConfigReader r, String s) {
    return r.isSet(s) && r.valueAt(s) instanceof ConfigObject o
        && o.values().stream().anyMatch(v -> v.valueType() != ConfigValueType.NULL);
  }

  private static double fraction(ConfigReader r, String key, DataSource separate, String pathKey) {
    double f = r.number(key);
    if (separate == null) {
      return f;
    }
    if (f > 0 && r.isExplicitOtherThan(key, KeyRegistry.get(key).defaultValue())) {
      throw r.conflict(List.of(key, pathKey), key + " and " + pathKey + " exclude each other: "
          + "with a separate input nothing is held out; remove one of them");
    }
    return 0;
  }

  private static DataSource source(ConfigReader r, String s, DataSource parent, Task task) {
    String pathKey = s + ".path";
    String path = r.string(pathKey);
    if (path == null) {
      throw r.fail(pathKey, "is required when " + s + " is given");
    }
    if (path.isBlank()) {
      throw r.fail(pathKey, "must not be blank");
    }
    Format format = Format.parse(field(r, s, "format", parent, p -> p.format().toString(),
        r::string));
    for (String f : KeyRegistry.SOURCE_FIELDS) {
      Object dflt = KeyRegistry.get("data.train." + f).defaultValue();
      if (!format.applies(f) && r.isExplicitOtherThan(s + "." + f, dflt)) {
        throw r.fail(s + "." + f, "does not apply to " + format + " input (leave it out)");
      }
    }
    int numFeatures = field(r, s, "num-features", parent, DataSource::numFeatures, r::integer);
    if (task == Task.AUTOENCODER) {
      // a saved model's resolved config repeats the defaults: only a real label is an error
      String labelKey = s + ".label-column";
      String labelsKey = s + ".label-columns";
      String given = r.isExplicitOtherThan(labelKey,
          KeyRegistry.get("data.train.label-column").defaultValue()) ? labelKey
          : r.isExplicit(labelsKey) && !r.strings(labelsKey).isEmpty() ? labelsKey
          : r.string(s + ".labels-path") != null ? s + ".labels-path" : null;
      if (given != null) {
        throw r.fail(given, "does not apply to task autoencoder: it reads no label (the target "
            + "of a row is its own features; leave the key out)");
      }
    }
    boolean ownLabel = r.isExplicit(s + ".label-column");
    boolean ownLabels = r.isExplicit(s + ".label-columns")
        && !r.strings(s + ".label-columns").isEmpty();
    if (ownLabels && r.isExplicitOtherThan(s + ".label-column",
        KeyRegistry.get("data.train.label-column").defaultValue())) {
      throw r.conflict(List.of(s + ".label-columns", s + ".label-column"), "give either "
          + s + ".label-column or " + s + ".label-columns, not both");
    }
    String labelColumn = ownLabels ? null
        : field(r, s, "label-column", parent, DataSource::labelColumn, r::string);
    List<String> labelColumns = ownLabel && !ownLabels ? List.of()
        : field(r, s, "label-columns", parent, DataSource::labelColumns, r::strings);
    String featuresColumn =
        field(r, s, "features-column", parent, DataSource::featuresColumn, r::string);
    List<String> featureColumns =
        field(r, s, "feature-columns", parent, DataSource::featureColumns, r::strings);
    List<String> idColumns = field(r, s, "id-columns", parent, DataSource::idColumns, r::strings);
    boolean csvHeader = field(r, s, "csv-header", parent, DataSource::csvHeader, r::bool);
    String csvDelimiter =
        field(r, s, "csv-delimiter", parent, DataSource::csvDelimiter, r::string);
    int skipLines = field(r, s, "skip-lines", parent, DataSource::skipLines, r::integer);
    Map<String, String> options =
        field(r, s, "options", parent, DataSource::options, r::stringMap);
    List<String> categorical = field(r, s, "categorical-columns", parent,
        DataSource::categoricalColumns, r::strings);
    List<String> excluded =
        field(r, s, "exclude-columns", parent, DataSource::excludeColumns, r::strings);
    String weightColumn =
        field(r, s, "weight-column", parent, DataSource::weightColumn, r::string);

    if (format == Format.IDX && task == Task.AUTOENCODER) {
      return DataSource.idx(path, null);
    }
    if (format == Format.IDX) {
      if (task != Task.BINARY && task != Task.MULTICLASS) {
        throw r.fail(s + ".format", "= idx needs task binary or multiclass (idx labels are one "
            + "class index per image), not " + task);
      }
      String labelsKey = s + ".labels-path";
      String labelsPath = r.string(labelsKey);
      if (labelsPath == null) {
        throw r.fail(labelsKey, "is required for idx input: the labels file (idx1) matching "
            + pathKey + (parent == null ? "" : " (it is not inherited from data.train)"));
      }
      if (labelsPath.isBlank()) {
        throw r.fail(labelsKey, "must not be blank");
      }
      return DataSource.idx(path, labelsPath);
    }
    if (format == Format.LIBSVM) {
      if (task == Task.MULTILABEL) {
        throw r.fail(s + ".format", "must be csv or parquet for task multilabel (libsvm holds "
            + "one label per row), got libsvm");
      }
      return new DataSource(path, format, numFeatures, null, List.of(), null, List.of(),
          List.of(), csvHeader, csvDelimiter);
    }
    if (!labelColumns.isEmpty()) {
      labelColumn = null;
    }
    if (format != Format.PARQUET) {
      featuresColumn = null;
    }
    checkLabels(r, s, task, labelColumns);
    if (featuresColumn != null && !featureColumns.isEmpty()) {
      throw r.conflict(List.of(s + ".features-column", s + ".feature-columns"), "give either "
          + s + ".features-column or " + s + ".feature-columns, not both");
    }
    List<String> labels = labelColumns.isEmpty()
        ? List.of(labelColumn == null ? "label" : labelColumn) : labelColumns;
    checkColumns(r, s, labels, featuresColumn, featureColumns, idColumns);
    checkTableColumns(r, s, labels, featuresColumn, featureColumns, idColumns, categorical,
        excluded);
    if (weightColumn != null) {
      List<String> weight = List.of(weightColumn);
      String key = s + ".weight-column";
      disjoint(r, key, weight, "label", labels);
      disjoint(r, key, weight, "feature", featureColumns);
      disjoint(r, key, weight, "features", featuresColumn == null ? List.of()
          : List.of(featuresColumn));
      disjoint(r, key, weight, "id", idColumns);
      disjoint(r, key, weight, "categorical", categorical);
    }
    return new DataSource(path, format, 0, labelColumn, labelColumns, featuresColumn,
        featureColumns, idColumns, csvHeader, csvDelimiter, null, categorical, excluded, options,
        format == Format.CSV ? skipLines : 0, weightColumn);
  }

  private static void checkTableColumns(ConfigReader r, String s, List<String> labels,
      String featuresColumn, List<String> featureColumns, List<String> idColumns,
      List<String> categorical, List<String> excluded) {
    noDuplicates(r, s + ".categorical-columns", categorical);
    noDuplicates(r, s + ".exclude-columns", excluded);
    if (featuresColumn != null && !categorical.isEmpty()) {
      throw r.conflict(List.of(s + ".categorical-columns", s + ".features-column"),
          s + ".categorical-columns is for feature columns, not a features vector column");
    }
    if (!featureColumns.isEmpty() && !excluded.isEmpty()) {
      throw r.conflict(List.of(s + ".exclude-columns", s + ".feature-columns"), "give either "
          + s + ".feature-columns or " + s + ".exclude-columns, not both");
    }
    disjoint(r, s + ".categorical-columns", categorical, "label", labels);
    disjoint(r, s + ".categorical-columns", categorical, "id", idColumns);
    disjoint(r, s + ".categorical-columns", categorical, "excluded", excluded);
    if (!featureColumns.isEmpty()) {
      for (String c : categorical) {
        if (!featureColumns.contains(c)) {
          throw r.fail(s + ".categorical-columns", "contains '" + c
              + "', which is not one of " + s + ".feature-columns");
        }
      }
    }
  }

  private static void checkLabels(ConfigReader r, String s, Task task, List<String> labelColumns) {
    String key = s + ".label-columns";
    if (task == Task.MULTILABEL && labelColumns.isEmpty()) {
      throw r.fail(key, "is required for task multilabel: list the 0/1 label columns, "
          + "e.g. [\"y1\", \"y2\", \"y3\"]");
    }
    if ((task == Task.BINARY || task == Task.MULTICLASS) && !labelColumns.isEmpty()) {
      throw r.fail(key, "is only for multilabel and multi-target regression; task " + task
          + " reads one label column, " + s + ".label-column");
    }
  }

  private static void checkColumns(ConfigReader r, String s, List<String> labels,
      String featuresColumn, List<String> featureColumns, List<String> idColumns) {
    noDuplicates(r, s + ".label-columns", labels);
    noDuplicates(r, s + ".feature-columns", featureColumns);
    noDuplicates(r, s + ".id-columns", idColumns);
    List<String> features = new ArrayList<>(featureColumns);
    if (featuresColumn != null) {
      features.add(featuresColumn);
    }
    String featureKey = s + (featuresColumn != null ? ".features-column" : ".feature-columns");
    disjoint(r, featureKey, features, "label", labels);
    disjoint(r, s + ".id-columns", idColumns, "label", labels);
    disjoint(r, s + ".id-columns", idColumns, "feature", features);
  }

  private static void noDuplicates(ConfigReader r, String key, List<String> columns) {
    Set<String> seen = new HashSet<>();
    for (String c : columns) {
      if (!seen.add(c)) {
        throw r.fail(key, "lists column '" + c + "' twice");
      }
    }
  }

  private static void disjoint(ConfigReader r, String key, List<String> columns, String what,
      List<String> others) {
    for (String c : columns) {
      if (others.contains(c)) {
        throw r.fail(key, "contains '" + c + "', which is also a " + what + " column");
      }
    }
  }

  /** A field's own value if set in section {@code s}, else the parent's (if any), else default. */
  private static <T> T field(ConfigReader r, String s, String name, DataSource parent,
      Function<DataSource, T> inherited, Function<String, T> read) {
    String key = s + "." + name;
    if (parent != null && !r.isSet(key)) {
      return inherited.apply(parent);
    }
    return read.apply(key);
  }

  /**
   * {@code c} with the data sections as the job uses them: validation and test sections completed
   * with the inherited training fields, keys that do not apply to an input's format removed, and
   * the fractions of separately given inputs set to 0.
   */
  static Config normalize(Config c, Inputs in) {
    c = prune(c, "data.train", in.train());
    Config trainFields =
        c.getConfig("data.train").withoutPath("path").withoutPath("labels-path");
    for (String role : List.of("validation", "test")) {
      DataSource ds = role.equals("validation") ? in.validation() : in.test();
      String s = "data." + role;
      if (ds == null) {
        c = c.withoutPath(s);
        continue;
      }
      c = c.withValue(s, c.getConfig(s).withFallback(trainFields).root());
      c = prune(c, s, ds);
      c = c.withValue(s + "-fraction", ConfigValueFactory.fromAnyRef(0.0));
    }
    return c;
  }

  private static Config prune(Config c, String s, DataSource ds) {
    for (String f : KeyRegistry.SOURCE_FIELDS) {
      boolean drop = !ds.format().applies(f)
          || (f.equals("label-column") && ds.labelColumn() == null)
          || (f.equals("label-columns") && ds.labelColumns().isEmpty())
          || (f.equals("feature-columns") && ds.featuresColumn() != null)
          || (f.equals("categorical-columns") && ds.featuresColumn() != null)
          || (f.equals("exclude-columns") && ds.featuresColumn() != null);
      if (drop) {
        c = c.withoutPath(s + "." + f);
      }
    }
    return c;
  }
}
