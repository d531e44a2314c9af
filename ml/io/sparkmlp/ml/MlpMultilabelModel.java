package io.sparkmlp.ml;

import io.sparkmlp.jobs.data.score.Predictor;
import io.sparkmlp.model.Decision;
import io.sparkmlp.model.Task;
import io.sparkmlp.trainer.store.SavedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NumericAttribute;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A trained multi-label network (one sigmoid output per label) as a Spark ML {@link Model}.
 *
 * <p>{@link #transform} scores with the command line's prediction path (batched forward passes
 * per partition, bitwise the same probabilities as {@code spark-mlp predict}) and adds three
 * vector columns, one value per label in the model's label order ({@link #labelNames}, also the
 * columns' attribute names):
 * <ul>
 *   <li>{@code probability}: each label's probability;</li>
 *   <li>{@code rawPrediction}: the same vector (the network's outputs are already
 *       probabilities);</li>
 *   <li>{@code prediction}: 1.0 for each label whose probability is strictly above its threshold
 *       ({@code thresholds}; unset, {@link Decision#THRESHOLD} for every label, which is
 *       {@link Decision}'s rule and so names the labels {@code spark-mlp predict} names), else
 *       0.0.</li>
 * </ul>
 *
 * <p>Saved ({@link #write}) as a spark-mlp model directory that the command line reads; loads
 * ({@link #load}) multi-label model directories written by {@code spark-mlp train}.
 */
public final class MlpMultilabelModel extends Model<MlpMultilabelModel>
    implements MlpMultilabelParams<MlpMultilabelModel>, MLWritable {
  private static final long serialVersionUID = 1L;
  static final String PREFIX = "mlpml";

  private final String uid;
  private final SavedModel model;
  private transient SingleRowScorer single;

  /**
   * A model for a trained multi-label network.
   *
   * @param uid   its uid
   * @param model the network, weights, label names and standardization
   * @throws IllegalArgumentException if the network is not multi-label
   */
  public MlpMultilabelModel(String uid, SavedModel model) {
    if (model.spec().task() == Task.AUTOENCODER) {
      throw new IllegalArgumentException("an autoencoder has no Spark ML model; score it with "
          + "spark-mlp predict");
    }
    if (model.spec().task() != Task.MULTILABEL) {
      throw new IllegalArgumentException("a " + model.spec().task() + " network is not "
          + "multi-label; load it with " + (model.spec().task() == Task.REGRESSION
          ? "MlpRegressionModel" : "MlpClassificationModel"));
    }
    this.uid = uid;
    this.model = model;
    this.single = new SingleRowScorer(model);
    MlpMultilabelParams.setColumnDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The model's content: network, weights, label names, standardization, configuration. */
  public SavedModel savedModel() {
    return model;
  }

  /** The label names in output order (the vectors' positions). */
  public List<String> labelNames() {
    return model.classNames();
  }

  /** The number of labels (the length of the output vectors). */
  public int numLabels() {
    return model.spec().outputWidth();
  }

  /** The number of features the model reads. */
  public int numFeatures() {
    return model.spec().inputWidth();
  }

  /**
   * The per-label probabilities of one row, scored on the calling thread; they agree with
   * {@link #transform}'s to float rounding (BLAS sums a lone row in another order than a batch).
   */
  public Vector predictProbability(Vector features) {
    if (single == null) { // after deserialization
      single = new SingleRowScorer(model);
    }
    float[] out = single.score(features);
    double[] p = new double[out.length];
    for (int j = 0; j < out.length; j++) {
      p[j] = out[j];
    }
    return Vectors.dense(p);
  }

  /** The 0/1 decisions of one row, with this model's thresholds. */
  public Vector predict(Vector features) {
    return decide(predictProbability(features), thresholdsOrDefault());
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema(), true);
    double[] thresholds = thresholdsOrDefault();
    return MlpScoring.score(dataset, getFeaturesCol(), model, scored -> {
      Column probability = scored.col(Predictor.PROBABILITY);
      List<Column> cols = new ArrayList<>();
      for (String name : List.of(getRawPredictionCol(), getProbabilityCol())) {
        if (!name.isEmpty()) {
          cols.add(probability.as(name, schema.apply(name).metadata()));
        }
      }
      String name = getPredictionCol();
      if (!name.isEmpty()) {
        cols.add(functions.udf((UDF1<Vector, Vector>) p -> decide(p, thresholds),
            SQLDataTypes.VectorType()).apply(probability)
            .as(name, schema.apply(name).metadata()));
      }
      return cols;
    });
  }

  /**
   * The input schema with the non-empty output columns appended (vectors whose attributes are
   * the label names).
   *
   * @throws IllegalArgumentException if the features column is missing or not a vector, an output
   *     column exists already, or the thresholds are not one per label
   */
  @Override
  public StructType transformSchema(StructType schema) {
    thresholdsOrDefault();
    return outputSchema(this, schema, labelNames());
  }

  /** The thresholds, checked against the label count, or {@link Decision#THRESHOLD} for each. */
  private double[] thresholdsOrDefault() {
    double[] t = getThresholds();
    if (t == null) {
      t = new double[numLabels()];
      Arrays.fill(t, Decision.THRESHOLD);
    } else if (t.length != numLabels()) {
      throw new IllegalArgumentException("thresholds has " + t.length + " values but the model "
          + "has " + numLabels() + " labels " + labelNames());
    }
    return t.clone();
  }

  /**
   * Label j is positive when its probability is strictly above {@code thresholds[j]}:
   * {@link Decision#positive}'s rule with the label's own threshold.
   */
  private static Vector decide(Vector probability, double[] thresholds) {
    double[] d = new double[probability.size()];
    for (int j = 0; j < d.length; j++) {
      d[j] = Decision.positive(probability.apply(j), thresholds[j]) ? 1.0 : 0.0;
    }
    return Vectors.dense(d);
  }

  /**
   * {@code schema} with the stage's non-empty output columns (raw prediction, probability,
   * prediction) appended as vectors whose attributes are {@code labelNames}, after checking that
   * the features column is a vector and no output column exists.
   */
  static StructType outputSchema(MlpMultilabelParams<?> p, StructType schema,
      List<String> labelNames) {
    requireColumn(schema, p.getFeaturesCol(), "features", SQLDataTypes.VectorType());
    Attribute[] attributes = labelNames.stream()
        .map(n -> NumericAttribute.defaultAttr().withName(n)).toArray(Attribute[]::new);
    StructType out = schema;
    for (String name : List.of(p.getRawPredictionCol(), p.getProbabilityCol(),
        p.getPredictionCol())) {
      if (name.isEmpty()) {
        continue;
      }
      if (Arrays.asList(out.fieldNames()).contains(name)) {
        throw new IllegalArgumentException("output column '" + name + "' already exists; "
            + "choose another name or remove it");
      }
      Metadata metadata = new AttributeGroup(name, attributes).toMetadata();
      out = out.add(name, SQLDataTypes.VectorType(), false, metadata);
    }
    return out;
  }

  /** Fails unless {@code schema} has column {@code name} of type {@code type}. */
  static void requireColumn(StructType schema, String name, String role, DataType type) {
    DataType actual = column(schema, name, role).dataType();
    if (!actual.equals(type)) {
      throw new IllegalArgumentException(role + " column '" + name + "' has type "
          + actual.simpleString() + "; expected " + type.simpleString());
    }
  }

  /** The column {@code name} of {@code schema}; fails naming the columns there are. */
  static StructField column(StructType schema, String name, String role) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException(role + " column '" + name + "' not found; columns: "
          + String.join(", ", schema.fieldNames()));
    }
    return schema.apply(name);
  }

  @Override
  public MlpMultilabelModel copy(ParamMap extra) {
    MlpMultilabelModel copy = new MlpMultilabelModel(uid, model);
    copyValues(copy, extra);
    return copy.setParent(parent());
  }

  /** A writer of the model directory (model.json, weights.safetensors, Spark ML metadata). */
  @Override
  public MLWriter write() {
    return new MlpModelWriter(this, model);
  }

  /** The reader of {@link #write}'s directories and of {@code spark-mlp train}'s models. */
  public static MLReader<MlpMultilabelModel> read() {
    return new MlpModelReader<>(MlpMultilabelModel.class, PREFIX, MlpMultilabelModel::new);
  }

  /** Loads a model directory (written by {@link #write} or by {@code spark-mlp train}). */
  public static MlpMultilabelModel load(String path) {
    return read().load(path);
  }

  /** A new uid for a model. */
  static String newUid() {
    return Identifiable.randomUID(PREFIX);
  }
}
