package io.sparkmlp.jobs.data.generate;

import io.sparkmlp.jobs.config.TeacherSettings;
import io.sparkmlp.jobs.data.read.DataReader;
import io.sparkmlp.jobs.data.read.HadoopPaths;
import io.sparkmlp.jobs.data.write.DatasetOutput;
import io.sparkmlp.model.Task;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Synthetic data from a fixed random teacher network, generated inside Spark partitions (nothing
 * is built on the driver but the teacher's weights).
 *
 * <p>The teacher: layers {@code features - hidden... - outputs}, tanh hidden layers, a linear
 * output; every weight and bias is drawn from N(0, (1.5 / sqrt(fan-in))^2) by a
 * {@link SplittableRandom} seeded with {@code seed}, on the driver, and shipped to the tasks with
 * the closure (a few KiB). The teacher is evaluated in double with {@link StrictMath#tanh}, so a
 * row's label does not depend on the JVM or CPU. Row {@code i}: features x ~ N(0, 1) rounded to float32, teacher outputs
 * z = teacher(x) (computed in double from the float32 features, so the stored features determine
 * the label), plus N(0, noise^2) per output when {@code noise > 0}; then the label:
 *
 * <ul>
 *   <li>multiclass: argmax z, an integer class index in [0, outputs);
 *   <li>binary (outputs = 1): 1 if z > 0 (sigmoid(z) > 0.5), else 0;
 *   <li>multilabel: per output 1 if z_k > 0, else 0, as an array of floats;
 *   <li>regression: z itself, a double (outputs = 1) or an array of doubles.
 * </ul>
 *
 * For classification, noise flips labels near the teacher's decision boundaries (label noise).
 *
 * <p>Determinism: row {@code i} is drawn from its own generator, seeded from ({@code seed}, i)
 * only. The rows, their order and their content are therefore the same for the same seed and
 * settings whatever the partition count and however tasks are scheduled; the partition count only
 * decides how the rows are split into partitions (contiguous ranges, in order) and part files.
 *
 * <p>Schema ({@link #schema}): {@value #FEATURES} an array of float (not null), {@value #LABEL} as
 * above, readable by {@link DataReader} as Parquet with {@code features-column = features} and the
 * default {@code label-column = label}.
 */
public final class TeacherData {
  /** The features column: array of float32. */
  public static final String FEATURES = "features";
  /** The label column. */
  public static final String LABEL = "label";
  /** Rows per partition above which the automatic partition count grows. */
  public static final long ROWS_PER_PARTITION = 1_000_000L;

  private static final long ROW_SALT = 0x5EED_7EAC_4E55L;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private TeacherData() {}

  /** The fixed random teacher network: weights drawn from the seed, evaluated in double. */
  static final class Teacher implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Layer widths, input first. */
    final int[] layers;
    /** Per layer: [out][in + 1] row-major, the bias last in each row. */
    final double[][] weights;

    Teacher(int[] layers, long seed) {
      this.layers = layers.clone();
      SplittableRandom rnd = new SplittableRandom(seed);
      weights = new double[layers.length - 1][];
      for (int l = 0; l + 1 < layers.length; l++) {
        int in = layers[l];
        double[] w = new double[layers[l + 1] * (in + 1)];
        double scale = 1.5 / Math.sqrt(in);
        for (int j = 0; j < w.length; j++) {
          w[j] = rnd.nextGaussian() * scale;
        }
        weights[l] = w;
      }
    }

    /** The raw outputs for input {@code x} (tanh hidden layers, linear output). */
    double[] forward(float[] x) {
      double[] a = new double[x.length];
      for (int j = 0; j < x.length; j++) {
        a[j] = x[j];
      }
      for (int l = 0; l < weights.length; l++) {
        double[] w = weights[l];
        int in = layers[l];
        double[] z = new double[layers[l + 1]];
        boolean hidden = l + 1 < weights.length;
        for (int o = 0; o < z.length; o++) {
          int base = o * (in + 1);
          double s = w[base + in];
          for (int j = 0; j < in; j++) {
            s += w[base + j] * a[j];
          }
          z[o] = hidden ? StrictMath.tanh(s) : s;
        }
        a = z;
      }
      return a;
    }
  }

  /**
   * The schema of {@link #generate} for {@code s}: {@value #FEATURES} an array of float;
   * {@value #LABEL} an int (multiclass, binary), an array of float (multilabel), a double (one
   * regression target) or an array of double (several).
   */
  public static StructType schema(TeacherSettings s) {
    boolean scalar = s.task() != Task.MULTILABEL
        && !(s.task() == Task.REGRESSION && s.outputs() > 1);
    DataType label = switch (s.task()) {
      case MULTICLASS, BINARY -> DataTypes.IntegerType;
      case MULTILABEL -> DataTypes.createArrayType(DataTypes.FloatType, false);
      case REGRESSION -> s.outputs() == 1 ? DataTypes.DoubleType
          : DataTypes.createArrayType(DataTypes.DoubleType, false);
      case AUTOENCODER -> throw noLabels();
    };
    return new StructType()
        .add(FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), true)
        .add(LABEL, label, !scalar);
  }

  /**
   * The partition count for {@code rowCount} rows: {@code s.partitions()} when set, else the
   * session's default parallelism, or more so that no partition holds more than
   * {@value #ROWS_PER_PARTITION} rows.
   */
  public static int partitionsFor(SparkSession spark, TeacherSettings s, long rowCount) {
    if (s.partitions() > 0) {
      return s.partitions();
    }
    long byRows = (rowCount + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION;
    return (int) Math.max(spark.sparkContext().defaultParallelism(), Math.min(byRows, 100_000));
  }

  /** All {@code s.rows()} rows, lazily: rows 0 to rows - 1. */
  public static Dataset<Row> generate(SparkSession spark, TeacherSettings s) {
    return generate(spark, s, 0, s.rows());
  }

  /**
   * Rows {@code firstRow} to {@code firstRow + count - 1} of the data set {@code s} describes
   * ({@code s.rows()} is not used), lazily, in {@link #partitionsFor} partitions of contiguous
   * rows. Disjoint ranges are disjoint samples from the same teacher (e.g. a training and a test
   * set).
   *
   * @throws IllegalArgumentException if {@code firstRow < 0} or {@code count < 1}
   */
  public static Dataset<Row> generate(SparkSession spark, TeacherSettings s, long firstRow, long count) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(s, "settings");
    if (firstRow < 0 || count < 1) {
      throw new IllegalArgumentException("need firstRow >= 0 and count >= 1, got " + firstRow
          + " and " + count);
    }
    int parts = (int) Math.min(partitionsFor(spark, s, count), count);
    Teacher teacher = new Teacher(s.layers(), s.seed());
    // one partition index per partition; each expands to its contiguous range of rows
    Dataset<Sample> samples = spark.range(0, parts, 1, parts).as(Encoders.LONG()).flatMap(
        (FlatMapFunction<Long, Sample>) p -> new SampleIterator(s, teacher,
            firstRow + start(count, parts, p.intValue()),
            firstRow + start(count, parts, p.intValue() + 1)),
        Encoders.bean(Sample.class));
    String label = switch (s.task()) {
      case MULTICLASS, BINARY -> "classLabel";
      case MULTILABEL -> "labels";
      case REGRESSION -> s.outputs() == 1 ? "target" : "targets";
      case AUTOENCODER -> throw noLabels();
    };
    return samples.select(functions.col("features").as(FEATURES),
        functions.col(label).as(LABEL));
  }

  /** First row (relative) of partition {@code p} of {@code parts} over {@code count} rows. */
  static long start(long count, int parts, int p) {
    return (count / parts) * p + Math.min(p, count % parts);
  }

  /**
   * Row {@code index} of the data set {@code s}, computed on the driver: the same values as in
   * {@link #generate}, with the features as a {@code float[]} and an array label as a
   * {@code float[]} or {@code double[]} (for tests and small samples; draws the teacher each call).
   */
  public static Row row(TeacherSettings s, long index) {
    return row(s, new Teacher(s.layers(), s.seed()), index);
  }

  static Row row(TeacherSettings s, Teacher teacher, long index) {
    Sample x = sample(s, teacher, index);
    Object label = switch (s.task()) {
      case MULTICLASS, BINARY -> x.getClassLabel();
      case MULTILABEL -> x.getLabels();
      case REGRESSION -> s.outputs() == 1 ? (Object) x.getTarget() : x.getTargets();
      case AUTOENCODER -> throw noLabels();
    };
    return RowFactory.create(x.getFeatures(), label);
  }

  static Sample sample(TeacherSettings s, Teacher teacher, long index) {
    SplittableRandom rnd = new SplittableRandom(rowSeed(s.seed(), index));
    float[] x = new float[s.features()];
    for (int j = 0; j < x.length; j++) {
      x[j] = (float) rnd.nextGaussian();
    }
    double[] z = teacher.forward(x);
    if (s.noise() > 0) {
      for (int k = 0; k < z.length; k++) {
        z[k] += s.noise() * rnd.nextGaussian();
      }
    }
    Sample out = new Sample();
    out.setFeatures(x);
    switch (s.task()) {
      case MULTICLASS -> out.setClassLabel(argmax(z));
      case BINARY -> out.setClassLabel(z[0] > 0 ? 1 : 0);
      case MULTILABEL -> {
        float[] y = new float[z.length];
        for (int k = 0; k < z.length; k++) {
          y[k] = z[k] > 0 ? 1f : 0f;
        }
        out.setLabels(y);
      }
      case REGRESSION -> {
        if (z.length == 1) {
          out.setTarget(z[0]);
        } else {
          out.setTargets(z);
        }
      }
      default -> throw new IllegalStateException(s.task().name());
    }
    return out;
  }

  private static int argmax(double[] z) {
    int best = 0;
    for (int k = 1; k < z.length; k++) {
      if (z[k] > z[best]) {
        best = k;
      }
    }
    return best;
  }

  /** The seed of row {@code index}'s generator: a mix of the data set seed and the index. */
  static long rowSeed(long seed, long index) {
    return mix64(mix64(seed ^ ROW_SALT) + (index + 1) * GOLDEN);
  }

  /** Stafford's variant 13 of the MurmurHash3 finalizer. */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Writes all rows of {@code s} as Parquet to {@code path}, atomically (a hidden temporary
   * directory renamed once complete; see {@link DatasetOutput}).
   *
   * @param overwrite replace an existing output (after the new one is complete)
   * @return the size of the written output on disk, in bytes
   * @throws IllegalArgumentException if the path exists and not {@code overwrite}
   */
  public static long write(SparkSession spark, TeacherSettings s, String path, boolean overwrite) {
    return write(spark, s, path, overwrite, "parquet");
  }

  /**
   * Generates the rows of {@code s} and writes them to {@code path} as {@code format}:
   * {@code parquet} ({@link #schema}) or {@code csv}: a header line, the features as columns
   * {@code x1..xN}, then {@value #LABEL} (a single label only: binary, multiclass or one regression
   * target); the float features are written in their shortest exact decimal form, so a reader that
   * parses them as float32 gets the generated values back.
   *
   * @return bytes written
   */
  public static long write(SparkSession spark, TeacherSettings s, String path, boolean overwrite,
      String format) {
    Objects.requireNonNull(path, "path");
    Dataset<Row> rows = generate(spark, s);
    Map<String, String> options = Map.of();
    if (format.equals("csv")) {
      if (schema(s).apply(LABEL).dataType() instanceof org.apache.spark.sql.types.ArrayType) {
        throw new IllegalArgumentException("csv output needs a single label: " + s.task()
            + " with " + s.outputs() + " outputs has an array label (write parquet)");
      }
      org.apache.spark.sql.Column[] cols = new org.apache.spark.sql.Column[s.features() + 1];
      for (int f = 0; f < s.features(); f++) {
        cols[f] = functions.col(FEATURES).getItem(f).as(csvFeature(f));
      }
      cols[s.features()] = functions.col(LABEL);
      rows = rows.select(cols);
      options = Map.of("header", "true");
    } else if (!format.equals("parquet")) {
      throw new IllegalArgumentException("unknown output format '" + format
          + "' (parquet or csv)");
    }
    DatasetOutput.save(rows, format, options, path, overwrite,
        io.sparkmlp.trainer.store.OutputKind.GENERATED_DATA);
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    try {
      return HadoopPaths.fs(spark, p).getContentSummary(p).getLength();
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot measure the output: " + e.getMessage(), e);
    }
  }

  /** The CSV column name of feature {@code f} (0-based): x1, x2, ... */
  public static String csvFeature(int f) {
    return "x" + (f + 1);
  }

  /**
   * Reads back what {@link #write} wrote as {@code format}, with the columns {@value #LABEL} and,
   * for parquet, {@value #FEATURES} (csv: {@code x1..xN}).
   */
  public static Dataset<Row> read(SparkSession spark, TeacherSettings s, String path,
      String format) {
    if (format.equals("csv")) {
      StructType schema = new StructType();
      for (int f = 0; f < s.features(); f++) {
        schema = schema.add(csvFeature(f), DataTypes.FloatType, false);
      }
      schema = schema.add(LABEL, schema(s).apply(LABEL).dataType(), false);
      return spark.read().option("header", "true").schema(schema).csv(path);
    }
    return spark.read().parquet(path);
  }

  /**
   * One generated row as a Java bean (Spark's bean encoder writes its primitive arrays without
   * boxing): the features and every kind of label; {@link #generate} keeps the task's.
   */
  public static final class Sample implements Serializable {
    private static final long serialVersionUID = 1L;
    private float[] features;
    private int classLabel;
    private float[] labels;
    private double target;
    private double[] targets;

    /** An empty sample (for the bean encoder). */
    public Sample() {}

    /** The features. */
    public float[] getFeatures() {
      return features;
    }

    /** Sets the features. */
    public void setFeatures(float[] features) {
      this.features = features;
    }

    /** Multiclass and binary: the class index. */
    public int getClassLabel() {
      return classLabel;
    }

    /** Sets the class index. */
    public void setClassLabel(int classLabel) {
      this.classLabel = classLabel;
    }

    /** Multilabel: 0/1 per label; else null. */
    public float[] getLabels() {
      return labels;
    }

    /** Sets the multilabel labels. */
    public void setLabels(float[] labels) {
      this.labels = labels;
    }

    /** Regression with one target: the target. */
    public double getTarget() {
      return target;
    }

    /** Sets the single target. */
    public void setTarget(double target) {
      this.target = target;
    }

    /** Regression with several targets: the targets; else null. */
    public double[] getTargets() {
      return targets;
    }

    /** Sets the targets. */
    public void setTargets(double[] targets) {
      this.targets = targets;
    }
  }

  /** Generates the samples of rows {@code [from, to)} one at a time. */
  private static final class SampleIterator implements Iterator<Sample> {
    private final TeacherSettings settings;
    private final Teacher teacher;
    private final long to;
    private long next;

    SampleIterator(TeacherSettings settings, Teacher teacher, long from, long to) {
      this.settings = settings;
      this.teacher = teacher;
      this.next = from;
      this.to = to;
    }

    @Override
    public boolean hasNext() {
      return next < to;
    }

    @Override
    public Sample next() {
      if (next >= to) {
        throw new NoSuchElementException();
      }
      return sample(settings, teacher, next++);
    }
  }

  /** The teacher labels rows; an autoencoder needs none (generate.task does not offer it). */
  private static IllegalArgumentException noLabels() {
    return new IllegalArgumentException("generate makes labelled data; task autoencoder reads "
        + "no labels (generate with another task and train the autoencoder on its features)");
  }
}
