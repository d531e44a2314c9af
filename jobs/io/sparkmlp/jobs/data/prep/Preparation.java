package io.sparkmlp.jobs.data.prep;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.jobs.config.MissingPolicy;
import io.sparkmlp.jobs.config.PrepSettings;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.read.RawTable;
import io.sparkmlp.trainer.SparkErrors;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;

/**
 * Turns the raw feature columns of a CSV or Parquet input into the feature vector, with what was
 * learned from the training rows: per column, numeric or categorical (one-hot, see
 * {@link ColumnPrep}), the missing-value policy, the imputed value and the vocabulary.
 *
 * <p>{@link #fit} learns it from the training split only; {@link #check} and {@link #apply} use
 * it unchanged on every split at training time and on the inputs of evaluate and predict, so the
 * same raw row always gives the same features. It is stored in model.json
 * ({@link #toJson}/{@link #fromJson}).
 */
public final class Preparation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<ColumnPrep> columns;

  /**
   * A preparation of these columns, in raw-column order.
   *
   * @throws IllegalArgumentException if there are no columns or a name repeats
   */
  public Preparation(List<ColumnPrep> columns) {
    this.columns = List.copyOf(columns);
    if (this.columns.isEmpty()) {
      throw new IllegalArgumentException("a preparation needs at least one column");
    }
    Set<String> seen = new HashSet<>();
    for (ColumnPrep c : this.columns) {
      if (!seen.add(c.name())) {
        throw new IllegalArgumentException("column '" + c.name() + "' is prepared twice");
      }
    }
  }

  /** The prepared columns, in raw-column order. */
  public List<ColumnPrep> columns() {
    return columns;
  }

  /** The raw columns an input must have, in order. */
  public List<String> inputColumns() {
    return columns.stream().map(ColumnPrep::name).toList();
  }

  /** Number of features produced. */
  public int width() {
    return columns.stream().mapToInt(ColumnPrep::width).sum();
  }

  /** The names of the features produced, in vector order. */
  public List<String> featureNames() {
    List<String> out = new ArrayList<>();
    columns.forEach(c -> out.addAll(c.featureNames()));
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // fitting

  /**
   * A preparation learned from the training rows, and those rows checked by it.
   *
   * @param preparation what was learned
   * @param counts      the training rows and how many of them the drop policy leaves out: what
   *                    {@link Preparation#check} of the training rows returns
   */
  public record Fitted(Preparation preparation, Counts counts) {}

  /**
   * Learns the preparation from the training rows: which columns are categorical, each column's
   * missing-value policy, the imputed values and the vocabularies. Rows that the drop policy
   * removes do not count in the statistics. Logs one line per categorical column. The training
   * rows are checked as {@link #check} would check them (see {@link #fitChecked}).
   *
   * @param train       the training split only
   * @param settings    the data.missing and data.categorical settings
   * @param declared    columns declared categorical
   * @param log         where to print what was decided
   * @return the preparation
   * @throws IllegalArgumentException as {@link #fitChecked}
   */
  public static Preparation fit(RawTable train, PrepSettings settings, List<String> declared,
      PrintStream log) {
    return fitChecked(train, settings, declared, log).preparation();
  }

  /**
   * {@link #fit} and {@link #check} of the training rows from the same passes: the statistics
   * pass also finds what the check looks for (the check of the training rows can only fail on a
   * number beyond the float range once the fit has passed: text in a numeric column and a
   * missing value under policy fail fail the fit), and the fit's counts of kept rows are the
   * check's counts. Saves the check's pass over the training rows.
   *
   * @param train       the training split only
   * @param settings    the data.missing and data.categorical settings
   * @param declared    columns declared categorical
   * @param log         where to print what was decided
   * @return the preparation and the counts of the training rows
   * @throws IllegalArgumentException naming the file, the column and (where possible) the data
   *     row: a missing value under policy fail, a numeric column with a few non-numeric values,
   *     a column with no values, a per-column policy for an unknown column, a number beyond the
   *     float range in a numeric column (the first in partition and row order, as
   *     {@link #check} reports it)
   */
  public static Fitted fitChecked(RawTable train, PrepSettings settings, List<String> declared,
      PrintStream log) {
    Objects.requireNonNull(train, "train");
    List<String> names = train.columns();
    for (String c : settings.columnPolicies().keySet()) {
      if (!names.contains(c)) {
        throw new IllegalArgumentException("data.missing.columns names '" + c
            + "', which is not a feature column of " + train.path() + " (features: "
            + preview(names) + ")");
      }
    }
    ColumnStats.Counting[] counting = new ColumnStats.Counting[names.size()];
    // the sum of a column's numbers is for its mean, imputed under policy impute
    boolean[] sums = new boolean[names.size()];
    for (int i = 0; i < names.size(); i++) {
      counting[i] = declared.contains(names.get(i)) ? ColumnStats.Counting.ALWAYS
          : settings.autoDetect() && train.textColumns().contains(names.get(i))
              ? ColumnStats.Counting.WHILE_TEXT : ColumnStats.Counting.NONE;
      sums[i] = !settings.median() && settings.policy(names.get(i)) == MissingPolicy.IMPUTE;
    }
    ColumnStats[] stats = stats(train.rows(), counting, sums);
    ColumnStats[] all = stats;
    long rows = stats.length == 0 ? 0 : total(stats[0]);
    if (rows == 0) {
      throw new IllegalArgumentException(train.path() + ": no training rows");
    }

    // kinds and policies from every training row
    List<ColumnPrep> kinds = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      ColumnStats st = stats[i];
      boolean categorical = declared.contains(name);
      if (!categorical && st.nonNumeric > 0) {
        boolean mostlyText = st.nonNumeric * 2 >= st.nonNumeric + st.numeric;
        if (!settings.autoDetect() || !mostlyText) {
          long row = RowLocator.firstRow(train.rows().sparkSession(), train.source(),
              st.firstTextFile, name, v -> Cells.number(v) == null);
          throw new IllegalArgumentException(st.firstTextFile + ": column '" + name
              + "' has a non-numeric value '" + shorten(st.firstText) + "'"
              + RowLocator.where(row) + (settings.autoDetect()
                  ? " (" + st.nonNumeric + " of its " + (st.numeric + st.nonNumeric)
                      + " values are not numbers); list it in data.train.categorical-columns to "
                      + "encode it as categories, or declare the marker as missing with "
                      + "data.train.options.nullValue"
                  : "; list it in data.train.categorical-columns, or set "
                      + "data.categorical.auto-detect = true"));
        }
        categorical = true;
      }
      MissingPolicy policy = settings.policy(name);
      long missing = categorical ? st.missing : st.missingAsNumber();
      if (missing > 0 && policy == MissingPolicy.FAIL) {
        String file = categorical || st.missing > 0 ? st.firstMissingFile : st.firstInfiniteFile;
        ColumnPrep probe = new ColumnPrep(name, categorical, policy, Double.NaN, false, List.of());
        RowLocator.Found found = RowLocator.first(train.rows().sparkSession(), train.source(),
            file, name, probe::isMissing);
        throw new IllegalArgumentException(file + ": column '" + name + "' has a missing value"
            + found.missing() + " (" + missing + " in the training rows; empty cells, "
            + "nulls, NaN" + (categorical ? "" : " and infinite numbers") + " are missing); set "
            + "data.missing.policy = drop or impute, or for this column only data.missing.columns"
            + " { \"" + name + "\" = impute }");
      }
      if (st.numeric + st.nonNumeric == 0) {
        throw new IllegalArgumentException(train.path() + ": feature column '" + name
            + "' has no values in the " + rows + " training rows; leave it out with "
            + "data.train.exclude-columns");
      }
      kinds.add(new ColumnPrep(name, categorical, policy, 0.0, false, List.of()));
    }

    // statistics from the rows that are kept
    List<ColumnPrep> dropping = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      ColumnPrep k = kinds.get(i);
      long missing = k.categorical() ? stats[i].missing : stats[i].missingAsNumber();
      if (k.policy() == MissingPolicy.DROP && missing > 0) {
        dropping.add(k);
      }
    }
    Dataset<Row> kept = train.rows();
    long keptRows = rows;
    if (!dropping.isEmpty()) {
      for (int i = 0; i < counting.length; i++) {
        counting[i] = kinds.get(i).categorical() ? ColumnStats.Counting.ALWAYS
            : ColumnStats.Counting.NONE;
      }
      int[] idx = dropping.stream().mapToInt(k -> names.indexOf(k.name())).toArray();
      ColumnPrep[] drop = dropping.toArray(ColumnPrep[]::new);
      kept = kept.filter((org.apache.spark.api.java.function.FilterFunction<Row>) r -> {
        Row raw = r.getStruct(r.fieldIndex(RawTable.RAW));
        for (int j = 0; j < idx.length; j++) {
          if (drop[j].isMissing(raw.get(idx[j]))) {
            return false;
          }
        }
        return true;
      });
      stats = stats(kept, counting, sums);
      if (stats.length == 0 || total(stats[0]) == 0) {
        throw new IllegalArgumentException(train.path() + ": every training row has a missing "
            + "value in a column with policy drop (" + preview(dropping.stream()
                .map(ColumnPrep::name).toList()) + ")");
      }
      keptRows = total(stats[0]);
    } else {
      recount(kept, kinds, stats);
    }
    double[] medians = settings.median() ? medians(kept, kinds) : null;

    List<ColumnPrep> out = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      ColumnPrep k = kinds.get(i);
      ColumnStats st = stats[i];
      if (k.categorical()) {
        List<String> vocab = vocabulary(st, settings);
        long distinct = st.counts.size() + (st.overflow > 0 ? 1 : 0);
        log.println("column '" + k.name() + "': categorical" + (declared.contains(k.name())
            ? " (declared)" : " (text values)") + ", " + vocab.size() + " categories"
            + (distinct > vocab.size() ? " (" + (distinct - vocab.size())
                + " rarer ones share <other>)" : "")
            + (k.policy() == MissingPolicy.IMPUTE ? ", missing values as <missing>" : ""));
        out.add(new ColumnPrep(k.name(), true, k.policy(), Double.NaN, false, vocab));
      } else {
        boolean impute = k.policy() == MissingPolicy.IMPUTE;
        double fill = !impute ? Double.NaN
            : medians != null ? medians[i] : st.sum / st.numeric;
        if (impute && !Double.isFinite(fill)) {
          throw new IllegalArgumentException(train.path() + ": column '" + k.name()
              + "' has no numbers in the training rows to impute from");
        }
        boolean indicator = impute && settings.indicator() && st.missingAsNumber() > 0;
        out.add(new ColumnPrep(k.name(), false, k.policy(), fill, indicator, List.of()));
      }
    }
    Preparation prep = new Preparation(out);
    prep.throwFirstBeyondFloat(train, all);
    return new Fitted(prep, new Counts(rows, rows - keptRows));
  }

  /**
   * The check of the training rows (see {@link #fitChecked}): fails on the first finite number
   * beyond the float range in a numeric column, first by partition, then row, then column, as
   * {@link #check} finds it; {@code stats} are of every training row.
   */
  private void throwFirstBeyondFloat(RawTable train, ColumnStats[] stats) {
    int first = -1;
    for (int i = 0; i < columns.size(); i++) {
      ColumnStats s = stats[i];
      if (columns.get(i).categorical() || s.firstBeyondFloatRow < 0) {
        continue;
      }
      if (first < 0 || s.firstBeyondFloatPartition < stats[first].firstBeyondFloatPartition
          || (s.firstBeyondFloatPartition == stats[first].firstBeyondFloatPartition
              && s.firstBeyondFloatRow < stats[first].firstBeyondFloatRow)) {
        first = i;
      }
    }
    if (first >= 0) {
      throw beyondFloat(train, stats[first].firstBeyondFloatFile, columns.get(first),
          stats[first].firstBeyondFloat);
    }
  }

  /** The one-line error for {@code value} of column {@code c} beyond the float range. */
  private static IllegalArgumentException beyondFloat(RawTable input, String file, ColumnPrep c,
      String value) {
    long row = RowLocator.firstRow(input.rows().sparkSession(), input.source(), file, c.name(),
        c::isBeyondFloat);
    return new IllegalArgumentException(file + ": column '" + c.name() + "' has the value "
        + shorten(value) + RowLocator.where(row) + ", beyond the range of a float (+-3.4e38) "
        + "that features are trained in");
  }

  /**
   * Counts the values of the categorical columns whose first pass stopped counting them (they
   * looked numeric in some partition, see {@link ColumnStats}) in a pass over those columns
   * only, and puts the counts into {@code stats}; no pass when there are none.
   */
  private static void recount(Dataset<Row> rows, List<ColumnPrep> kinds, ColumnStats[] stats) {
    int[] idx = java.util.stream.IntStream.range(0, kinds.size())
        .filter(i -> kinds.get(i).categorical() && stats[i].countsStopped).toArray();
    if (idx.length == 0) {
      return;
    }
    List<ColumnStats[]> parts;
    try {
      Column[] cols = java.util.stream.IntStream.of(idx).mapToObj(i -> col("`" + RawTable.RAW
          + "`.`" + kinds.get(i).name().replace("`", "``") + "`")).toArray(Column[]::new);
      parts = rows.select(cols).javaRDD()
          .mapPartitions((Iterator<Row> it) -> {
            ColumnStats[] s = new ColumnStats[idx.length];
            for (int j = 0; j < s.length; j++) {
              s[j] = new ColumnStats(ColumnStats.Counting.ALWAYS, false);
            }
            while (it.hasNext()) {
              Row r = it.next();
              for (int j = 0; j < s.length; j++) {
                s[j].countsOnly(r.get(j));
              }
            }
            List<byte[]> one = new ArrayList<>(1);
            one.add(TaskResults.pack(s));
            return one.iterator();
          }).collect().stream().map(b -> TaskResults.<ColumnStats[]>unpack(b)).toList();
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    }
    for (int j = 0; j < idx.length; j++) {
      ColumnStats total = new ColumnStats(ColumnStats.Counting.ALWAYS, false);
      for (ColumnStats[] p : parts) {
        total.merge(p[j]);
      }
      stats[idx[j]].counts = total.counts;
      stats[idx[j]].overflow = total.overflow;
      stats[idx[j]].countsStopped = false;
    }
  }

  private static long total(ColumnStats s) {
    return s.missing + s.infinite + s.numeric + s.nonNumeric;
  }

  /** The kept categories: frequent enough, the most frequent first (ties by name). */
  private static List<String> vocabulary(ColumnStats st, PrepSettings settings) {
    return st.counts.entrySet().stream()
        .filter(e -> e.getValue() >= settings.minFrequency())
        .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
            .thenComparing(Map.Entry::getKey))
        .limit(settings.maxCategories())
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Approximate medians (Spark's percentile_approx, accuracy 10,000: rank error 1e-4) of the numeric columns; NaN for the others. */
  private static double[] medians(Dataset<Row> rows, List<ColumnPrep> kinds) {
    List<String> numeric = new ArrayList<>();
    List<Column> parsed = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      if (!kinds.get(i).categorical()) {
        String alias = "m" + i;
        Column v = expr("try_cast(trim(cast(`" + RawTable.RAW + "`.`"
            + kinds.get(i).name().replace("`", "``") + "` as string)) as double)");
        parsed.add(when(abs(v).leq(lit(Double.MAX_VALUE)), v).as(alias));
        numeric.add(alias);
      }
    }
    double[] out = new double[kinds.size()];
    Arrays.fill(out, Double.NaN);
    if (numeric.isEmpty()) {
      return out;
    }
    // percentile_approx, not DataFrameStatFunctions.approxQuantile: its task results are
    // QuantileSummaries, which Kryo with registrationRequired refuses
    List<Column> aggs = new ArrayList<>();
    for (String alias : numeric) {
      aggs.add(functions.percentile_approx(col(alias), lit(0.5), lit(10_000)));
    }
    Row q = rows.select(parsed.toArray(Column[]::new))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    for (int j = 0; j < numeric.size(); j++) {
      out[Integer.parseInt(numeric.get(j).substring(1))] =
          q.isNullAt(j) ? Double.NaN : q.getDouble(j);
    }
    return out;
  }

  /** Column statistics of the raw rows, merged over partitions in partition order. */
  private static ColumnStats[] stats(Dataset<Row> rows, ColumnStats.Counting[] counting,
      boolean[] sums) {
    List<ColumnStats[]> parts;
    try {
      parts = rows.select(RawTable.RAW, RawTable.FILE).javaRDD()
          .mapPartitionsWithIndex((Integer part, Iterator<Row> it) -> {
            ColumnStats[] s = new ColumnStats[counting.length];
            for (int i = 0; i < s.length; i++) {
              s[i] = new ColumnStats(counting[i], sums[i]);
            }
            long row = 0;
            while (it.hasNext()) {
              Row r = it.next();
              Row raw = r.getStruct(0);
              String file = r.getString(1);
              for (int i = 0; i < s.length; i++) {
                s[i].add(raw.get(i), file, part, row);
              }
              row++;
            }
            List<byte[]> one = new ArrayList<>(1);
            one.add(TaskResults.pack(s));
            return one.iterator();
          }, true).collect().stream().map(b -> TaskResults.<ColumnStats[]>unpack(b)).toList();
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    }
    ColumnStats[] total = null;
    for (ColumnStats[] p : parts) {
      if (total == null) {
        total = p;
      } else {
        for (int i = 0; i < total.length; i++) {
          total[i].merge(p[i]);
        }
      }
    }
    if (total == null) {
      total = new ColumnStats[0];
    }
    return total;
  }

  // ---------------------------------------------------------------------------------------------
  // checking and applying

  /**
   * Rows of an input and how many of them the drop policy leaves out.
   *
   * @param rows    rows read
   * @param dropped rows with a missing value in a column whose policy is drop
   */
  public record Counts(long rows, long dropped) {
    /** Rows kept. */
    public long kept() {
      return rows - dropped;
    }
  }

  /**
   * Checks every row of {@code input} in one pass and counts the rows the drop policy removes.
   *
   * @param input the rows (a split of the training input, or the input of evaluate or predict)
   * @param hint  what the user can do about a missing value in a column with policy fail
   * @throws IllegalArgumentException naming the file, column and data row of the first missing
   *     value in a column with policy fail, or of text in a numeric column
   */
  public Counts check(RawTable input, String hint) {
    checkColumns(input);
    List<ColumnPrep> cols = columns;
    List<long[]> parts;
    List<String[]> errors;
    try {
      var perPartition = input.rows().select(RawTable.RAW, RawTable.FILE).javaRDD()
          .mapPartitions((Iterator<Row> it) -> {
            long n = 0;
            long dropped = 0;
            String[] error = null;
            while (it.hasNext()) {
              Row r = it.next();
              Row raw = r.getStruct(0);
              n++;
              boolean drop = false;
              for (int i = 0; i < cols.size(); i++) {
                ColumnPrep c = cols.get(i);
                Object v = raw.get(i);
                switch (c.problem(v)) {
                  case ColumnPrep.TEXT -> {
                    if (error == null) {
                      error = new String[] {r.getString(1), c.name(), "text",
                          String.valueOf(v)};
                    }
                  }
                  case ColumnPrep.RANGE -> {
                    if (error == null) {
                      error = new String[] {r.getString(1), c.name(), "range",
                          String.valueOf(v)};
                    }
                  }
                  case ColumnPrep.MISSING_VALUE -> {
                    if (c.policy() == MissingPolicy.DROP) {
                      drop = true;
                    } else if (c.policy() == MissingPolicy.FAIL && error == null) {
                      error = new String[] {r.getString(1), c.name(), "missing", Cells.why(v)};
                    }
                  }
                  default -> { }
                }
              }
              if (drop) {
                dropped++;
              }
            }
            List<byte[]> one = new ArrayList<>();
            one.add(TaskResults.pack(new Object[] {new long[] {n, dropped}, error}));
            return one.iterator();
          }).collect().stream().map(b -> TaskResults.<Object[]>unpack(b)).toList();
      parts = new ArrayList<>();
      errors = new ArrayList<>();
      for (Object[] p : perPartition) {
        parts.add((long[]) p[0]);
        if (p[1] != null) {
          errors.add((String[]) p[1]);
        }
      }
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    }
    if (!errors.isEmpty()) {
      String[] e = errors.get(0);
      ColumnPrep c = cols.get(inputColumns().indexOf(e[1]));
      boolean text = e[2].equals("text");
      if (e[2].equals("range")) {
        throw beyondFloat(input, e[0], c, e[3]);
      }
      long row = RowLocator.firstRow(input.rows().sparkSession(), input.source(), e[0], e[1],
          text ? c::isNonNumeric : c::isMissing);
      throw new IllegalArgumentException(e[0] + ": column '" + e[1] + "' has "
          + (text ? "a non-numeric value '" + shorten(e[3]) + "'" : "a missing value (" + e[3]
              + ")") + RowLocator.where(row) + (text
                  ? " but it was numeric in the training rows" : "; " + hint));
    }
    long n = 0;
    long dropped = 0;
    for (long[] p : parts) {
      n += p[0];
      dropped += p[1];
    }
    return new Counts(n, dropped);
  }

  private void checkColumns(RawTable input) {
    if (!input.columns().equals(inputColumns())) {
      throw new IllegalArgumentException(input.path() + ": feature columns "
          + preview(input.columns()) + " differ from the prepared columns "
          + preview(inputColumns()));
    }
  }

  /**
   * The input's rows with the raw columns replaced by the {@value PreparedData#FEATURES} vector;
   * rows with a missing value in a column of policy drop are left out. Lazy; run
   * {@link #check} first (a missing value under policy fail fails the task here, without its row).
   */
  public PreparedData apply(RawTable input) {
    checkColumns(input);
    List<ColumnPrep> cols = columns;
    int width = width();
    UserDefinedFunction encode = functions.udf((UDF1<Row, Vector>) raw -> {
      double[] out = new double[width];
      int off = 0;
      for (int i = 0; i < cols.size(); i++) {
        ColumnPrep c = cols.get(i);
        if (!c.encode(raw.get(i), out, off)) {
          return null;
        }
        off += c.width();
      }
      return Vectors.dense(out).compressed();
    }, SQLDataTypes.VectorType());
    Dataset<Row> rows = input.rows();
    List<Column> out = new ArrayList<>();
    for (String f : rows.columns()) {
      if (f.equals(RawTable.RAW)) {
        out.add(encode.apply(col(RawTable.RAW)).as(PreparedData.FEATURES));
      } else if (!f.equals(RawTable.FILE)) {
        out.add(col("`" + f.replace("`", "``") + "`"));
      }
    }
    Dataset<Row> prepared = rows.select(out.toArray(Column[]::new))
        .filter(col(PreparedData.FEATURES).isNotNull());
    return new PreparedData(prepared, width, featureNames(), input.mapping(),
        input.outputWidth(), input.path(), input.hasLabel());
  }

  // ---------------------------------------------------------------------------------------------
  // model.json

  /** {@code {"columns": [...]}}, as stored under {@code preparation} in model.json. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode a = o.putArray("columns");
    columns.forEach(c -> a.add(c.toJson()));
    return o;
  }

  /**
   * Reads {@link #toJson}'s form; null when the node has no columns (a model of vector input).
   *
   * @throws IllegalArgumentException naming the field
   */
  public static Preparation fromJson(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    JsonNode a = node.get("columns");
    if (a == null || a.isNull()) {
      return null;
    }
    if (!a.isArray()) {
      throw new IllegalArgumentException("preparation.columns must be an array");
    }
    List<ColumnPrep> cols = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      cols.add(ColumnPrep.fromJson(a.get(i), i));
    }
    return new Preparation(cols);
  }

  private static String shorten(String s) {
    return s == null || s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  private static String preview(List<String> names) {
    return names.size() <= 10 ? names.toString()
        : names.subList(0, 10) + " (and " + (names.size() - 10) + " more)";
  }

  /** The column and feature counts, for logs. */
  @Override
  public String toString() {
    return "Preparation[" + columns.size() + " columns -> " + width() + " features]";
  }
}
