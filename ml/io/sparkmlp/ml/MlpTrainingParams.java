package io.sparkmlp.ml;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The training Params shared by the estimators, one per configuration key (names, documentation,
 * defaults and validation from {@link ConfigParams}), plus the Spark ML conventions
 * {@code validationIndicatorCol} and MLlib's {@code layers}, {@code maxIter} and
 * {@code blockSize}. {@code weightCol} follows Spark's {@code HasWeightCol}: a numeric column of
 * per-row sample weights (finite, &gt;= 0); unset, every row weighs 1.
 *
 * <p>Accessors create the Param on each call; Params are equal by owner and name, so every call
 * names the same Param.
 *
 * @param <T> the implementing estimator, returned by the setters
 */
public interface MlpTrainingParams<T extends MlpTrainingParams<T>> extends Params {

  /**
   * Param: a boolean column; rows where it is true are the validation set (for validation every
   * epoch, early stopping and the plateau schedule) and are not trained on. Unset: the trainer holds
   * out {@code validationFraction} of the rows instead.
   */
  default Param<String> validationIndicatorCol() {
    return new Param<>(this, "validationIndicatorCol", "boolean column; rows where it is true "
        + "form the validation set (not trained on)");
  }

  /** The validation indicator column, or null when unset. */
  default String getValidationIndicatorCol() {
    return isDefined(validationIndicatorCol()) ? $(validationIndicatorCol()) : null;
  }

  /** Sets the validation indicator column. */
  @SuppressWarnings("unchecked")
  default T setValidationIndicatorCol(String value) {
    set(validationIndicatorCol(), value);
    return (T) this;
  }

  /**
   * Param: every layer width as MLlib's {@code MultilayerPerceptronClassifier} takes them, input
   * and output included; when set, it replaces {@code hidden} by its inner widths and the input
   * and output widths must match the data (a binary network has one sigmoid output, and accepts
   * MLlib's 2 for its two classes). Unset by default.
   */
  default IntArrayParam layers() {
    return new IntArrayParam(this, "layers", "every layer width, input and output included "
        + "(MLlib's MultilayerPerceptronClassifier form); replaces hidden when set");
  }

  /** The layer widths, or null when unset. */
  default int[] getLayers() {
    return isDefined(layers()) ? $(layers()) : null;
  }

  /** Sets every layer width, input and output included (MLlib's form). */
  @SuppressWarnings("unchecked")
  default T setLayers(int[] value) {
    if (value == null || value.length < 2) {
      throw new IllegalArgumentException("layers needs at least the input and output widths");
    }
    set(layers(), value);
    return (T) this;
  }

  /** MLlib's name for the number of epochs: the same as {@link #setEpochs}. */
  default T setMaxIter(int value) {
    return setEpochs(value);
  }

  /** MLlib's {@code blockSize}, taken as the global mini-batch size ({@link #setBatchSize}). */
  default T setBlockSize(int value) {
    return setBatchSize(value);
  }

  /** Param: the hidden layer widths, input side first; see {@link ConfigParams#KEYS} for its configuration key. */
  default IntArrayParam hidden() {
    return (IntArrayParam) (Param<?>) ConfigParams.param(this, "hidden");
  }

  /** The hidden layer widths, input side first. */
  default int[] getHidden() {
    return (int[]) getOrDefault(hidden());
  }

  /** Sets the hidden layer widths, input side first. */
  @SuppressWarnings("unchecked")
  default T setHidden(int[] value) {
    set(hidden(), value);
    return (T) this;
  }

  /** Param: the hidden-layer activation; see {@link ConfigParams#KEYS} for its configuration key. */
  default Param<String> activation() {
    return ConfigParams.stringParam(this, "activation");
  }

  /** The hidden-layer activation. */
  default String getActivation() {
    return (String) getOrDefault(activation());
  }

  /** Sets the hidden-layer activation. */
  @SuppressWarnings("unchecked")
  default T setActivation(String value) {
    set(activation(), value);
    return (T) this;
  }

  /**
   * Param: the dropout rate of every hidden layer during training (0 disables it); see
   * {@link ConfigParams#KEYS} for its configuration key.
   */
  default DoubleParam dropout() {
    return (DoubleParam) ConfigParams.param(this, "dropout");
  }

  /** The dropout rate of every hidden layer during training. */
  default double getDropout() {
    return (Double) getOrDefault(dropout());
  }

  /** Sets the dropout rate of every hidden layer during training, in [0, 1). */
  @SuppressWarnings("unchecked")
  default T setDropout(double value) {
    set(dropout(), value);
    return (T) this;
  }

  /** Param: the weight initializer; see {@link ConfigParams#KEYS} for its configuration key. */
  default Param<String> init() {
    return ConfigParams.stringParam(this, "init");
  }

  /** The weight initializer. */
  default String getInit() {
    return (String) getOrDefault(init());
  }

  /** Sets the weight initializer. */
  @SuppressWarnings("unchecked")
  default T setInit(String value) {
    set(init(), value);
    return (T) this;
  }

  /** Param: the number of epochs; see {@link ConfigParams#KEYS} for its configuration key. */
  default IntParam epochs() {
    return (IntParam) ConfigParams.param(this, "epochs");
  }

  /** The number of epochs. */
  default int getEpochs() {
    return (Integer) getOrDefault(epochs());
  }

  /** Sets the number of epochs. */
  @SuppressWarnings("unchecked")
  default T setEpochs(int value) {
    set(epochs(), value);
    return (T) this;
  }

  /** Param: the global mini-batch size; see {@link ConfigParams#KEYS} for its configuration key. */
  default IntParam batchSize() {
    return (IntParam) ConfigParams.param(this, "batchSize");
  }

  /** The global mini-batch size. */
  default int getBatchSize() {
    return (Integer) getOrDefault(batchSize());
  }

  /** Sets the global mini-batch size. */
  @SuppressWarnings("unchecked")
  default T setBatchSize(int value) {
    set(batchSize(), value);
    return (T) this;
  }

  /** Param: the seed; see {@link ConfigParams#KEYS} for its configuration key. */
  default LongParam seed() {
    return (LongParam) ConfigParams.param(this, "seed");
  }

  /** The seed. */
  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  /** Sets the seed. */
  @SuppressWarnings("unchecked")
  default T setSeed(long value) {
    set(seed(), value);
    return (T) this;
  }

  /** Param: the storage level of the packed data; see {@link ConfigParams#KEYS} for its configuration key. */
  default Param<String> storageLevel() {
    return ConfigParams.stringParam(this, "storageLevel");
  }

  /** The storage level of the packed data. */
  default String getStorageLevel() {
    return (String) getOrDefault(storageLevel());
  }

  /** Sets the storage level of the packed data. */
  @SuppressWarnings("unchecked")
  default T setStorageLevel(String value) {
    set(storageLevel(), value);
    return (T) this;
  }

  /** Param: the tree reduction depth; see {@link ConfigParams#KEYS} for its configuration key. */
  default IntParam treeDepth() {
    return (IntParam) ConfigParams.param(this, "treeDepth");
  }

  /** The tree reduction depth. */
  default int getTreeDepth() {
    return (Integer) getOrDefault(treeDepth());
  }

  /** Sets the tree reduction depth. */
  @SuppressWarnings("unchecked")
  default T setTreeDepth(int value) {
    set(treeDepth(), value);
    return (T) this;
  }

  /** Param: the seconds between progress lines inside an epoch (0 = off); see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam progressInterval() {
    return (DoubleParam) ConfigParams.param(this, "progressInterval");
  }

  /** The seconds between progress lines inside an epoch (0 = off). */
  default double getProgressInterval() {
    return (Double) getOrDefault(progressInterval());
  }

  /** Sets the seconds between progress lines inside an epoch (0 = off). */
  @SuppressWarnings("unchecked")
  default T setProgressInterval(double value) {
    set(progressInterval(), value);
    return (T) this;
  }

  /** Param: steps between synchronizations (local SGD); see {@link ConfigParams#KEYS}. */
  default IntParam syncEvery() {
    return (IntParam) ConfigParams.param(this, "syncEvery");
  }

  /** Steps between synchronizations (1 = synchronous). */
  default int getSyncEvery() {
    return (Integer) getOrDefault(syncEvery());
  }

  /** Sets the steps between synchronizations (1 = synchronous). */
  @SuppressWarnings("unchecked")
  default T setSyncEvery(int value) {
    set(syncEvery(), value);
    return (T) this;
  }

  /** Param: the outer update of local SGD; see {@link ConfigParams#KEYS}. */
  default Param<String> outerOptimizer() {
    return ConfigParams.stringParam(this, "outerOptimizer");
  }

  /** The outer update of local SGD (average, momentum, nesterov). */
  default String getOuterOptimizer() {
    return (String) getOrDefault(outerOptimizer());
  }

  /** Sets the outer update of local SGD (average, momentum, nesterov). */
  @SuppressWarnings("unchecked")
  default T setOuterOptimizer(String value) {
    set(outerOptimizer(), value);
    return (T) this;
  }

  /** Param: the outer learning rate of local SGD; see {@link ConfigParams#KEYS}. */
  default DoubleParam outerLr() {
    return (DoubleParam) ConfigParams.param(this, "outerLr");
  }

  /** The outer learning rate of local SGD. */
  default double getOuterLr() {
    return (Double) getOrDefault(outerLr());
  }

  /** Sets the outer learning rate of local SGD. */
  @SuppressWarnings("unchecked")
  default T setOuterLr(double value) {
    set(outerLr(), value);
    return (T) this;
  }

  /** Param: the outer momentum of local SGD; see {@link ConfigParams#KEYS}. */
  default DoubleParam outerMomentum() {
    return (DoubleParam) ConfigParams.param(this, "outerMomentum");
  }

  /** The outer momentum of local SGD. */
  default double getOuterMomentum() {
    return (Double) getOrDefault(outerMomentum());
  }

  /** Sets the outer momentum of local SGD. */
  @SuppressWarnings("unchecked")
  default T setOuterMomentum(double value) {
    set(outerMomentum(), value);
    return (T) this;
  }

  /**
   * Param: the precision of the weights and gradient sums shipped in synchronous steps; see
   * {@link ConfigParams#KEYS}.
   */
  default Param<String> transferPrecision() {
    return ConfigParams.stringParam(this, "transferPrecision");
  }

  /** The precision of the weights and gradient sums shipped per step (float32, bfloat16). */
  default String getTransferPrecision() {
    return (String) getOrDefault(transferPrecision());
  }

  /**
   * Sets the precision of the weights and gradient sums shipped per step (float32, bfloat16;
   * bfloat16 needs syncEvery = 1).
   */
  @SuppressWarnings("unchecked")
  default T setTransferPrecision(String value) {
    set(transferPrecision(), value);
    return (T) this;
  }

  /**
   * Param: how steps and local-SGD rounds reach the partitions (auto, direct, spark); see
   * {@link ConfigParams#KEYS}.
   */
  default Param<String> roundTransport() {
    return ConfigParams.stringParam(this, "roundTransport");
  }

  /** How steps and local-SGD rounds reach the partitions (auto, direct, spark). */
  default String getRoundTransport() {
    return (String) getOrDefault(roundTransport());
  }

  /** Sets how steps and local-SGD rounds reach the partitions (auto, direct, spark). */
  @SuppressWarnings("unchecked")
  default T setRoundTransport(String value) {
    set(roundTransport(), value);
    return (T) this;
  }

  /** Param: the optimizer; see {@link ConfigParams#KEYS} for its configuration key. */
  default Param<String> optimizer() {
    return ConfigParams.stringParam(this, "optimizer");
  }

  /** The optimizer. */
  default String getOptimizer() {
    return (String) getOrDefault(optimizer());
  }

  /** Sets the optimizer. */
  @SuppressWarnings("unchecked")
  default T setOptimizer(String value) {
    set(optimizer(), value);
    return (T) this;
  }

  /** Param: the base learning rate; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam learningRate() {
    return (DoubleParam) ConfigParams.param(this, "learningRate");
  }

  /** The base learning rate. */
  default double getLearningRate() {
    return (Double) getOrDefault(learningRate());
  }

  /** Sets the base learning rate. */
  @SuppressWarnings("unchecked")
  default T setLearningRate(double value) {
    set(learningRate(), value);
    return (T) this;
  }

  /** Param: the momentum coefficient; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam momentum() {
    return (DoubleParam) ConfigParams.param(this, "momentum");
  }

  /** The momentum coefficient. */
  default double getMomentum() {
    return (Double) getOrDefault(momentum());
  }

  /** Sets the momentum coefficient. */
  @SuppressWarnings("unchecked")
  default T setMomentum(double value) {
    set(momentum(), value);
    return (T) this;
  }

  /** Param: the Adam's first-moment decay; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam beta1() {
    return (DoubleParam) ConfigParams.param(this, "beta1");
  }

  /** The Adam's first-moment decay. */
  default double getBeta1() {
    return (Double) getOrDefault(beta1());
  }

  /** Sets the Adam's first-moment decay. */
  @SuppressWarnings("unchecked")
  default T setBeta1(double value) {
    set(beta1(), value);
    return (T) this;
  }

  /** Param: the Adam's second-moment decay; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam beta2() {
    return (DoubleParam) ConfigParams.param(this, "beta2");
  }

  /** The Adam's second-moment decay. */
  default double getBeta2() {
    return (Double) getOrDefault(beta2());
  }

  /** Sets the Adam's second-moment decay. */
  @SuppressWarnings("unchecked")
  default T setBeta2(double value) {
    set(beta2(), value);
    return (T) this;
  }

  /** Param: the RMSProp's decay; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam rho() {
    return (DoubleParam) ConfigParams.param(this, "rho");
  }

  /** The RMSProp's decay. */
  default double getRho() {
    return (Double) getOrDefault(rho());
  }

  /** Sets the RMSProp's decay. */
  @SuppressWarnings("unchecked")
  default T setRho(double value) {
    set(rho(), value);
    return (T) this;
  }

  /** Param: the optimizer epsilon; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam epsilon() {
    return (DoubleParam) ConfigParams.param(this, "epsilon");
  }

  /** The optimizer epsilon. */
  default double getEpsilon() {
    return (Double) getOrDefault(epsilon());
  }

  /** Sets the optimizer epsilon. */
  @SuppressWarnings("unchecked")
  default T setEpsilon(double value) {
    set(epsilon(), value);
    return (T) this;
  }

  /** Param: the L2 penalty; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam l2() {
    return (DoubleParam) ConfigParams.param(this, "l2");
  }

  /** The L2 penalty. */
  default double getL2() {
    return (Double) getOrDefault(l2());
  }

  /** Sets the L2 penalty. */
  @SuppressWarnings("unchecked")
  default T setL2(double value) {
    set(l2(), value);
    return (T) this;
  }

  /** Param: the decoupled weight decay; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam weightDecay() {
    return (DoubleParam) ConfigParams.param(this, "weightDecay");
  }

  /** The decoupled weight decay. */
  default double getWeightDecay() {
    return (Double) getOrDefault(weightDecay());
  }

  /** Sets the decoupled weight decay. */
  @SuppressWarnings("unchecked")
  default T setWeightDecay(double value) {
    set(weightDecay(), value);
    return (T) this;
  }

  /** Param: the whether biases are decayed; see {@link ConfigParams#KEYS} for its configuration key. */
  default BooleanParam decayBiases() {
    return (BooleanParam) ConfigParams.param(this, "decayBiases");
  }

  /** The whether biases are decayed. */
  default boolean getDecayBiases() {
    return (Boolean) getOrDefault(decayBiases());
  }

  /** Sets the whether biases are decayed. */
  @SuppressWarnings("unchecked")
  default T setDecayBiases(boolean value) {
    set(decayBiases(), value);
    return (T) this;
  }

  /** Param: the gradient clipping norm; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam clipNorm() {
    return (DoubleParam) ConfigParams.param(this, "clipNorm");
  }

  /** The gradient clipping norm. */
  default double getClipNorm() {
    return (Double) getOrDefault(clipNorm());
  }

  /** Sets the gradient clipping norm. */
  @SuppressWarnings("unchecked")
  default T setClipNorm(double value) {
    set(clipNorm(), value);
    return (T) this;
  }

  /** Param: the learning-rate schedule; see {@link ConfigParams#KEYS} for its configuration key. */
  default Param<String> schedule() {
    return ConfigParams.stringParam(this, "schedule");
  }

  /** The learning-rate schedule. */
  default String getSchedule() {
    return (String) getOrDefault(schedule());
  }

  /** Sets the learning-rate schedule. */
  @SuppressWarnings("unchecked")
  default T setSchedule(String value) {
    set(schedule(), value);
    return (T) this;
  }

  /** Param: the step schedule's step size; see {@link ConfigParams#KEYS} for its configuration key. */
  default IntParam stepSize() {
    return (IntParam) ConfigParams.param(this, "stepSize");
  }

  /** The step schedule's step size. */
  default int getStepSize() {
    return (Integer) getOrDefault(stepSize());
  }

  /** Sets the step schedule's step size. */
  @SuppressWarnings("unchecked")
  default T setStepSize(int value) {
    set(stepSize(), value);
    return (T) this;
  }

  /** Param: the step/exponential decay; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam gamma() {
    return (DoubleParam) ConfigParams.param(this, "gamma");
  }

  /** The step/exponential decay. */
  default double getGamma() {
    return (Double) getOrDefault(gamma());
  }

  /** Sets the step/exponential decay. */
  @SuppressWarnings("unchecked")
  default T setGamma(double value) {
    set(gamma(), value);
    return (T) this;
  }

  /** Param: the cosine warm-up steps; see {@link ConfigParams#KEYS} for its configuration key. */
  default IntParam warmupSteps() {
    return (IntParam) ConfigParams.param(this, "warmupSteps");
  }

  /** The cosine warm-up steps. */
  default int getWarmupSteps() {
    return (Integer) getOrDefault(warmupSteps());
  }

  /** Sets the cosine warm-up steps. */
  @SuppressWarnings("unchecked")
  default T setWarmupSteps(int value) {
    set(warmupSteps(), value);
    return (T) this;
  }

  /** Param: the cosine final learning rate; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam minLearningRate() {
    return (DoubleParam) ConfigParams.param(this, "minLearningRate");
  }

  /** The cosine final learning rate. */
  default double getMinLearningRate() {
    return (Double) getOrDefault(minLearningRate());
  }

  /** Sets the cosine final learning rate. */
  @SuppressWarnings("unchecked")
  default T setMinLearningRate(double value) {
    set(minLearningRate(), value);
    return (T) this;
  }

  /** Param: the plateau factor; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam factor() {
    return (DoubleParam) ConfigParams.param(this, "factor");
  }

  /** The plateau factor. */
  default double getFactor() {
    return (Double) getOrDefault(factor());
  }

  /** Sets the plateau factor. */
  @SuppressWarnings("unchecked")
  default T setFactor(double value) {
    set(factor(), value);
    return (T) this;
  }

  /** Param: the plateau patience; see {@link ConfigParams#KEYS} for its configuration key. */
  default IntParam schedulePatience() {
    return (IntParam) ConfigParams.param(this, "schedulePatience");
  }

  /** The plateau patience. */
  default int getSchedulePatience() {
    return (Integer) getOrDefault(schedulePatience());
  }

  /** Sets the plateau patience. */
  @SuppressWarnings("unchecked")
  default T setSchedulePatience(int value) {
    set(schedulePatience(), value);
    return (T) this;
  }

  /** Param: the plateau threshold; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam scheduleThreshold() {
    return (DoubleParam) ConfigParams.param(this, "scheduleThreshold");
  }

  /** The plateau threshold. */
  default double getScheduleThreshold() {
    return (Double) getOrDefault(scheduleThreshold());
  }

  /** Sets the plateau threshold. */
  @SuppressWarnings("unchecked")
  default T setScheduleThreshold(double value) {
    set(scheduleThreshold(), value);
    return (T) this;
  }

  /** Param: the plateau learning-rate floor; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam minLr() {
    return (DoubleParam) ConfigParams.param(this, "minLr");
  }

  /** The plateau learning-rate floor. */
  default double getMinLr() {
    return (Double) getOrDefault(minLr());
  }

  /** Sets the plateau learning-rate floor. */
  @SuppressWarnings("unchecked")
  default T setMinLr(double value) {
    set(minLr(), value);
    return (T) this;
  }

  /** Param: the early-stopping patience; see {@link ConfigParams#KEYS} for its configuration key. */
  default IntParam earlyStoppingPatience() {
    return (IntParam) ConfigParams.param(this, "earlyStoppingPatience");
  }

  /** The early-stopping patience. */
  default int getEarlyStoppingPatience() {
    return (Integer) getOrDefault(earlyStoppingPatience());
  }

  /** Sets the early-stopping patience. */
  @SuppressWarnings("unchecked")
  default T setEarlyStoppingPatience(int value) {
    set(earlyStoppingPatience(), value);
    return (T) this;
  }

  /** Param: the early-stopping minimum improvement; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam earlyStoppingMinDelta() {
    return (DoubleParam) ConfigParams.param(this, "earlyStoppingMinDelta");
  }

  /** The early-stopping minimum improvement. */
  default double getEarlyStoppingMinDelta() {
    return (Double) getOrDefault(earlyStoppingMinDelta());
  }

  /** Sets the early-stopping minimum improvement. */
  @SuppressWarnings("unchecked")
  default T setEarlyStoppingMinDelta(double value) {
    set(earlyStoppingMinDelta(), value);
    return (T) this;
  }

  /** Param: the whether the best epoch's weights are restored; see {@link ConfigParams#KEYS} for its configuration key. */
  default BooleanParam earlyStoppingRestoreBest() {
    return (BooleanParam) ConfigParams.param(this, "earlyStoppingRestoreBest");
  }

  /** The whether the best epoch's weights are restored. */
  default boolean getEarlyStoppingRestoreBest() {
    return (Boolean) getOrDefault(earlyStoppingRestoreBest());
  }

  /** Sets the whether the best epoch's weights are restored. */
  @SuppressWarnings("unchecked")
  default T setEarlyStoppingRestoreBest(boolean value) {
    set(earlyStoppingRestoreBest(), value);
    return (T) this;
  }

  /** Param: the held-out validation fraction; see {@link ConfigParams#KEYS} for its configuration key. */
  default DoubleParam validationFraction() {
    return (DoubleParam) ConfigParams.param(this, "validationFraction");
  }

  /** The held-out validation fraction. */
  default double getValidationFraction() {
    return (Double) getOrDefault(validationFraction());
  }

  /** Sets the held-out validation fraction. */
  @SuppressWarnings("unchecked")
  default T setValidationFraction(double value) {
    set(validationFraction(), value);
    return (T) this;
  }

  /** Param: the whether features are standardized; see {@link ConfigParams#KEYS} for its configuration key. */
  default BooleanParam standardize() {
    return (BooleanParam) ConfigParams.param(this, "standardize");
  }

  /** The whether features are standardized. */
  default boolean getStandardize() {
    return (Boolean) getOrDefault(standardize());
  }

  /** Sets the whether features are standardized. */
  @SuppressWarnings("unchecked")
  default T setStandardize(boolean value) {
    set(standardize(), value);
    return (T) this;
  }

  /** Param: the policy for rows with NaN or infinite values; see {@link ConfigParams#KEYS} for its configuration key. */
  default Param<String> invalidRows() {
    return ConfigParams.stringParam(this, "invalidRows");
  }

  /** The policy for rows with NaN or infinite values. */
  default String getInvalidRows() {
    return (String) getOrDefault(invalidRows());
  }

  /** Sets the policy for rows with NaN or infinite values. */
  @SuppressWarnings("unchecked")
  default T setInvalidRows(String value) {
    set(invalidRows(), value);
    return (T) this;
  }

  /** Param: the partition count; see {@link ConfigParams#KEYS} for its configuration key. */
  default IntParam partitions() {
    return (IntParam) ConfigParams.param(this, "partitions");
  }

  /** The partition count. */
  default int getPartitions() {
    return (Integer) getOrDefault(partitions());
  }

  /** Sets the partition count. */
  @SuppressWarnings("unchecked")
  default T setPartitions(int value) {
    set(partitions(), value);
    return (T) this;
  }

  /** Param: the whether repartitioning shuffles; see {@link ConfigParams#KEYS} for its configuration key. */
  default BooleanParam shuffle() {
    return (BooleanParam) ConfigParams.param(this, "shuffle");
  }

  /** The whether repartitioning shuffles. */
  default boolean getShuffle() {
    return (Boolean) getOrDefault(shuffle());
  }

  /** Sets the whether repartitioning shuffles. */
  @SuppressWarnings("unchecked")
  default T setShuffle(boolean value) {
    set(shuffle(), value);
    return (T) this;
  }

  /**
   * Param: the column of per-row sample weights (Spark's {@code weightCol}: numbers &gt;= 0, in
   * the loss, the gradient and the validation metrics); unset, every row weighs 1. See
   * {@link ConfigParams#KEYS} for its configuration key.
   */
  default Param<String> weightCol() {
    return ConfigParams.stringParam(this, "weightCol");
  }

  /** The sample-weight column, or null when unset. */
  default String getWeightCol() {
    return isDefined(weightCol()) ? (String) getOrDefault(weightCol()) : null;
  }

  /** Sets the sample-weight column. */
  @SuppressWarnings("unchecked")
  default T setWeightCol(String value) {
    set(weightCol(), value);
    return (T) this;
  }

  /** Param: the checkpoint directory; see {@link ConfigParams#KEYS} for its configuration key. */
  default Param<String> checkpointPath() {
    return ConfigParams.stringParam(this, "checkpointPath");
  }

  /** The checkpoint directory. */
  default String getCheckpointPath() {
    return (String) getOrDefault(checkpointPath());
  }

  /** Sets the checkpoint directory. */
  @SuppressWarnings("unchecked")
  default T setCheckpointPath(String value) {
    set(checkpointPath(), value);
    return (T) this;
  }

  /** Param: the checkpoint interval in steps; see {@link ConfigParams#KEYS} for its configuration key. */
  default IntParam checkpointEverySteps() {
    return (IntParam) ConfigParams.param(this, "checkpointEverySteps");
  }

  /** The checkpoint interval in steps. */
  default int getCheckpointEverySteps() {
    return (Integer) getOrDefault(checkpointEverySteps());
  }

  /** Sets the checkpoint interval in steps. */
  @SuppressWarnings("unchecked")
  default T setCheckpointEverySteps(int value) {
    set(checkpointEverySteps(), value);
    return (T) this;
  }

  /** Param: the whether a checkpoint is written every epoch; see {@link ConfigParams#KEYS} for its configuration key. */
  default BooleanParam checkpointEveryEpoch() {
    return (BooleanParam) ConfigParams.param(this, "checkpointEveryEpoch");
  }

  /** The whether a checkpoint is written every epoch. */
  default boolean getCheckpointEveryEpoch() {
    return (Boolean) getOrDefault(checkpointEveryEpoch());
  }

  /** Sets the whether a checkpoint is written every epoch. */
  @SuppressWarnings("unchecked")
  default T setCheckpointEveryEpoch(boolean value) {
    set(checkpointEveryEpoch(), value);
    return (T) this;
  }

  /** Param: the checkpoints kept; see {@link ConfigParams#KEYS} for its configuration key. */
  default IntParam checkpointKeep() {
    return (IntParam) ConfigParams.param(this, "checkpointKeep");
  }

  /** The checkpoints kept. */
  default int getCheckpointKeep() {
    return (Integer) getOrDefault(checkpointKeep());
  }

  /** Sets the checkpoints kept. */
  @SuppressWarnings("unchecked")
  default T setCheckpointKeep(int value) {
    set(checkpointKeep(), value);
    return (T) this;
  }

  /** Param: the whether training resumes from a checkpoint; see {@link ConfigParams#KEYS} for its configuration key. */
  default BooleanParam checkpointResume() {
    return (BooleanParam) ConfigParams.param(this, "checkpointResume");
  }

  /** The whether training resumes from a checkpoint. */
  default boolean getCheckpointResume() {
    return (Boolean) getOrDefault(checkpointResume());
  }

  /** Sets the whether training resumes from a checkpoint. */
  @SuppressWarnings("unchecked")
  default T setCheckpointResume(boolean value) {
    set(checkpointResume(), value);
    return (T) this;
  }

  /** Param: the whether resuming ignores the fingerprint; see {@link ConfigParams#KEYS} for its configuration key. */
  default BooleanParam checkpointForce() {
    return (BooleanParam) ConfigParams.param(this, "checkpointForce");
  }

  /** The whether resuming ignores the fingerprint. */
  default boolean getCheckpointForce() {
    return (Boolean) getOrDefault(checkpointForce());
  }

  /** Sets the whether resuming ignores the fingerprint. */
  @SuppressWarnings("unchecked")
  default T setCheckpointForce(boolean value) {
    set(checkpointForce(), value);
    return (T) this;
  }
}
