package io.sparkmlp.ml;

import io.sparkmlp.model.Mlp;
import io.sparkmlp.trainer.store.SavedModel;
import io.sparkmlp.model.Workspace;
import org.apache.spark.ml.linalg.Vector;

/**
 * The network's outputs for one feature vector on the driver, for Spark ML's single-row methods
 * ({@code predict(features)}, {@code predictRaw}); DataFrames are scored in batches by
 * {@link MlpScoring}. Standardizes as the batched path does, in float32.
 */
final class SingleRowScorer {
  private final Mlp mlp;
  private final float[] params;
  private final float[] mean;
  private final float[] std;

  SingleRowScorer(SavedModel model) {
    this.mlp = new Mlp(model.spec());
    this.params = model.params();
    this.mean = model.featureMean();
    this.std = model.featureStd();
  }

  /** The outputs for {@code features} (probabilities for classification, values for regression). */
  synchronized float[] score(Vector features) {
    int width = mlp.spec().inputWidth();
    if (features.size() != width) {
      throw new IllegalArgumentException("a row has " + features.size()
          + " features but the model expects " + width);
    }
    Workspace ws = mlp.newWorkspace(1);
    float[] x = ws.inputBuffer();
    for (int i = 0; i < width; i++) {
      x[i] = (float) features.apply(i);
      if (mean != null) {
        x[i] = (x[i] - mean[i]) / std[i];
      }
    }
    mlp.forward(params, x, 0, 1, ws);
    float[] out = new float[mlp.spec().outputWidth()];
    System.arraycopy(ws.outputs(), 0, out, 0, out.length);
    return out;
  }
}
