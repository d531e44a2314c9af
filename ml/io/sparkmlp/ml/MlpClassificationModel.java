package io.sparkmlp.ml;

import io.sparkmlp.jobs.data.score.Predictor;
import io.sparkmlp.model.Task;
import io.sparkmlp.trainer.store.SavedModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained binary or multi-class network as a Spark ML {@link ProbabilisticClassificationModel}.
 *
 * <p>{@link #transform} scores with the command line's prediction path (batched forward passes per
 * partition, bitwise the same probabilities as {@code spark-mlp predict}) and adds:
 * <ul>
 *   <li>{@code probability}: the class probabilities, {@code [1 - p, p]} for binary networks (one
 *       sigmoid output p) and the softmax for multi-class ones;</li>
 *   <li>{@code rawPrediction}: the same vector (the network's outputs are already probabilities,
 *       so the probability is the confidence score evaluators rank by);</li>
 *   <li>{@code prediction}: the class index of the largest probability (first on ties), or of the
 *       largest probability / threshold when {@code thresholds} is set, as Spark computes it.</li>
 * </ul>
 * Class index i is the model's class name i ({@link #classNames}): the label value i for models
 * trained by {@link MlpClassifier}, the command line's label mapping for models it trained.
 *
 * <p>Saved ({@link #write}) as a spark-mlp model directory that the command line reads; loads
 * ({@link #load}) model directories written by {@code spark-mlp train}.
 */
public final class MlpClassificationModel
    extends ProbabilisticClassificationModel<Vector, MlpClassificationModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  private static final String PREFIX = "mlpc";

  private String uid;
  private final SavedModel model;
  private final transient SingleRowScorer single;

  /**
   * A model for a trained classification network.
   *
   * @param uid   its uid
   * @param model the network, weights, classes and standardization
   * @throws IllegalArgumentException if the network is not binary or multi-class
   */
  public MlpClassificationModel(String uid, SavedModel model) {
    this(Uids.hold(uid), model);
  }

  private MlpClassificationModel(Object token, SavedModel model) {
    Task task = model.spec().task();
    if (task == Task.AUTOENCODER) {
      throw new IllegalArgumentException("an autoencoder has no Spark ML model; score it with "
          + "spark-mlp predict");
    }
    if (task != Task.BINARY && task != Task.MULTICLASS) {
      throw new IllegalArgumentException("a " + task + " network is not a classifier; load it with "
          + (task == Task.REGRESSION ? "MlpRegressionModel" : "MlpMultilabelModel"));
    }
    this.model = model;
    this.single = new SingleRowScorer(model);
    uid();
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take(PREFIX);
    }
    return uid;
  }

  /** The model's content: network, weights, classes, standardization, configuration. */
  public SavedModel savedModel() {
    return model;
  }

  /** Class names by class index (the label values "0", "1", ... for MlpClassifier's models). */
  public List<String> classNames() {
    return model.classNames();
  }

  @Override
  public int numClasses() {
    return model.spec().task() == Task.BINARY ? 2 : model.spec().outputWidth();
  }

  @Override
  public int numFeatures() {
    return model.spec().inputWidth();
  }

  /** The class probabilities of one row (also its raw prediction). */
  @Override
  public Vector predictRaw(Vector features) {
    float[] out = single.score(features);
    return model.spec().task() == Task.BINARY ? Vectors.dense(1.0 - out[0], out[0])
        : Vectors.dense(toDouble(out));
  }

  /** The raw prediction is the probability vector: returned unchanged. */
  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    return rawPrediction;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema(), true);
    double[] thresholds = isDefined(thresholds()) ? getThresholds() : null;
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
        Column prediction = thresholds == null
            ? scored.col(Predictor.PREDICTION).cast(DataTypes.DoubleType)
            : thresholded(thresholds).apply(probability);
        cols.add(prediction.as(name, schema.apply(name).metadata()));
      }
      return cols;
    });
  }

  private static UserDefinedFunction thresholded(double[] thresholds) {
    double[] t = thresholds.clone();
    return functions.udf((UDF1<Vector, Double>) p -> {
      int best = 0;
      double bestValue = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < p.size(); i++) {
        double v = t[i] == 0.0 ? Double.POSITIVE_INFINITY : p.apply(i) / t[i];
        if (v > bestValue) {
          bestValue = v;
          best = i;
        }
      }
      return (double) best;
    }, DataTypes.DoubleType);
  }

  /**
   * This model with its probability and prediction columns (Spark's training-summary hook;
   * declared here because javac sees the two inherited Scala signatures as a clash).
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public scala.Tuple3 findSummaryModel() {
    return new scala.Tuple3(this, getProbabilityCol(), getPredictionCol());
  }

  @Override
  public MlpClassificationModel copy(ParamMap extra) {
    MlpClassificationModel copy = new MlpClassificationModel(uid(), model);
    copyValues(copy, extra);
    return copy.setParent(parent());
  }

  /** A writer of the model directory (model.json, weights.safetensors, Spark ML metadata). */
  @Override
  public MLWriter write() {
    return new MlpModelWriter(this, model);
  }

  /** The reader of {@link #write}'s directories and of {@code spark-mlp train}'s models. */
  public static MLReader<MlpClassificationModel> read() {
    return new MlpModelReader<>(MlpClassificationModel.class, PREFIX, MlpClassificationModel::new);
  }

  /** Loads a model directory (written by {@link #write} or by {@code spark-mlp train}). */
  public static MlpClassificationModel load(String path) {
    return read().load(path);
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
