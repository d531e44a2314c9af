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
    int in = spec.inputWidth();
    Workspace ws = mlp.newWorkspace(Math.max(1, Math.min(n, 1024)));
    float[] out = new float[n * k];
    for (int start = 0; start < n; start += ws.capacity()) {
      int m = Math.min(ws.capacity(), n - start);
      mlp.forward(params, x, start * in, m, ws);
      System.arraycopy(ws.outputs(), 0, out, start * k, m * k);
    }
    return out;
  }

  /** The last epoch's record. */
  public EpochRecord lastEpoch() {
    return history.get(history.size() - 1);
  }
}
