package io.sparkmlp.jobs.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.ParamLayout;
import io.sparkmlp.model.Task;
import io.sparkmlp.trainer.store.SavedModel;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import onnx.Onnx.ModelProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * Translates a saved model into a standard ONNX model (opset {@value #OPSET}, IR version
 * {@value #IR_VERSION}) that computes what {@code spark-mlp predict} computes.
 *
 * <p>The graph: the input {@value #INPUT} (float [N, inputWidth]); the model's standardization,
 * when it has one, as {@code Sub} (mean) and {@code Div} (std); one {@code Gemm} per layer
 * (weights [out, in] as stored, {@code transB = 1}, bias [out]); the hidden activations as
 * {@link OnnxActivations} maps them; then per task:
 *
 * <table>
 *   <caption>outputs</caption>
 *   <tr><th>task</th><th>{@value #PREDICTION}</th><th>{@value #PROBABILITY}</th></tr>
 *   <tr><td>regression</td><td>float [N, targets], the outputs</td><td>absent</td></tr>
 *   <tr><td>binary</td><td>int64 [N], 1 when p &gt; 0.5</td><td>float [N, 2], [1 - p, p] with
 *       p = Sigmoid</td></tr>
 *   <tr><td>multiclass</td><td>int64 [N], ArgMax of the probabilities (first on ties)</td>
 *       <td>float [N, classes], Softmax</td></tr>
 *   <tr><td>multilabel</td><td>int64 [N, labels], 1 where p &gt; 0.5</td><td>float [N, labels],
 *       Sigmoid</td></tr>
 * </table>
 *
 * <p>Class indices refer to the model's classes, which the model's metadata lists (as JSON) under
 * {@value #CLASSES_KEY}, next to {@value #TASK_KEY}, {@value #NETWORK_KEY} and, when known,
 * {@value #FEATURES_KEY}.
 */
public final class OnnxExport {
  /** The ONNX operator set the graph uses (default domain). */
  public static final int OPSET = 13;
  /** The ONNX IR version written: 7, the one that introduced opset 13. */
  public static final int IR_VERSION = 7;
  /** The input: float features [N, inputWidth], raw (before standardization). */
  public static final String INPUT = "features";
  /** The prediction output; see the class description for its type per task. */
  public static final String PREDICTION = "prediction";
  /** The class probability output (classification only). */
  public static final String PROBABILITY = "probability";
  /** Metadata key: the task ({@code regression}, {@code binary}, ...). */
  public static final String TASK_KEY = "task";
  /** Metadata key: the network as {@link NetworkSpec#describe} writes it. */
  public static final String NETWORK_KEY = "network";
  /** Metadata key: JSON array of the class names, by index (classification only). */
  public static final String CLASSES_KEY = "classes";
  /** Metadata key: JSON array of the input feature names (when the model records them). */
  public static final String FEATURES_KEY = "feature_names";
  /** The value of a binary or multi-label probability above which the class is predicted. */
  static final float THRESHOLD = 0.5f;
  /** Protobuf messages are limited to 2 GiB; leave room for everything but the weights. */
  private static final long MAX_WEIGHT_BYTES = (1L << 31) - (1L << 20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private OnnxExport() {}

  /**
   * The ONNX model of {@code model}.
   *
   * @throws IllegalArgumentException if the weights do not fit in one ONNX file (2 GiB), or the
   *     model is an autoencoder (its outputs are reconstruction errors and codes, which predict
   *     writes; no ONNX graph is exported for them)
   */
  public static ModelProto toOnnx(SavedModel model) {
    Objects.requireNonNull(model, "model");
    NetworkSpec spec = model.spec();
    if (spec.task() == Task.AUTOENCODER) {
      throw new IllegalArgumentException("ONNX export is not supported for task autoencoder "
          + "(network " + spec.describe() + "); score it with spark-mlp predict");
    }
    ParamLayout layout = new ParamLayout(spec);
    if ((long) layout.size() * Float.BYTES > MAX_WEIGHT_BYTES) {
      throw new IllegalArgumentException("the model has " + layout.size() + " parameters ("
          + (long) layout.size() * Float.BYTES + " bytes): too large for one ONNX file (2 GiB)");
    }
    GraphBuilder g = new GraphBuilder("spark_mlp");
    g.graph().setDocString("spark-mlp " + spec.describe());
    g.graph().addInput(tensorInfo(g.name(INPUT), TensorProto.DataType.FLOAT, spec.inputWidth()));
    String x = INPUT;
    if (model.standardized()) {
      int d = spec.inputWidth();
      String mean = g.floats("feature_mean", model.featureMean(), d);
      String std = g.floats("feature_std", model.featureStd(), d);
      String centered = g.node("Sub", g.name("features_centered"), List.of(x, mean));
      x = g.node("Div", g.name("features_standardized"), List.of(centered, std));
    }
    float[] params = model.params();
    int last = spec.numLayers() - 1;
    for (int l = 0; l <= last; l++) {
      int in = spec.fanIn(l);
      int out = spec.fanOut(l);
      String w = g.floats("layers." + l + ".weight", Arrays.copyOfRange(params,
          layout.weightOffset(l), layout.weightOffset(l) + in * out), out, in);
      String b = g.floats("layers." + l + ".bias", Arrays.copyOfRange(params,
          layout.biasOffset(l), layout.biasOffset(l) + out), out);
      boolean rawOutput = l == last && spec.task() == Task.REGRESSION;
      String z = g.node("Gemm", g.name(rawOutput ? PREDICTION : l == last ? "logits"
          : "layer" + l + "_linear"), List.of(x, w, b), GraphBuilder.intAttr("transB", 1));
      x = l == last ? z : OnnxActivations.apply(g, spec.hidden().get(l).activation(), z,
          "layer" + l);
    }
    addOutputs(g, spec, x);
    ModelProto.Builder m = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("spark-mlp")
        .setDocString("spark-mlp " + spec.describe() + "; input '" + INPUT + "' float [N, "
            + spec.inputWidth() + "], raw features" + (model.standardized()
                ? " (standardized in the graph)" : ""))
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(g.graph());
    metadata(m, TASK_KEY, spec.task().toString());
    metadata(m, NETWORK_KEY, spec.describe());
    if (spec.task() != Task.REGRESSION) {
      metadata(m, CLASSES_KEY, json(classNames(model)));
    }
    if (model.featureNames() != null) {
      metadata(m, FEATURES_KEY, json(model.featureNames()));
    }
    return m.build();
  }

  /** The output nodes and graph outputs of {@code spec}'s task, from the last layer's value. */
  private static void addOutputs(GraphBuilder g, NetworkSpec spec, String logits) {
    int k = spec.outputWidth();
    switch (spec.task()) {
      case REGRESSION -> g.graph().addOutput(tensorInfo(logits, TensorProto.DataType.FLOAT, k));
      case BINARY -> {
        String p = g.node("Sigmoid", g.name("p_positive"), List.of(logits));
        String one = g.scalar("one", 1f);
        String q = g.node("Sub", g.name("p_negative"), List.of(one, p));
        g.node("Concat", g.name(PROBABILITY), List.of(q, p), GraphBuilder.intAttr("axis", 1));
        String above = predictedAbove(g, p);
        String flat = g.int64s("flat_shape", new long[] {-1}, 1);
        g.node("Reshape", g.name(PREDICTION), List.of(above, flat));
        g.graph().addOutput(tensorInfo(PREDICTION, TensorProto.DataType.INT64));
        g.graph().addOutput(tensorInfo(PROBABILITY, TensorProto.DataType.FLOAT, 2));
      }
      case MULTICLASS -> {
        String p = g.node("Softmax", g.name(PROBABILITY), List.of(logits),
            GraphBuilder.intAttr("axis", 1));
        g.node("ArgMax", g.name(PREDICTION), List.of(p), GraphBuilder.intAttr("axis", 1),
            GraphBuilder.intAttr("keepdims", 0), GraphBuilder.intAttr("select_last_index", 0));
        g.graph().addOutput(tensorInfo(PREDICTION, TensorProto.DataType.INT64));
        g.graph().addOutput(tensorInfo(PROBABILITY, TensorProto.DataType.FLOAT, k));
      }
      case MULTILABEL -> {
        String p = g.node("Sigmoid", g.name(PROBABILITY), List.of(logits));
        String above = predictedAbove(g, p);
        g.node("Identity", g.name(PREDICTION), List.of(above));
        g.graph().addOutput(tensorInfo(PREDICTION, TensorProto.DataType.INT64, k));
        g.graph().addOutput(tensorInfo(PROBABILITY, TensorProto.DataType.FLOAT, k));
      }
      default -> throw new IllegalStateException("unhandled task " + spec.task());
    }
  }

  /** int64 1 where {@code p} &gt; {@link #THRESHOLD}, 0 elsewhere (same shape). */
  private static String predictedAbove(GraphBuilder g, String p) {
    String half = g.scalar("threshold", THRESHOLD);
    String gt = g.node("Greater", g.name("above_threshold"), List.of(p, half));
    return g.node("Cast", g.name("above_threshold_int64"), List.of(gt),
        GraphBuilder.intAttr("to", TensorProto.DataType.INT64_VALUE));
  }

  /** The classes by index: the model's names, or the indices when it records none. */
  private static List<String> classNames(SavedModel model) {
    if (model.classNames() != null) {
      return model.classNames();
    }
    int n = model.spec().task() == Task.BINARY ? 2 : model.spec().outputWidth();
    return IntStream.range(0, n).mapToObj(Integer::toString).toList();
  }

  /** A tensor's value info: a symbolic batch dimension {@code N}, then {@code dims}. */
  private static ValueInfoProto tensorInfo(String name, TensorProto.DataType type, int... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
    for (int d : dims) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(type.getNumber()).setShape(shape)))
        .build();
  }

  private static void metadata(ModelProto.Builder m, String key, String value) {
    m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
  }

  private static String json(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + values + " as JSON", e);
    }
  }
}
