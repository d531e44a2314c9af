package io.sparkmlp.ml;

import io.sparkmlp.model.Decision;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The column Params of the multi-label estimator and its model, with Spark ML's names and defaults
 * ({@code featuresCol} "features", {@code labelCol} "label", {@code predictionCol} "prediction",
 * {@code probabilityCol} "probability", {@code rawPredictionCol} "rawPrediction"; an output column
 * set to "" is not added), and {@code thresholds}, one per label.
 *
 * <p>Accessors create the Param on each call; Params are equal by owner and name, so every call
 * names the same Param. Implementations call {@link #setColumnDefaults} in their constructor.
 *
 * @param <T> the implementing stage, returned by the setters
 */
public interface MlpMultilabelParams<T extends MlpMultilabelParams<T>> extends Params {

  /** Param: the features column (a vector). */
  default Param<String> featuresCol() {
    return new Param<>(this, "featuresCol", "features column name (a vector)");
  }

  /** The features column. */
  default String getFeaturesCol() {
    return $(featuresCol());
  }

  /** Sets the features column. */
  @SuppressWarnings("unchecked")
  default T setFeaturesCol(String value) {
    set(featuresCol(), value);
    return (T) this;
  }

  /** Param: the label column (a vector or array of 0/1, one value per label; for fitting). */
  default Param<String> labelCol() {
    return new Param<>(this, "labelCol",
        "label column name (a vector or an array of numbers, 0 or 1 per label)");
  }

  /** The label column. */
  default String getLabelCol() {
    return $(labelCol());
  }

  /** Sets the label column. */
  @SuppressWarnings("unchecked")
  default T setLabelCol(String value) {
    set(labelCol(), value);
    return (T) this;
  }

  /** Param: the prediction column (a vector of 0/1 per label); "" leaves it out. */
  default Param<String> predictionCol() {
    return new Param<>(this, "predictionCol",
        "prediction column name (a vector, 1.0 for each predicted label, else 0.0)");
  }

  /** The prediction column. */
  default String getPredictionCol() {
    return $(predictionCol());
  }

  /** Sets the prediction column ("" to leave it out). */
  @SuppressWarnings("unchecked")
  default T setPredictionCol(String value) {
    set(predictionCol(), value);
    return (T) this;
  }

  /** Param: the probability column (a vector, one probability per label); "" leaves it out. */
  default Param<String> probabilityCol() {
    return new Param<>(this, "probabilityCol",
        "probability column name (a vector, the probability of each label)");
  }

  /** The probability column. */
  default String getProbabilityCol() {
    return $(probabilityCol());
  }

  /** Sets the probability column ("" to leave it out). */
  @SuppressWarnings("unchecked")
  default T setProbabilityCol(String value) {
    set(probabilityCol(), value);
    return (T) this;
  }

  /**
   * Param: the raw prediction column; the network's outputs are already the per-label
   * probabilities, so it holds the probability vector (as MlpClassificationModel's); "" leaves it
   * out.
   */
  default Param<String> rawPredictionCol() {
    return new Param<>(this, "rawPredictionCol",
        "raw prediction column name (the per-label probabilities, the network's outputs)");
  }

  /** The raw prediction column. */
  default String getRawPredictionCol() {
    return $(rawPredictionCol());
  }

  /** Sets the raw prediction column ("" to leave it out). */
  @SuppressWarnings("unchecked")
  default T setRawPredictionCol(String value) {
    set(rawPredictionCol(), value);
    return (T) this;
  }

  /**
   * Param: one threshold per label in [0, 1]; label j is predicted when its probability is strictly
   * above thresholds[j] ({@link Decision}'s rule, whose {@link Decision#THRESHOLD} every label
   * has when unset). The count must be the model's label count.
   */
  default DoubleArrayParam thresholds() {
    return new DoubleArrayParam(this, "thresholds", "per-label thresholds in [0, 1]: label j is "
        + "predicted when its probability is strictly above thresholds[j] (unset: "
        + Decision.THRESHOLD + " for every label)",
        (Function1<double[], Object> & Serializable) MlpMultilabelParams::probabilities);
  }

  /** The per-label thresholds, or null when unset ({@link Decision#THRESHOLD} for each). */
  default double[] getThresholds() {
    return isDefined(thresholds()) ? $(thresholds()) : null;
  }

  /** Sets one threshold per label, each in [0, 1]. */
  @SuppressWarnings("unchecked")
  default T setThresholds(double[] value) {
    set(thresholds(), value);
    return (T) this;
  }

  /** Sets the Spark ML default column names on {@code p}. */
  static void setColumnDefaults(MlpMultilabelParams<?> p) {
    p.setDefault(p.featuresCol(), "features");
    p.setDefault(p.labelCol(), "label");
    p.setDefault(p.predictionCol(), "prediction");
    p.setDefault(p.probabilityCol(), "probability");
    p.setDefault(p.rawPredictionCol(), "rawPrediction");
  }

  private static boolean probabilities(double[] t) {
    return t != null && t.length > 0 && Arrays.stream(t).allMatch(v -> v >= 0 && v <= 1);
  }
}
