package io.sparkmlp.trainer.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.ParamLayout;
import io.sparkmlp.model.Task;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Everything a trained model directory holds: the network, its weights, and what is needed to use
 * and audit it. Immutable: arrays and JSON trees are copied in and out.
 *
 * <p>JSON trees are normalized on construction to exactly what {@code model.json} stores (a
 * serialize/parse round trip, so for example a {@code long} that fits becomes an {@code int}), which
 * makes a saved and reloaded model {@link #equals equal} to the original.
 *
 * @param formatVersion on-disk format version; {@link ModelDirectory#FORMAT_VERSION} for new models
 * @param spec          the network
 * @param params        flat parameters in the {@link ParamLayout} of {@code spec}
 * @param classNames    classification label mapping, output index to original label (nullable):
 *                      two names (negative, positive) for binary, one per output unit for
 *                      multiclass and multilabel; must be null for regression
 * @param featureMean   per-feature mean subtracted before the network (nullable; with featureStd)
 * @param featureStd    per-feature scale divided by after centering, finite and positive (nullable;
 *                      with featureMean)
 * @param featureNames  input feature names, one per input unit (nullable)
 * @param config        the full training configuration (nullable)
 * @param provenance    where the model comes from: inputs, row counts, seed, partitions, versions,
 *                      BLAS, timestamps... (required, any JSON object)
 * @param metrics       evaluation results (nullable)
 * @param preparation   what was learned from the training rows to turn raw table columns into
 *                      the features (missing-value policies, imputed values, category
 *                      vocabularies) and to scale regression targets; any JSON object, read by
 *                      the jobs' {@code Preparation} (nullable: models of vector input, and
 *                      models written before it existed)
 */
public record SavedModel(
    int formatVersion,
    NetworkSpec spec,
    float[] params,
    List<String> classNames,
    float[] featureMean,
    float[] featureStd,
    List<String> featureNames,
    ObjectNode config,
    ObjectNode provenance,
    ObjectNode metrics,
    ObjectNode preparation) {

  /** A model without a preparation (vector input, or written before preparations existed). */
  public SavedModel(int formatVersion, NetworkSpec spec, float[] params, List<String> classNames,
      float[] featureMean, float[] featureStd, List<String> featureNames, ObjectNode config,
      ObjectNode provenance, ObjectNode metrics) {
    this(formatVersion, spec, params, classNames, featureMean, featureStd, featureNames, config,
        provenance, metrics, null);
  }

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if the params, label mapping, standardization or feature names
   *     do not fit the spec
   */
  public SavedModel {
    if (formatVersion < 1) {
      throw new IllegalArgumentException("format version must be positive, got " + formatVersion);
    }
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(provenance, "provenance");
    int expected = new ParamLayout(spec).size();
    if (params.length != expected) {
      throw new IllegalArgumentException("params has " + params.length + " floats but network "
          + spec.describe() + " has " + expected + " parameters");
    }
    validateFields(spec, classNames, featureMean, featureStd, featureNames);
    params = params.clone();
    classNames = classNames == null ? null : List.copyOf(classNames);
    featureMean = featureMean == null ? null : featureMean.clone();
    featureStd = featureStd == null ? null : featureStd.clone();
    featureNames = featureNames == null ? null : List.copyOf(featureNames);
    config = config == null ? null : ModelJson.normalize(config, "config");
    provenance = ModelJson.normalize(provenance, "provenance");
    metrics = metrics == null ? null : ModelJson.normalize(metrics, "metrics");
    preparation = preparation == null ? null : ModelJson.normalize(preparation, "preparation");
  }

  /**
   * Checks the label mapping, standardization and feature names against {@code spec}; shared with
   * {@link ModelJson} so that a bad {@code model.json} is rejected before its weights are read.
   */
  static void validateFields(NetworkSpec spec, List<String> classNames, float[] featureMean,
      float[] featureStd, List<String> featureNames) {
    if (classNames != null) {
      checkNames(classNames, "class names");
      int want = switch (spec.task()) {
        case REGRESSION, AUTOENCODER -> throw new IllegalArgumentException(
            "class names are only allowed for classification tasks, not " + spec.task());
        case BINARY -> 2;
        case MULTICLASS, MULTILABEL -> spec.outputWidth();
      };
      if (classNames.size() != want) {
        throw new IllegalArgumentException("class names has " + classNames.size()
            + " entries but " + spec.task() + " network " + spec.describe() + " needs " + want);
      }
      if (new HashSet<>(classNames).size() != classNames.size()) {
        throw new IllegalArgumentException("class names are not distinct: " + classNames);
      }
    }
    if ((featureMean == null) != (featureStd == null)) {
      throw new IllegalArgumentException(
          "feature mean and feature std must be given together (standardization)");
    }
    if (featureMean != null) {
      checkStats(featureMean, "feature mean", spec.inputWidth(), false);
      checkStats(featureStd, "feature std", spec.inputWidth(), true);
    }
    if (featureNames != null) {
      checkNames(featureNames, "feature names");
      if (featureNames.size() != spec.inputWidth()) {
        throw new IllegalArgumentException("feature names has " + featureNames.size()
            + " entries but the input width is " + spec.inputWidth());
      }
    }
  }

  private static void checkNames(List<String> names, String what) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i) == null) {
        throw new IllegalArgumentException(what + "[" + i + "] is null");
      }
    }
  }

  private static void checkStats(float[] v, String what, int inputWidth, boolean positive) {
    if (v.length != inputWidth) {
      throw new IllegalArgumentException(
          what + " has " + v.length + " values but the input width is " + inputWidth);
    }
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i]) || (positive && !(v[i] > 0f))) {
        throw new IllegalArgumentException(what + "[" + i + "] = " + v[i] + " is not "
            + (positive ? "finite and positive" : "finite"));
      }
    }
  }

  /** A copy of the flat parameters. */
  @Override
  public float[] params() {
    return params.clone();
  }

  /** A copy of the feature means, or null. */
  @Override
  public float[] featureMean() {
    return featureMean == null ? null : featureMean.clone();
  }

  /** A copy of the feature scales, or null. */
  @Override
  public float[] featureStd() {
    return featureStd == null ? null : featureStd.clone();
  }

  /** A copy of the training configuration, or null. */
  @Override
  public ObjectNode config() {
    return config == null ? null : config.deepCopy();
  }

  /** A copy of the provenance. */
  @Override
  public ObjectNode provenance() {
    return provenance.deepCopy();
  }

  /** A copy of the metrics, or null. */
  @Override
  public ObjectNode metrics() {
    return metrics == null ? null : metrics.deepCopy();
  }

  /** A copy of the preparation, or null. */
  @Override
  public ObjectNode preparation() {
    return preparation == null ? null : preparation.deepCopy();
  }

  /** True when {@link #featureMean} and {@link #featureStd} are present. */
  public boolean standardized() {
    return featureMean != null;
  }

  /** Component-wise equality; float arrays compare bit patterns (as {@link Arrays#equals}). */
  @Override
  public boolean equals(Object o) {
    return o instanceof SavedModel m
        && formatVersion == m.formatVersion
        && spec.equals(m.spec)
        && Arrays.equals(params, m.params)
        && Objects.equals(classNames, m.classNames)
        && Arrays.equals(featureMean, m.featureMean)
        && Arrays.equals(featureStd, m.featureStd)
        && Objects.equals(featureNames, m.featureNames)
        && Objects.equals(config, m.config)
        && provenance.equals(m.provenance)
        && Objects.equals(metrics, m.metrics)
        && Objects.equals(preparation, m.preparation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(formatVersion, spec, Arrays.hashCode(params), classNames,
        Arrays.hashCode(featureMean), Arrays.hashCode(featureStd), featureNames, config,
        provenance, metrics, preparation);
  }

  /** A one-line summary (no weights or JSON bodies). */
  @Override
  public String toString() {
    return "SavedModel[format " + formatVersion + ", " + spec.describe() + ", " + params.length
        + " params" + (classNames == null ? "" : ", classes " + classNames)
        + (standardized() ? ", standardized" : "")
        + (featureNames == null ? "" : ", " + featureNames.size() + " named features") + "]";
  }
}
