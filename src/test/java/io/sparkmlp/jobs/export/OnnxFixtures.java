package io.sparkmlp.jobs.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Initializer;
import io.sparkmlp.model.LayerSpec;
import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.ParamLayout;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.Workspace;
import io.sparkmlp.trainer.store.ModelDirectory;
import io.sparkmlp.trainer.store.SavedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;

/**
 * Test support for the ONNX export: small random models saved and reloaded through the project's
 * model directory, ONNX Runtime sessions, and the project's own forward pass as the reference.
 */
public final class OnnxFixtures {
  /** Input width of the random models. */
  public static final int INPUTS = 5;

  private OnnxFixtures() {}

  /** Outputs of a random model for {@code task}: 2 targets, 1 unit, 4 classes, 3 labels. */
  public static int outputs(Task task) {
    return switch (task) {
      case REGRESSION -> 2;
      case BINARY -> 1;
      case MULTICLASS -> 4;
      case MULTILABEL -> 3;
      case AUTOENCODER -> INPUTS;
    };
  }

  /**
   * A random {@code INPUTS}-7-6-outputs model (one hidden layer per activation given), with
   * random biases, class names for classification and, if asked, a random standardization; saved
   * to {@code dir} with {@link ModelDirectory#save} and loaded back with {@link
   * ModelDirectory#load}.
   */
  public static SavedModel savedModel(Path dir, Task task, List<Activation> hidden,
      boolean standardized, long seed) throws IOException {
    List<LayerSpec> layers = new ArrayList<>();
    for (int i = 0; i < hidden.size(); i++) {
      layers.add(new LayerSpec(7 - i % 2, hidden.get(i)));
    }
    NetworkSpec spec = NetworkSpec.of(INPUTS, layers, outputs(task), task);
    ParamLayout layout = new ParamLayout(spec);
    float[] params = Initializer.XAVIER_UNIFORM.initialize(layout, seed);
    Random r = new Random(seed);
    for (int i = 0; i < params.length; i++) {
      params[i] = layout.isBias(i) ? (float) (r.nextDouble() - 0.5) : 2f * params[i];
    }
    float[] mean = null;
    float[] std = null;
    if (standardized) {
      mean = new float[INPUTS];
      std = new float[INPUTS];
      for (int i = 0; i < INPUTS; i++) {
        mean[i] = (float) (3 * r.nextGaussian());
        std[i] = (float) (0.5 + 3 * r.nextDouble());
      }
    }
    List<String> classes = switch (task) {
      case REGRESSION, AUTOENCODER -> null;
      case BINARY -> List.of("no", "yes");
      default -> IntStream.range(0, outputs(task)).mapToObj(i -> "class " + i).toList();
    };
    List<String> features = IntStream.range(0, INPUTS).mapToObj(i -> "f" + i).toList();
    SavedModel model = new SavedModel(ModelDirectory.FORMAT_VERSION, spec, params, classes, mean,
        std, features, null, JsonNodeFactory.instance.objectNode().put("test", "onnx"), null);
    Configuration conf = new Configuration();
    ModelDirectory.save(model, dir.toString(), false, conf);
    return ModelDirectory.load(dir.toString(), conf);
  }

  /**
   * Raw feature rows around the model's feature means (or 0), spread over several standard
   * deviations, plus two rows of extreme values (+-40) that saturate every activation.
   */
  public static float[][] features(SavedModel model, int rows, long seed) {
    Random r = new Random(seed);
    float[] mean = model.standardized() ? model.featureMean() : new float[INPUTS];
    float[] std = model.standardized() ? model.featureStd() : filled(INPUTS, 1f);
    float[][] x = new float[rows + 2][INPUTS];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < INPUTS; j++) {
        x[i][j] = (float) (mean[j] + 2 * std[j] * r.nextGaussian());
      }
    }
    for (int j = 0; j < INPUTS; j++) {
      x[rows][j] = mean[j] + 40 * std[j] * (j % 2 == 0 ? 1 : -1);
      x[rows + 1][j] = mean[j] - 40 * std[j] * (j % 2 == 0 ? 1 : -1);
    }
    return x;
  }

  /**
   * The project's outputs for {@code x}: {@link Mlp#forward} on the features standardized as
   * {@code Standardization} does ((x - mean) / std in float): probabilities for classification,
   * raw values for regression, [rows][outputWidth].
   */
  public static float[][] forward(SavedModel model, float[][] x) {
    NetworkSpec spec = model.spec();
    int n = x.length;
    int d = spec.inputWidth();
    float[] flat = new float[n * d];
    float[] mean = model.featureMean();
    float[] std = model.featureStd();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        flat[i * d + j] = model.standardized() ? (x[i][j] - mean[j]) / std[j] : x[i][j];
      }
    }
    Mlp mlp = new Mlp(spec);
    Workspace ws = mlp.newWorkspace(n);
    mlp.forward(model.params(), flat, 0, n, ws);
    float[] out = ws.outputs();
    int k = spec.outputWidth();
    float[][] y = new float[n][k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(out, i * k, y[i], 0, k);
    }
    return y;
  }

  /** The outputs of an ONNX model run by ONNX Runtime on {@code x}, by output name. */
  public static Map<String, Object> run(byte[] onnx, float[][] x) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(onnx, opts);
          OnnxTensor input = OnnxTensor.createTensor(env, x);
          OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, OnnxValue> e : result) {
          values.put(e.getKey(), e.getValue().getValue());
        }
        return values;
      }
    }
  }

  private static float[] filled(int n, float v) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
