package io.sparkmlp.jobs.data.score;

import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.jobs.data.write.PredictionWriter;
import io.sparkmlp.model.Decision;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructType;

/**
 * Adds a model's predictions to prepared rows, with the network's batched forward pass per
 * partition ({@link BatchScorer}: chunks of rows, one broadcast of the parameters); decisions
 * follow {@link Decision}, as validation during training and evaluation do.
 *
 * <table>
 *   <caption>added columns</caption>
 *   <tr><th>task</th><th>{@value #PREDICTION}</th><th>{@value #PROBABILITY}</th></tr>
 *   <tr><td>binary</td><td>class (positive when p &gt; 0.5)</td><td>[p0, p1]</td></tr>
 *   <tr><td>multiclass</td><td>class of the largest probability (first on ties)</td>
 *       <td>softmax, one per class</td></tr>
 *   <tr><td>multilabel</td><td>comma-joined names of the labels with p &gt; 0.5 (may be empty)</td>
 *       <td>one per label</td></tr>
 *   <tr><td>regression</td><td>double (one target) or vector (several)</td><td>absent</td></tr>
 * </table>
 *
 * <p>An autoencoder predicts no class or value: it adds {@value #RECONSTRUCTION_ERROR} (the anomaly
 * score: the mean over the d inputs of the squared difference between the reconstruction and the
 * row's prepared features, in the network's input space, i.e. after the model's standardization)
 * and, when codes are asked for, {@value #CODE}: the activations of the bottleneck layer (the
 * forward pass up to that layer), a vector with its width under {@value #SIZE_METADATA}.
 *
 * <p>A binary or multi-class prediction is the class as a double when every class is a number
 * (labels 0/1, -1/+1 or 1..26 give 1.0, -1.0 or 26.0, as Spark ML does), else the class name.
 * The {@value #PROBABILITY} column's metadata holds the class names under
 * {@value #CLASSES_METADATA} ({@link PredictionWriter} names CSV columns after them), and a
 * multi-target prediction vector's metadata its width under {@value #SIZE_METADATA}.
 */
public final class Predictor {
  /** The prediction column. */
  public static final String PREDICTION = "prediction";
  /** The class probability column (classification only). */
  public static final String PROBABILITY = "probability";
  /** An autoencoder's per-row reconstruction error (anomaly score). */
  public static final String RECONSTRUCTION_ERROR = "reconstruction_error";
  /** An autoencoder's bottleneck activations (codes). */
  public static final String CODE = "code";
  /** Metadata key of the probability column: the class names in vector order. */
  public static final String CLASSES_METADATA = "classes";
  /** Metadata key of a multi-target prediction vector: its width. */
  public static final String SIZE_METADATA = "size";
  private Predictor() {}

  /**
   * The prepared rows with prediction columns added. Lazy; the rows' other columns are kept.
   *
   * @param prepared      rows with a {@value PreparedData#FEATURES} vector column (dense or sparse)
   * @param spec          the network
   * @param params        its flat parameters
   * @param stdOrNull     the model's standardization, or null
   * @param mappingOrNull the model's classes, or null for regression (and for classification to
   *                      name classes by their index)
   * @throws IllegalArgumentException if the model does not fit the rows, or the rows already have
   *     a prediction or probability column
   */
  public static Dataset<Row> predict(Dataset<Row> prepared, NetworkSpec spec, float[] params,
      Standardization stdOrNull, LabelMapping mappingOrNull) {
    return predict(prepared, spec, params, stdOrNull, mappingOrNull, false);
  }

  /**
   * As {@link #predict(Dataset, NetworkSpec, float[], Standardization, LabelMapping)}, and for an
   * autoencoder with {@code codes} also the bottleneck activations ({@value #CODE}).
   *
   * @param codes add the {@value #CODE} column (autoencoders with a bottleneck layer only)
   * @throws IllegalArgumentException also if codes are asked of a network without a bottleneck
   */
  public static Dataset<Row> predict(Dataset<Row> prepared, NetworkSpec spec, float[] params,
      Standardization stdOrNull, LabelMapping mappingOrNull, boolean codes) {
    if (codes && spec.bottleneck() < 0) {
      throw new IllegalArgumentException("the bottleneck layer's codes need an autoencoder "
          + "trained with network.bottleneck; network " + spec.describe() + " has none");
    }
    BatchScorer scorer = BatchScorer.of(prepared, spec, params, stdOrNull);
    List<String> existing = Arrays.asList(prepared.schema().fieldNames());
    for (String c : List.of(PREDICTION, PROBABILITY, RECONSTRUCTION_ERROR, CODE)) {
      if (existing.contains(c)) {
        throw new IllegalArgumentException("the rows already have a '" + c + "' column");
      }
    }
    LabelMapping mapping = classes(spec, mappingOrNull);
    StructType schema = prepared.schema();
    String vectorColumn;
    Metadata meta;
    if (spec.task() == Task.AUTOENCODER) {
      schema = schema.add(RECONSTRUCTION_ERROR, DataTypes.DoubleType, false);
      if (codes) {
        schema = schema.add(CODE, SQLDataTypes.VectorType(), false);
      }
      vectorColumn = codes ? CODE : null;
      meta = new MetadataBuilder().putLong(SIZE_METADATA, spec.codeWidth()).build();
    } else if (spec.task() == Task.REGRESSION && spec.outputWidth() == 1) {
      schema = schema.add(PREDICTION, DataTypes.DoubleType, false);
      vectorColumn = null;
      meta = null;
    } else if (spec.task() == Task.REGRESSION) {
      schema = schema.add(PREDICTION, SQLDataTypes.VectorType(), false);
      vectorColumn = PREDICTION;
      meta = new MetadataBuilder().putLong(SIZE_METADATA, spec.outputWidth()).build();
    } else {
      boolean numeric = spec.task() != Task.MULTILABEL && mapping.numeric();
      schema = schema.add(PREDICTION, numeric ? DataTypes.DoubleType : DataTypes.StringType, false)
          .add(PROBABILITY, SQLDataTypes.VectorType(), false);
      vectorColumn = PROBABILITY;
      meta = new MetadataBuilder()
          .putStringArray(CLASSES_METADATA, mapping.classNames().toArray(String[]::new)).build();
    }
    Dataset<Row> out = prepared.mapPartitions(new Fn(scorer, mapping, codes),
        Encoders.row(schema));
    // the row encoder drops field metadata: attach it to the result
    return vectorColumn == null ? out : out.withMetadata(vectorColumn, meta);
  }

  /**
   * The classes to name predictions with: the given mapping (checked against the network), or the
   * output indices; null for regression.
   */
  static LabelMapping classes(NetworkSpec spec, LabelMapping mapping) {
    Task task = spec.task();
    if (!task.isClassification()) {
      if (mapping != null) {
        throw new IllegalArgumentException("a label mapping is only for classification, not "
            + task);
      }
      return null;
    }
    int want = task == Task.BINARY ? 2 : spec.outputWidth();
    if (mapping == null) {
      return LabelMapping.indices(want);
    }
    if (mapping.size() != want) {
      throw new IllegalArgumentException("the label mapping has " + mapping.size()
          + " classes " + mapping + " but " + task + " network " + spec.describe() + " needs "
          + want);
    }
    return mapping;
  }

  /** The per-partition function: chunked forward passes, one output row per input row. */
  private static final class Fn implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final BatchScorer scorer;
    private final LabelMapping mapping;
    private final boolean codes;

    Fn(BatchScorer scorer, LabelMapping mapping, boolean codes) {
      this.scorer = scorer;
      this.mapping = mapping;
      this.codes = codes;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      BatchScorer.Chunks chunks = scorer.chunks(input);
      Task task = scorer.spec().task();
      int k = scorer.spec().outputWidth();
      int c = scorer.spec().codeWidth();
      int added = task == Task.AUTOENCODER ? (codes ? 2 : 1) : task == Task.REGRESSION ? 1 : 2;
      return new Iterator<>() {
        private int pos;

        @Override
        public boolean hasNext() {
          return pos < chunks.size() || (chunks.next() && resetPos());
        }

        private boolean resetPos() {
          pos = 0;
          return true;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Row in = chunks.row(pos);
          float[] out = chunks.outputs();
          int row = pos;
          int off = pos * k;
          pos++;
          int m = in.size();
          Object[] values = new Object[m + added];
          for (int i = 0; i < m; i++) {
            values[i] = in.get(i);
          }
          switch (task) {
            case AUTOENCODER -> {
              values[m] = chunks.reconstructionError(row);
              if (codes) {
                values[m + 1] = Vectors.dense(toDouble(chunks.codes(), row * c, c));
              }
            }
            case REGRESSION -> values[m] = k == 1 ? (Object) (double) out[off]
                : Vectors.dense(toDouble(out, off, k));
            case BINARY -> {
              double p = out[off];
              values[m] = mapping.predictionValue(Decision.positive(p) ? 1 : 0);
              values[m + 1] = Vectors.dense(1.0 - p, p);
            }
            case MULTICLASS -> {
              values[m] = mapping.predictionValue(Decision.predictedClass(out, off, k));
              values[m + 1] = Vectors.dense(toDouble(out, off, k));
            }
            case MULTILABEL -> {
              StringBuilder sb = new StringBuilder();
              for (int j = 0; j < k; j++) {
                if (Decision.positive(out[off + j])) {
                  sb.append(sb.length() == 0 ? "" : ",").append(mapping.name(j));
                }
              }
              values[m] = sb.toString();
              values[m + 1] = Vectors.dense(toDouble(out, off, k));
            }
            default -> throw new IllegalStateException(task.name());
          }
          return RowFactory.create(values);
        }
      };
    }
  }

  private static double[] toDouble(float[] v, int off, int k) {
    double[] d = new double[k];
    for (int j = 0; j < k; j++) {
      d[j] = v[off + j];
    }
    return d;
  }
}
