package io.sparkmlp.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.LayerSpec;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Converts a {@link NetworkSpec} to and from JSON:
 * <pre>
 * {"input_width": 30,
 *  "hidden": [{"width": 64, "activation": "relu", "dropout": 0.2},
 *             {"width": 32, "activation": "leaky_relu(0.01)"}],
 *  "output_width": 1, "task": "binary", "output_activation": "sigmoid",
 *  "loss": "binary_cross_entropy"}
 * </pre>
 * An autoencoder with a code layer adds {@code "bottleneck": i}, the index into {@code hidden};
 * it is optional, like a layer's dropout.
 * Names are those of {@link Activation#toString()}, {@link Task#toString()} and friends, so a spec
 * round-trips exactly (leaky ReLU slopes included). Reading is strict: an unknown or missing field, a
 * value of the wrong JSON type or an invalid spec is an {@link IllegalArgumentException} that names
 * the field. A layer's {@code dropout} (a training setting: prediction ignores it) is written only
 * when non-zero and reads as 0 when absent, so specs without dropout read and write as before.
 */
public final class SpecJson {

  private static final Set<String> SPEC_FIELDS = Set.of(
      "input_width", "hidden", "output_width", "task", "output_activation", "loss");
  private static final String BOTTLENECK = "bottleneck";
  private static final Set<String> LAYER_FIELDS = Set.of("width", "activation");
  private static final Set<String> OPTIONAL_LAYER_FIELDS = Set.of("dropout");

  private SpecJson() {}

  /** The JSON form of {@code spec}; fields in the order of the record. */
  public static ObjectNode toJson(NetworkSpec spec) {
    Objects.requireNonNull(spec, "spec");
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("input_width", spec.inputWidth());
    ArrayNode hidden = o.putArray("hidden");
    for (LayerSpec h : spec.hidden()) {
      ObjectNode layer = hidden.addObject().put("width", h.width())
          .put("activation", h.activation().toString());
      if (h.dropout() > 0) {
        layer.put("dropout", h.dropout());
      }
    }
    o.put("output_width", spec.outputWidth());
    o.put("task", spec.task().toString());
    o.put("output_activation", spec.outputActivation().toString());
    o.put("loss", spec.loss().toString());
    if (spec.bottleneck() >= 0) {
      o.put(BOTTLENECK, spec.bottleneck());
    }
    return o;
  }

  /**
   * Parses and validates a spec.
   *
   * @param node the JSON form written by {@link #toJson}
   * @throws IllegalArgumentException naming the offending field (prefixed {@code spec.}) if a field
   *     is unknown, missing, of the wrong type or invalid, or if the spec is inconsistent
   */
  public static NetworkSpec fromJson(JsonNode node) {
    requireFields(node, "spec", SPEC_FIELDS, Set.of(BOTTLENECK));
    int inputWidth = intField(node, "spec", "input_width");
    JsonNode hiddenNode = node.get("hidden");
    if (!hiddenNode.isArray()) {
      throw new IllegalArgumentException("spec.hidden must be an array, got " + hiddenNode);
    }
    List<LayerSpec> hidden = new ArrayList<>();
    for (int i = 0; i < hiddenNode.size(); i++) {
      String where = "spec.hidden[" + i + "]";
      JsonNode layer = hiddenNode.get(i);
      requireFields(layer, where, LAYER_FIELDS, OPTIONAL_LAYER_FIELDS);
      int width = intField(layer, where, "width");
      Activation activation = parsed(layer, where, "activation", Activation::parse);
      double dropout = 0;
      if (layer.has("dropout")) {
        JsonNode d = layer.get("dropout");
        if (!d.isNumber()) {
          throw new IllegalArgumentException(where + ".dropout must be a number, got " + d);
        }
        dropout = d.doubleValue();
      }
      try {
        hidden.add(new LayerSpec(width, activation, dropout));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    int outputWidth = intField(node, "spec", "output_width");
    Task task = parsed(node, "spec", "task", Task::parse);
    Task.OutputActivation out = parsed(node, "spec", "output_activation",
        Task.OutputActivation::parse);
    Task.Loss loss = parsed(node, "spec", "loss", Task.Loss::parse);
    int bottleneck = node.has(BOTTLENECK) ? intField(node, "spec", BOTTLENECK) : -1;
    try {
      return new NetworkSpec(inputWidth, hidden, outputWidth, task, out, loss, bottleneck);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid spec: " + e.getMessage(), e);
    }
  }

  /** Checks that {@code node} is an object with all of {@code fields}, and maybe {@code optional}. */
  private static void requireFields(JsonNode node, String where, Set<String> fields,
      Set<String> optional) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + " must be a JSON object, got " + node);
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!fields.contains(f) && !optional.contains(f)) {
        Set<String> all = new java.util.HashSet<>(fields);
        all.addAll(optional);
        throw new IllegalArgumentException(where + ": unknown field '" + f + "'; expected "
            + sorted(all));
      }
    }
    for (String f : sorted(fields)) {
      if (!node.has(f)) {
        throw new IllegalArgumentException(where + ": missing field '" + f + "'");
      }
    }
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  private static int intField(JsonNode node, String where, String field) {
    JsonNode v = node.get(field);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException(where + "." + field + " must be an integer, got " + v);
    }
    return v.intValue();
  }

  private static <T> T parsed(JsonNode node, String where, String field, Function<String, T> parse) {
    JsonNode v = node.get(field);
    if (!v.isTextual()) {
      throw new IllegalArgumentException(where + "." + field + " must be a string, got " + v);
    }
    try {
      return parse.apply(v.textValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "." + field + ": " + e.getMessage(), e);
    }
  }
}
