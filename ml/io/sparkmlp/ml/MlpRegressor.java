package io.sparkmlp.ml;

import io.sparkmlp.model.Task;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * spark-mlp's trainer as a Spark ML {@link Regressor}: a network with one linear output and mean
 * squared error, trained by the same {@link io.sparkmlp.trainer.MlpTrainer} and configuration
 * checks as {@code spark-mlp train}, with the training Params of {@link MlpTrainingParams}.
 *
 * <p>Rows are not weighted: the trainer has no per-row sample weights, so there is no
 * {@code weightCol}.
 */
public final class MlpRegressor extends Regressor<Vector, MlpRegressor, MlpRegressionModel>
    implements MlpTrainingParams<MlpRegressor>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final String PREFIX = "mlpr";

  private String uid;

  /** A regressor with the configuration defaults and a new uid. */
  public MlpRegressor() {
    this(Uids.hold(Identifiable.randomUID(PREFIX)));
  }

  /** A regressor with the configuration defaults and the given uid. */
  public MlpRegressor(String uid) {
    this(Uids.hold(uid));
  }

  private MlpRegressor(Object token) {
    uid();
    ConfigParams.setDefaults(this);
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take(PREFIX);
    }
    return uid;
  }

  /** Trains on the rows' features and numeric labels. */
  @Override
  public MlpRegressionModel train(Dataset<?> dataset) {
    return new MlpRegressionModel(Identifiable.randomUID(PREFIX), MlpFitting.fit(this, dataset,
        getFeaturesCol(), getLabelCol(), Task.REGRESSION, 1, null));
  }

  @Override
  public MlpRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** The reader of saved (unfitted) regressors. */
  public static MLReader<MlpRegressor> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads a regressor saved with {@code write().save(path)}. */
  public static MlpRegressor load(String path) {
    return read().load(path);
  }
}
