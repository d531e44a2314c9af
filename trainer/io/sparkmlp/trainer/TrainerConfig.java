package io.sparkmlp.trainer;

import io.sparkmlp.model.Initializer;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import java.util.Objects;
import org.apache.spark.storage.StorageLevel;

/**
 * Everything the distributed trainer needs, immutable and validated when built.
 *
 * @param spec                  the network to train
 * @param optim                 optimizer, schedule, regularization and clipping
 * @param initializer           weight initialization scheme
 * @param batchSize             global mini-batch size (expected rows per step over all partitions),
 *                              independent of the partition count
 * @param epochs                passes over the training data
 * @param seed                  seeds initialization, the validation split and every epoch's batches
 * @param validationFraction    fraction of the input held out for validation when no separate
 *                              validation input is given, in [0, 1)
 * @param earlyStoppingPatience epochs without validation-loss improvement before stopping; 0 = off
 * @param earlyStoppingMinDelta minimum decrease of the validation loss that counts as improvement
 * @param restoreBestWeights    return the weights of the best validation epoch
 * @param storageLevel          Spark storage level of the packed blocks (e.g. MEMORY_AND_DISK)
 * @param treeDepth             depth of the tree reduction; 0 chooses it from the partition count
 * @param partitions            repartition the input to this many partitions; 0 keeps its own
 * @param shuffleInput          when repartitioning, do a full random shuffle of rows across partitions
 * @param invalidRows           what to do with rows holding NaN or infinite values
 * @param featuresCol           name of the features column (a vector or an array of numbers)
 * @param labelCol              name of the label column (a number, or a vector for multi-output)
 * @param checkpoint            checkpoint directory, frequency, retention and resume policy
 * @param stopAfterSteps        stop (and return the current weights) after this many global steps,
 *                              without a final checkpoint: a hook to simulate an interrupted run in
 *                              tests; 0 = off
 * @param progressIntervalSeconds seconds between progress reports inside an epoch (a log line and
 *                              {@link TrainingListener#onProgress}); 0 = off. Does not change the
 *                              result.
 * @param sync                  how often the partitions synchronize and the outer update
 *                              ({@link SyncSettings#SYNCHRONOUS}: every step, as plain synchronous
 *                              training)
 * @param weightCol             name of the row-weight column (finite numbers &gt;= 0), or null
 *                              when every row weighs 1
 * @param classWeights          per-class weights of the training loss (binary and multi-class),
 *                              {@link ClassWeights#NONE} for none
 * @param sparseInput           pack the features sparse (CSR) or dense: {@link SparseInput.Mode}
 *                              (AUTO decides from the training rows' density)
 * @param transferPrecision     precision of the weights shipped to the tasks and the gradient
 *                              sums they return in a synchronous step
 *                              ({@link TransferPrecision#FLOAT32} by default; BFLOAT16 needs
 *                              {@code sync.every() == 1})
 * @param roundTransport        how steps and local-SGD rounds reach the partitions
 *                              ({@link RoundTransport}; AUTO by default); it does not change a
 *                              single bit of the result
 */
public record TrainerConfig(
    NetworkSpec spec,
    OptimConfig optim,
    Initializer initializer,
    int batchSize,
    int epochs,
    long seed,
    double validationFraction,
    int earlyStoppingPatience,
    double earlyStoppingMinDelta,
    boolean restoreBestWeights,
    String storageLevel,
    int treeDepth,
    int partitions,
    boolean shuffleInput,
    RowPacker.InvalidRows invalidRows,
    String featuresCol,
    String labelCol,
    CheckpointSettings checkpoint,
    long stopAfterSteps,
    double progressIntervalSeconds,
    SyncSettings sync,
    String weightCol,
    ClassWeights classWeights,
    SparseInput.Mode sparseInput,
    TransferPrecision transferPrecision,
    RoundTransport roundTransport) {

  /** Default optimizer: Adam. */
  public static final OptimizerKind DEFAULT_OPTIMIZER = OptimizerKind.ADAM;
  /** Default base learning rate. */
  public static final float DEFAULT_LEARNING_RATE = 1e-3f;
  /** Default global batch size. */
  public static final int DEFAULT_BATCH_SIZE = 256;
  /** Default number of epochs. */
  public static final int DEFAULT_EPOCHS = 10;
  /** Default seed. */
  public static final long DEFAULT_SEED = 42L;
  /** Default early-stopping patience: off. */
  public static final int DEFAULT_PATIENCE = 0;
  /** Default minimum validation-loss decrease that counts as improvement. */
  public static final double DEFAULT_MIN_DELTA = 0.0;
  /** Whether the best epoch's weights are restored by default. */
  public static final boolean DEFAULT_RESTORE_BEST = true;
  /** Default storage level of the packed blocks. */
  public static final String DEFAULT_STORAGE_LEVEL = "MEMORY_AND_DISK";
  /** Default tree reduction depth: chosen from the partition count. */
  public static final int DEFAULT_TREE_DEPTH = 0;
  /** Default seconds between progress reports inside an epoch. */
  public static final double DEFAULT_PROGRESS_INTERVAL_SECONDS = 10.0;

  /** Validates every field; messages name the field. */
  public TrainerConfig {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(optim, "optim");
    Objects.requireNonNull(initializer, "initializer");
    Objects.requireNonNull(invalidRows, "invalidRows");
    Objects.requireNonNull(featuresCol, "featuresCol");
    Objects.requireNonNull(labelCol, "labelCol");
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(classWeights, "classWeights");
    classWeights.requireFits(spec.task(), spec.task() == io.sparkmlp.model.Task.BINARY ? 2
        : spec.outputWidth());
    require(weightCol == null || !weightCol.isBlank(), "weightCol must not be blank");
    Objects.requireNonNull(sparseInput, "sparseInput");
    Objects.requireNonNull(transferPrecision, "transferPrecision");
    Objects.requireNonNull(roundTransport, "roundTransport");
    require(transferPrecision == TransferPrecision.FLOAT32 || sync.every() == 1,
        "transferPrecision " + transferPrecision + " needs syncEvery = 1 (local-SGD rounds ship "
        + "weights and optimizer state in float32), got syncEvery " + sync.every());
    require(stopAfterSteps >= 0, "stopAfterSteps must be >= 0, got " + stopAfterSteps);
    require(progressIntervalSeconds >= 0 && Double.isFinite(progressIntervalSeconds),
        "progressIntervalSeconds must be >= 0, got " + progressIntervalSeconds);
    spec.requireTrainable();
    require(batchSize > 0, "batchSize must be positive, got " + batchSize);
    require(epochs > 0, "epochs must be positive, got " + epochs);
    require(validationFraction >= 0 && validationFraction < 1,
        "validationFraction must be in [0, 1), got " + validationFraction);
    require(earlyStoppingPatience >= 0,
        "earlyStoppingPatience must be >= 0, got " + earlyStoppingPatience);
    require(earlyStoppingMinDelta >= 0,
        "earlyStoppingMinDelta must be >= 0, got " + earlyStoppingMinDelta);
    require(treeDepth >= 0 && treeDepth <= 8, "treeDepth must be in [0, 8], got " + treeDepth);
    require(partitions >= 0, "partitions must be >= 0, got " + partitions);
    try {
      StorageLevel.fromString(storageLevel);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("storageLevel '" + storageLevel
          + "' is not a Spark storage level (e.g. MEMORY_AND_DISK, MEMORY_ONLY, DISK_ONLY)");
    }
  }

  /**
   * A string of everything that determines the training trajectory (not the storage level, the
   * checkpoint policy or the stop hook), for checkpoint fingerprints.
   */
  public String trajectoryDescription() {
    return String.join("|", "spec=" + spec, "optim=" + optim, "init=" + initializer,
        "batch=" + batchSize, "epochs=" + epochs, "seed=" + seed,
        "valFraction=" + validationFraction, "patience=" + earlyStoppingPatience,
        "minDelta=" + earlyStoppingMinDelta, "restoreBest=" + restoreBestWeights,
        "treeDepth=" + treeDepth, "partitions=" + partitions, "shuffle=" + shuffleInput,
        "invalidRows=" + invalidRows, "features=" + featuresCol, "label=" + labelCol)
        // runs without these settings keep the description (and checkpoint fingerprints) they always had
        + (sync.synchronous() ? "" : "|sync=" + sync)
        + (weightCol == null ? "" : "|weight=" + weightCol)
        + (classWeights.none() ? "" : "|classWeights=" + classWeights)
        + (transferPrecision == TransferPrecision.FLOAT32 ? ""
            : "|transfer=" + transferPrecision);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** A builder with the documented defaults: Adam(1e-3), batch 256, 10 epochs, seed 42. */
  public static Builder builder(NetworkSpec spec) {
    return new Builder(spec);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(spec).optim(optim).initializer(initializer).batchSize(batchSize)
        .epochs(epochs).seed(seed).validationFraction(validationFraction)
        .earlyStopping(earlyStoppingPatience, earlyStoppingMinDelta, restoreBestWeights)
        .storageLevel(storageLevel).treeDepth(treeDepth).partitions(partitions, shuffleInput)
        .invalidRows(invalidRows).columns(featuresCol, labelCol).checkpoint(checkpoint)
        .stopAfterSteps(stopAfterSteps).progressIntervalSeconds(progressIntervalSeconds)
        .sync(sync).weightCol(weightCol).classWeights(classWeights).sparseInput(sparseInput)
        .transferPrecision(transferPrecision).roundTransport(roundTransport);
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private NetworkSpec spec;
    private OptimConfig optim = OptimConfig.defaults(DEFAULT_OPTIMIZER, DEFAULT_LEARNING_RATE);
    private Initializer initializer = Initializer.AUTO;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int epochs = DEFAULT_EPOCHS;
    private long seed = DEFAULT_SEED;
    private double validationFraction = 0.0;
    private int earlyStoppingPatience = DEFAULT_PATIENCE;
    private double earlyStoppingMinDelta = DEFAULT_MIN_DELTA;
    private boolean restoreBestWeights = DEFAULT_RESTORE_BEST;
    private String storageLevel = DEFAULT_STORAGE_LEVEL;
    private int treeDepth = DEFAULT_TREE_DEPTH;
    private int partitions = 0;
    private boolean shuffleInput = false;
    private RowPacker.InvalidRows invalidRows = RowPacker.InvalidRows.FAIL;
    private String featuresCol = "features";
    private String labelCol = "label";
    private CheckpointSettings checkpoint = CheckpointSettings.NONE;
    private long stopAfterSteps = 0L;
    private double progressIntervalSeconds = DEFAULT_PROGRESS_INTERVAL_SECONDS;
    private SyncSettings sync = SyncSettings.SYNCHRONOUS;
    private String weightCol;
    private ClassWeights classWeights = ClassWeights.NONE;
    private SparseInput.Mode sparseInput = SparseInput.Mode.AUTO;
    private TransferPrecision transferPrecision = TransferPrecision.FLOAT32;
    private RoundTransport roundTransport = RoundTransport.AUTO;

    private Builder(NetworkSpec spec) {
      this.spec = spec;
    }

    /** Sets the network. */
    public Builder spec(NetworkSpec v) {
      spec = v;
      return this;
    }

    /** Sets the optimizer configuration. */
    public Builder optim(OptimConfig v) {
      optim = v;
      return this;
    }

    /** Sets the initializer. */
    public Builder initializer(Initializer v) {
      initializer = v;
      return this;
    }

    /** Sets the global batch size. */
    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    /** Sets the number of epochs. */
    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    /** Sets the seed. */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Sets the held-out validation fraction. */
    public Builder validationFraction(double v) {
      validationFraction = v;
      return this;
    }

    /** Enables early stopping after {@code patience} epochs without improvement. */
    public Builder earlyStopping(int patience, double minDelta, boolean restoreBest) {
      earlyStoppingPatience = patience;
      earlyStoppingMinDelta = minDelta;
      restoreBestWeights = restoreBest;
      return this;
    }

    /** Sets the storage level of the packed data. */
    public Builder storageLevel(String v) {
      storageLevel = v;
      return this;
    }

    /** Sets the tree reduction depth (0 = automatic). */
    public Builder treeDepth(int v) {
      treeDepth = v;
      return this;
    }

    /** Repartitions the input (0 = keep), optionally with a full random shuffle. */
    public Builder partitions(int v, boolean shuffle) {
      partitions = v;
      shuffleInput = shuffle;
      return this;
    }

    /** Sets the policy for rows with NaN or infinite values. */
    public Builder invalidRows(RowPacker.InvalidRows v) {
      invalidRows = v;
      return this;
    }

    /** Sets the feature and label column names. */
    public Builder columns(String features, String label) {
      featuresCol = features;
      labelCol = label;
      return this;
    }

    /** Sets the checkpoint policy ({@link CheckpointSettings#NONE} by default). */
    public Builder checkpoint(CheckpointSettings v) {
      checkpoint = v;
      return this;
    }

    /** Stops after {@code v} global steps (0 = off); a test hook that simulates a crash. */
    public Builder stopAfterSteps(long v) {
      stopAfterSteps = v;
      return this;
    }

    /** Seconds between progress reports inside an epoch (0 = off; default 10). */
    public Builder progressIntervalSeconds(double v) {
      progressIntervalSeconds = v;
      return this;
    }

    /** Sets how often the partitions synchronize (default {@link SyncSettings#SYNCHRONOUS}). */
    public Builder sync(SyncSettings v) {
      sync = v;
      return this;
    }

    /** Sets the row-weight column (null: every row weighs 1). */
    public Builder weightCol(String v) {
      weightCol = v;
      return this;
    }

    /** Sets the class weights ({@link ClassWeights#NONE} by default). */
    public Builder classWeights(ClassWeights v) {
      classWeights = v;
      return this;
    }

    /** Sparse (CSR) or dense packing of the features (default AUTO: from their density). */
    public Builder sparseInput(SparseInput.Mode v) {
      sparseInput = v;
      return this;
    }

    /**
     * Precision of the weights and gradient sums shipped in synchronous steps (default
     * {@link TransferPrecision#FLOAT32}).
     */
    public Builder transferPrecision(TransferPrecision v) {
      transferPrecision = v;
      return this;
    }

    /** How steps and local-SGD rounds reach the partitions (default AUTO). */
    public Builder roundTransport(RoundTransport v) {
      roundTransport = v;
      return this;
    }

    /** Validates and builds. */
    public TrainerConfig build() {
      return new TrainerConfig(spec, optim, initializer, batchSize, epochs, seed,
          validationFraction, earlyStoppingPatience, earlyStoppingMinDelta, restoreBestWeights,
          storageLevel, treeDepth, partitions, shuffleInput, invalidRows, featuresCol, labelCol,
          checkpoint, stopAfterSteps, progressIntervalSeconds, sync, weightCol, classWeights,
          sparseInput, transferPrecision, roundTransport);
    }
  }
}
