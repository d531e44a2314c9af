package io.sparkmlp.trainer.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.format.SpecJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code model.json} codec: every field of a {@link SavedModel} except the weights.
 * <pre>
 * {"format_version": 1, "spec": {...SpecJson...},
 *  "class_names": [...] | null, "feature_names": [...] | null,
 *  "feature_mean": [...] | null, "feature_std": [...] | null,
 *  "config": {...} | null, "provenance": {...}, "metrics": {...} | null,
 *  "preparation": {...} | null}
 * </pre>
 * Floats are written as the decimal of their exact double value, so they read back bit for bit
 * (also from Python's {@code json} into float64, then float32). Reading checks the format version
 * first, then is strict: unknown fields, wrong types and values that do not fit the spec are
 * errors naming the field; nullable fields may be absent.
 */
final class ModelJson {

  /** Shared Jackson configuration: strict reading, pretty writing, streams left open. */
  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

  private static final Set<String> FIELDS = Set.of("format_version", "spec", "class_names",
      "feature_names", "feature_mean", "feature_std", "config", "provenance", "metrics", "preparation");

  private ModelJson() {}

  /**
   * The fields of {@code model.json}: a {@link SavedModel} without its weights.
   *
   * @param formatVersion format version read
   * @param spec          the network
   * @param classNames    label mapping or null
   * @param featureMean   means or null
   * @param featureStd    scales or null
   * @param featureNames  feature names or null
   * @param config        training configuration or null
   * @param provenance    provenance
   * @param metrics       metrics or null
   * @param preparation   preparation or null
   */
  record Manifest(int formatVersion, NetworkSpec spec, List<String> classNames,
      float[] featureMean, float[] featureStd, List<String> featureNames, ObjectNode config,
      ObjectNode provenance, ObjectNode metrics, ObjectNode preparation) {

    /** The complete model with these fields and {@code params}. */
    SavedModel withParams(float[] params) {
      return new SavedModel(formatVersion, spec, params, classNames, featureMean, featureStd,
          featureNames, config, provenance, metrics, preparation);
    }
  }

  /** The JSON form of everything in {@code m} but the weights. */
  static ObjectNode toJson(SavedModel m) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("format_version", m.formatVersion());
    o.set("spec", SpecJson.toJson(m.spec()));
    o.set("class_names", strings(m.classNames()));
    o.set("feature_names", strings(m.featureNames()));
    o.set("feature_mean", floats(m.featureMean()));
    o.set("feature_std", floats(m.featureStd()));
    o.set("config", m.config());
    o.set("provenance", m.provenance());
    o.set("metrics", m.metrics());
    if (m.preparation() != null) {
      o.set("preparation", m.preparation());
    }
    return o;
  }

  private static JsonNode strings(List<String> v) {
    if (v == null) {
      return MAPPER.nullNode();
    }
    ArrayNode a = MAPPER.createArrayNode();
    v.forEach(a::add);
    return a;
  }

  private static JsonNode floats(float[] v) {
    if (v == null) {
      return MAPPER.nullNode();
    }
    ArrayNode a = MAPPER.createArrayNode();
    for (float f : v) {
      a.add((double) f); // exact; Double.toString round-trips it
    }
    return a;
  }

  /**
   * Format version of a parsed {@code model.json}, read before anything else.
   *
   * @throws IllegalArgumentException if the field is missing or not an integer
   */
  static int formatVersion(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode v = root.get("format_version");
    if (v == null) {
      throw new IllegalArgumentException("missing field 'format_version'");
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException("format_version must be an integer, got " + v);
    }
    return v.intValue();
  }

  /**
   * Parses and validates everything but the weights. The caller has checked the format version.
   *
   * @throws IllegalArgumentException naming the offending field
   */
  static Manifest fromJson(JsonNode root) {
    int version = formatVersion(root);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException("unknown field '" + f + "'; expected "
            + FIELDS.stream().sorted().toList());
      }
    }
    JsonNode specNode = root.get("spec");
    if (specNode == null || specNode.isNull()) {
      throw new IllegalArgumentException("missing field 'spec'");
    }
    NetworkSpec spec = SpecJson.fromJson(specNode);
    List<String> classNames = strings(root, "class_names");
    List<String> featureNames = strings(root, "feature_names");
    float[] mean = floats(root, "feature_mean");
    float[] std = floats(root, "feature_std");
    ObjectNode config = object(root, "config");
    ObjectNode provenance = object(root, "provenance");
    if (provenance == null) {
      throw new IllegalArgumentException("missing field 'provenance'");
    }
    ObjectNode metrics = object(root, "metrics");
    ObjectNode preparation = object(root, "preparation");
    SavedModel.validateFields(spec, classNames, mean, std, featureNames);
    return new Manifest(version, spec, classNames, mean, std, featureNames, config, provenance,
        metrics, preparation);
  }

  private static List<String> strings(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(field + " must be an array of strings or null");
    }
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw new IllegalArgumentException(field + "[" + i + "] must be a string, got " + v.get(i));
      }
      out.add(v.get(i).textValue());
    }
    return out;
  }

  private static float[] floats(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(field + " must be an array of numbers or null");
    }
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).isNumber()) {
        throw new IllegalArgumentException(field + "[" + i + "] must be a number, got " + v.get(i));
      }
      out[i] = (float) v.get(i).doubleValue();
    }
    return out;
  }

  private static ObjectNode object(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new IllegalArgumentException(field + " must be a JSON object or null, got "
          + v.getNodeType().toString().toLowerCase(Locale.ROOT));
    }
    return (ObjectNode) v;
  }

  /**
   * {@code node} as it reads back from {@code model.json}: a serialize/parse round trip.
   *
   * @throws IllegalArgumentException naming {@code what} if the tree cannot be written as JSON
   */
  static ObjectNode normalize(ObjectNode node, String what) {
    try {
      return (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " cannot be written as JSON: "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
  }
}
