package io.sparkmlp.trainer;

import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Workspace;
import io.sparkmlp.trainer.state.EpochRecord;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link MlpTrainer#fit}: the network, its flat weights, the per-epoch history and
 * where it came from (config, data sizes, seed, partitioning, versions).
 *
 * @param spec       the network
 * @param params     flat parameters ({@link io.sparkmlp.model.ParamLayout})
 * @param config     the training configuration
 * @param history    one record per completed epoch
 * @param train      size of the training data
 * @param validation size of the validation data (null without validation)
 * @param provenance versions and run facts: Spark, Java, BLAS, seed, partitions, timestamps
 * @param stopReason why training ended (epochs done, early stopping)
 */
public record TrainedModel(NetworkSpec spec, float[] params, TrainerConfig config,
    List<EpochRecord> history, DataReport train, DataReport validation,
    Map<String, String> provenance, String stopReason) {

  /**
   * Local prediction for {@code n} rows (no Spark): outputs [n][outputWidth], probabilities for
   * classification, values for regression.
   *
   * @param x [n][inputWidth] row-major features
   */
  public float[] predict(float[] x, int n) {
    Mlp mlp = new Mlp(spec);
    int k = spec.outputWidth();
    Workspace ws = mlp.newWorkspace(Math.max(1, Math.min(n, Mlp.MAX_CHUNK_ROWS)));
    float[] out = new float[n * k];
    mlp.forward(params, x, 0, n, ws,
        (first, m, chunk) -> System.arraycopy(chunk, 0, out, first * k, m * k));
    return out;
  }

  /** Provenance key: the row-weight column, when training used one. */
  public static final String WEIGHT_COLUMN = "weight_column";

  /**
   * Provenance key: the class weights of the loss by class index, comma-separated, when training
   * used them (balanced ones as resolved from the training rows).
   */
  public static final String CLASS_WEIGHTS = "class_weights";

  /** Provenance key: how the class weights were given, {@code balanced} or {@code explicit}. */
  public static final String CLASS_WEIGHTS_MODE = "class_weights_mode";

  /** Provenance key: the epoch whose weights {@link #params} are (the best one when restored). */
  public static final String WEIGHTS_EPOCH = "weights.epoch";

  /**
   * The record of the epoch whose weights this model holds: the best epoch when early stopping
   * restored its weights, else the last one. Metrics reported for the model come from it.
   */
  public EpochRecord weightsEpoch() {
    String e = provenance.get(WEIGHTS_EPOCH);
    if (e != null) {
      int epoch = Integer.parseInt(e);
      for (EpochRecord r : history) {
        if (r.epoch() == epoch) {
          return r;
        }
      }
    }
    return lastEpoch();
  }

  /** The last epoch's record. */
  public EpochRecord lastEpoch() {
    return history.get(history.size() - 1);
  }
}
