package io.sparkmlp.model.format;

import io.sparkmlp.model.ParamLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Converts between the flat parameter vector of a {@link ParamLayout} and its named tensors, in the
 * PyTorch {@code nn.Linear} convention: for affine layer {@code l} (0-based), {@code layers.<l>.weight}
 * of shape {@code [out, in]} (row-major, exactly the flat block) and {@code layers.<l>.bias} of
 * shape {@code [out]}, in the order W_0, b_0, W_1, b_1, ...
 *
 * <p>Every conversion from tensors checks names and shapes against the layout's spec: a missing,
 * extra or misshapen tensor is an {@link IllegalArgumentException} naming the tensor with the
 * expected and actual shapes.
 */
public final class ModelWeights {

  private ModelWeights() {}

  /** Name of the weight matrix of affine layer {@code layer}: {@code layers.<layer>.weight}. */
  public static String weightName(int layer) {
    return "layers." + layer + ".weight";
  }

  /** Name of the bias vector of affine layer {@code layer}: {@code layers.<layer>.bias}. */
  public static String biasName(int layer) {
    return "layers." + layer + ".bias";
  }

  /** Every tensor name and shape the layout expects, in storage order. */
  public static Map<String, List<Integer>> expectedShapes(ParamLayout layout) {
    Map<String, List<Integer>> m = new LinkedHashMap<>();
    for (int l = 0; l < layout.numLayers(); l++) {
      m.put(weightName(l), List.of(layout.fanOut(l), layout.fanIn(l)));
      m.put(biasName(l), List.of(layout.fanOut(l)));
    }
    return m;
  }

  /**
   * Splits flat parameters into named tensors (copies).
   *
   * @param layout the layout of {@code params}
   * @param params flat parameters, {@code layout.size()} floats
   * @return W_0, b_0, W_1, b_1, ... with the names and shapes of {@link #expectedShapes}
   */
  public static List<FloatTensor> toTensors(ParamLayout layout, float[] params) {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(params, "params");
    if (params.length != layout.size()) {
      throw new IllegalArgumentException("params has " + params.length + " floats but "
          + layout.spec().describe() + " has " + layout.size() + " parameters");
    }
    List<FloatTensor> tensors = new ArrayList<>(2 * layout.numLayers());
    for (int l = 0; l < layout.numLayers(); l++) {
      int out = layout.fanOut(l);
      int in = layout.fanIn(l);
      int w = layout.weightOffset(l);
      int b = layout.biasOffset(l);
      tensors.add(FloatTensor.wrap(weightName(l), List.of(out, in),
          Arrays.copyOfRange(params, w, w + out * in)));
      tensors.add(FloatTensor.wrap(biasName(l), List.of(out),
          Arrays.copyOfRange(params, b, b + out)));
    }
    return tensors;
  }

  /**
   * Checks that every value of {@code tensors} is finite: a model with a NaN or infinite weight
   * predicts NaN, so it is neither written nor read.
   *
   * @param source where the tensors come from or go to, used in the message
   * @throws IllegalArgumentException naming the first tensor with a NaN or infinite value, how
   *     many it has and the first one
   */
  public static void requireFinite(List<FloatTensor> tensors, String source) {
    for (FloatTensor t : tensors) {
      float[] v = t.view();
      int bad = 0;
      int first = -1;
      for (int i = 0; i < v.length; i++) {
        if (!Float.isFinite(v[i])) {
          bad++;
          first = first < 0 ? i : first;
        }
      }
      if (bad > 0) {
        throw new IllegalArgumentException(source + ": tensor '" + t.name() + "' has " + bad
            + " NaN or infinite value" + (bad == 1 ? "" : "s") + " (the first is " + v[first]
            + " at index " + first + "); a model must have finite weights");
      }
    }
  }

  /**
   * Assembles flat parameters from named tensors, in any order, after {@link #checkShapes}.
   *
   * @param layout  the layout to fill
   * @param tensors exactly the tensors of {@link #expectedShapes}
   * @param source  where the tensors come from (a file name), used in error messages
   * @return a new array of {@code layout.size()} floats
   * @throws IllegalArgumentException if a tensor is missing, unexpected or misshapen, or holds a
   *     NaN or infinite value
   */
  public static float[] toParams(ParamLayout layout, List<FloatTensor> tensors, String source) {
    Objects.requireNonNull(tensors, "tensors");
    Map<String, List<Integer>> shapes = new LinkedHashMap<>();
    Map<String, FloatTensor> byName = new LinkedHashMap<>();
    for (FloatTensor t : tensors) {
      if (byName.put(t.name(), t) != null) {
        throw new IllegalArgumentException(source + ": duplicate tensor '" + t.name() + "'");
      }
      shapes.put(t.name(), t.shape());
    }
    checkShapes(layout, shapes, source);
    requireFinite(tensors, source);
    float[] params = new float[layout.size()];
    for (int l = 0; l < layout.numLayers(); l++) {
      float[] w = byName.get(weightName(l)).view();
      float[] b = byName.get(biasName(l)).view();
      System.arraycopy(w, 0, params, layout.weightOffset(l), w.length);
      System.arraycopy(b, 0, params, layout.biasOffset(l), b.length);
    }
    return params;
  }

  /**
   * Checks that {@code shapes} names exactly the tensors of {@link #expectedShapes} with the
   * expected shapes. All problems are reported in one line.
   *
   * @param layout the layout the tensors must fit
   * @param shapes tensor name to shape, as found (e.g. {@link SafeTensorsHeader#shapes()})
   * @param source where the tensors come from (a file name), used in the message
   * @throws IllegalArgumentException naming each missing, unexpected or misshapen tensor with the
   *     expected and actual shapes
   */
  public static void checkShapes(ParamLayout layout, Map<String, List<Integer>> shapes,
      String source) {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(shapes, "shapes");
    Map<String, List<Integer>> expected = expectedShapes(layout);
    List<String> problems = new ArrayList<>();
    expected.forEach((name, shape) -> {
      List<Integer> actual = shapes.get(name);
      if (actual == null) {
        problems.add("missing tensor '" + name + "' (expected shape " + shape + ")");
      } else if (!actual.equals(shape)) {
        problems.add("tensor '" + name + "' has shape " + actual + ", expected " + shape);
      }
    });
    shapes.forEach((name, shape) -> {
      if (!expected.containsKey(name)) {
        problems.add("unexpected tensor '" + name + "' with shape " + shape);
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(source + ": weights do not match network "
          + layout.spec().describe() + ": " + String.join("; ", problems));
    }
  }
}
