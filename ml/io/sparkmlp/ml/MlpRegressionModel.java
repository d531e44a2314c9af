package io.sparkmlp.ml;

import io.sparkmlp.jobs.data.score.Predictor;
import io.sparkmlp.model.Task;
import io.sparkmlp.trainer.store.SavedModel;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A trained single-target regression network as a Spark ML {@link RegressionModel}.
 * {@link #transform} adds the {@code prediction} column with the command line's prediction path
 * (batched forward passes per partition, bitwise as {@code spark-mlp predict}); saved and loaded as
 * a spark-mlp model directory, as {@link MlpClassificationModel}.
 */
public final class MlpRegressionModel extends RegressionModel<Vector, MlpRegressionModel>
    implements MLWritable {
  private static final long serialVersionUID = 1L;
  private static final String PREFIX = "mlpr";

  private String uid;
  private final SavedModel model;
  private final transient SingleRowScorer single;

  /**
   * A model for a trained regression network.
   *
   * @param uid   its uid
   * @param model the network, weights and standardization
   * @throws IllegalArgumentException if the network is not a single-target regression
   */
  public MlpRegressionModel(String uid, SavedModel model) {
    this(Uids.hold(uid), model);
  }

  private MlpRegressionModel(Object token, SavedModel model) {
    if (model.spec().task() != Task.REGRESSION || model.spec().outputWidth() != 1) {
      throw new IllegalArgumentException("network " + model.spec().describe() + " ("
          + model.spec().task() + ") is not a single-target regression");
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

  /** The model's content: network, weights, standardization, configuration. */
  public SavedModel savedModel() {
    return model;
  }

  @Override
  public int numFeatures() {
    return model.spec().inputWidth();
  }

  /** The prediction for one row. */
  @Override
  public double predict(Vector features) {
    return single.score(features)[0];
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema(), true);
    String name = getPredictionCol();
    if (name.isEmpty()) {
      return dataset.toDF();
    }
    return MlpScoring.score(dataset, getFeaturesCol(), model, scored -> List.of(
        scored.col(Predictor.PREDICTION).as(name, schema.apply(name).metadata())));
  }

  @Override
  public MlpRegressionModel copy(ParamMap extra) {
    MlpRegressionModel copy = new MlpRegressionModel(uid(), model);
    copyValues(copy, extra);
    return copy.setParent(parent());
  }

  /** A writer of the model directory (model.json, weights.safetensors, Spark ML metadata). */
  @Override
  public MLWriter write() {
    return new MlpModelWriter(this, model);
  }

  /** The reader of {@link #write}'s directories and of {@code spark-mlp train}'s models. */
  public static MLReader<MlpRegressionModel> read() {
    return new MlpModelReader<>(MlpRegressionModel.class, PREFIX, MlpRegressionModel::new);
  }

  /** Loads a model directory (written by {@link #write} or by {@code spark-mlp train}). */
  public static MlpRegressionModel load(String path) {
    return read().load(path);
  }
}
