package io.sparkmlp.trainer;

import io.sparkmlp.model.Bfloat16;
import io.sparkmlp.model.Blas;
import io.sparkmlp.model.InvalidSettingException;
import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.optim.Updater;
import io.sparkmlp.trainer.state.EpochRecord;
import io.sparkmlp.trainer.state.TrainingState;
import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronous data-parallel mini-batch training of an MLP on Spark.
 *
 * <p>Each partition packs its rows once into a float32 {@link PackedBlock}, which is cached. Each
 * step: the driver broadcasts the flat weights; every partition computes the gradient sum, loss sum,
 * row count and weight sum over its share of the global mini-batch with the local kernel
 * ({@link Mlp}); a deterministic tree reduction ({@link TreeSum}) adds the partial sums; the driver
 * divides by the weight sum once (the row count when rows are unweighted), applies the
 * {@link Updater}, and destroys the previous broadcast.
 *
 * <p>Row weights ({@link TrainerConfig#weightCol()}) and class weights
 * ({@link TrainerConfig#classWeights()}) scale each row's loss and gradient; balanced class
 * weights are resolved from the class counts of the packed training rows.
 *
 * <pre>{@code
 * TrainerConfig cfg = TrainerConfig.builder(spec).batchSize(512).epochs(5).build();
 * TrainedModel model = new MlpTrainer(cfg).fit(trainDf, validationDf);
 * }</pre>
 */
public final class MlpTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(MlpTrainer.class);

  private final TrainerConfig config;
  private final List<TrainingListener> listeners;

  /** Whether local-mode steps hand weights and results over in memory ({@link LocalExchange}). */
  private boolean useLocalExchange = true;

  /**
   * A trainer for a validated configuration.
   *
   * @param listeners follow the run (progress inside epochs, finished epochs)
   */
  public MlpTrainer(TrainerConfig config, TrainingListener... listeners) {
    this.config = config;
    this.listeners = List.of(listeners);
  }

  /**
   * Serializes every synchronous step's weights and results as on a cluster, even when the tasks
   * run in this JVM (local mode), instead of handing them over in memory ({@link LocalExchange});
   * the results are bitwise the same either way. For tests and benchmarks of the serialized path.
   *
   * @return this trainer
   */
  public MlpTrainer withoutLocalExchange() {
    useLocalExchange = false;
    return this;
  }

  /** The configuration. */
  public TrainerConfig config() {
    return config;
  }

  /**
   * Trains on {@code train}; holds out {@code validationFraction} of it for validation if set.
   *
   * @param train rows with the configured features and label columns
   */
  public TrainedModel fit(Dataset<Row> train) {
    return fit(train, null);
  }

  /**
   * Trains on {@code train}, validating every epoch on {@code validation} (may be null).
   */
  public TrainedModel fit(Dataset<Row> train, Dataset<Row> validation) {
    JavaRDD<Row> t = selectColumns(train).javaRDD();
    JavaRDD<Row> v = validation == null ? null : selectColumns(validation).javaRDD();
    return fitRows(t, v);
  }

  /** The trainer's columns of {@code data}: features, label and, when configured, the weight. */
  private Dataset<Row> selectColumns(Dataset<Row> data) {
    if (config.weightCol() == null) {
      return data.select(config.featuresCol(), config.labelCol());
    }
    if (!java.util.Arrays.asList(data.columns()).contains(config.weightCol())) {
      throw new IllegalArgumentException("weight column '" + config.weightCol()
          + "' not found; columns: " + String.join(", ", data.columns()));
    }
    return data.select(config.featuresCol(), config.labelCol(), config.weightCol());
  }

  /**
   * Trains on RDDs of rows (features, label), or (features, label, weight) when a weight column
   * is configured: the features a vector or number array, the label a number or a vector, the
   * weight a number &gt;= 0.
   */
  public TrainedModel fitRows(JavaRDD<Row> train, JavaRDD<Row> validation) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(train.context());
    SparkMlpConf.requireCompatible(jsc.getConf());
    NetworkSpec spec = config.spec();
    long seed = config.seed();
    String runId = UUID.randomUUID().toString();
    Instant started = Instant.now();
    StorageLevel level = StorageLevel.fromString(config.storageLevel());

    JavaRDD<Row> rows = train;
    if (config.partitions() > 0) {
      rows = config.shuffleInput() || config.partitions() > rows.getNumPartitions()
          ? rows.repartition(config.partitions()) : rows.coalesce(config.partitions());
    }
    boolean local = jsc.sc().isLocal();
    int concurrentTasks = local ? Math.max(1, jsc.sc().defaultParallelism())
        : jsc.getConf().getInt("spark.executor.cores", 1);
    MemoryBudget.checkModel(spec, config.optim().optimizer(), config.batchSize(), local,
        concurrentTasks, jsc.getConf());
    boolean sparse = SparseInput.resolve(config.sparseInput(), rows);
    RowPacker packer = new RowPacker(spec, config.invalidRows(), config.weightCol(),
        concurrentTasks, sparse);
    double fraction = validation == null ? config.validationFraction() : 0.0;
    // what is cached (unpersisted at the end): with a held-out fraction, one RDD holding both
    // blocks of each partition, packed in one pass; trainBlocks and valBlocks view it
    JavaRDD<PackedBlock> cached;
    JavaRDD<PackedBlock> trainBlocks;
    JavaRDD<PackedBlock> valBlocks = null;
    if (fraction > 0) {
      cached = packSplit(rows, packer, fraction, seed, level);
      trainBlocks = splitBlock(cached, 0);
      valBlocks = splitBlock(cached, 1);
    } else {
      cached = pack(rows, packer, 0.0, seed, false, level, "train");
      trainBlocks = cached;
    }
    JavaRDD<PackedBlock> valCached = null;
    if (validation != null) {
      valCached = pack(validation, packer, 0.0, seed, false, level, "validation");
      valBlocks = valCached;
    }
    try {
      jsc.setJobDescription(fraction > 0 ? "spark-mlp: pack and cache training and validation data"
          : "spark-mlp: pack and cache training data");
      LOG.info("reading, packing and caching the training {}data ({} partitions)...",
          fraction > 0 ? "and validation " : "", trainBlocks.getNumPartitions());
      long packStart = System.nanoTime();
      List<long[]> trainInfos = blockInfos(trainBlocks);
      DataReport trainReport = report(trainInfos, spec);
      LOG.info("training data ({}): {} ({} s)", sparse ? "sparse, CSR" : "dense",
          trainReport.describe(), seconds(packStart));
      logPlacement(jsc, cached);
      DataReport valReport = null;
      String dataDescription = "train=" + describeBlocks(trainInfos);
      if (valBlocks != null) {
        long valStart = System.nanoTime();
        jsc.setJobDescription("spark-mlp: pack and cache validation data");
        List<long[]> valInfos = blockInfos(valBlocks);
        valReport = report(valInfos, spec);
        dataDescription += "|validation=" + describeBlocks(valInfos);
        LOG.info("validation data: {} ({} s{})", valReport.describe(), seconds(valStart),
            fraction > 0 ? ", packed in the same pass as the training data" : "");
      }
      Startup startup = new Startup((System.nanoTime() - packStart) / 1e9, trainReport,
          valReport);
      listeners.forEach(l -> l.onStart(startup));
      if (trainReport.rows() == 0) {
        throw new IllegalArgumentException("the training data is empty");
      }
      if (config.batchSize() > trainReport.rows()) {
        throw new InvalidSettingException("{} " + config.batchSize() + " is larger than the "
            + trainReport.rows() + " training rows", "batchSize");
      }
      float[] classWeights = resolveClassWeights(trainBlocks);
      return loop(jsc, runId, trainBlocks, valBlocks, sparse, trainReport, valReport,
          dataDescription, started, classWeights);
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    } finally {
      jsc.setJobDescription(null);
      cached.unpersist(false);
      if (valCached != null) {
        valCached.unpersist(false);
      }
    }
  }

  /**
   * The class weights of the loss by class index (null when there are none), balanced ones from
   * the class counts of the training blocks; with a weight column, checks that the training
   * weights do not sum to 0.
   */
  private float[] resolveClassWeights(JavaRDD<PackedBlock> trainBlocks) {
    ClassWeights cw = config.classWeights();
    if (config.weightCol() == null && !cw.balanced()) {
      return cw.perClass();
    }
    NetworkSpec spec = config.spec();
    int k = spec.task() == io.sparkmlp.model.Task.BINARY ? 2 : spec.outputWidth();
    boolean classes = cw.balanced();
    double[] stats = trainBlocks.map(b -> {
      double[] t = new double[1 + (classes ? k : 0)];
      for (int r = 0; r < b.rows(); r++) {
        t[0] += b.weights() == null ? 1.0 : b.weights()[r];
        if (classes) {
          t[1 + (int) b.labels()[r * b.labelWidth()]]++;
        }
      }
      return t;
    }).reduce((a, b) -> {
      double[] o = a.clone();
      for (int i = 0; i < o.length; i++) {
        o[i] += b[i];
      }
      return o;
    });
    if (config.weightCol() != null && !(stats[0] > 0)) {
      throw new IllegalArgumentException("the weights of the training rows (column '"
          + config.weightCol() + "') sum to 0: at least one row needs a positive weight");
    }
    if (!classes) {
      return cw.perClass();
    }
    long[] counts = new long[k];
    for (int c = 0; c < k; c++) {
      counts[c] = (long) stats[1 + c];
    }
    float[] w = ClassWeights.balanced(counts);
    LOG.info("balanced class weights {} from the class counts {} of the training rows",
        java.util.Arrays.toString(w), java.util.Arrays.toString(counts));
    return w;
  }

  /** The training loop: steps, validation, early stopping and checkpoints, epoch by epoch. */
  private TrainedModel loop(JavaSparkContext jsc, String runId, JavaRDD<PackedBlock> trainBlocks,
      JavaRDD<PackedBlock> valBlocks, boolean sparse, DataReport trainReport,
      DataReport valReport, String dataDescription, Instant started, float[] classWeights)
      throws IOException {
    Mlp mlp = new Mlp(config.spec());
    int stepsPerEpoch = (int) Math.min(Integer.MAX_VALUE,
        (trainReport.rows() + config.batchSize() - 1) / config.batchSize());
    long totalSteps = (long) stepsPerEpoch * config.epochs();
    Updater updater = Updater.create(config.optim(), mlp.layout(), totalSteps).onBothCores();
    SyncSettings sync = config.sync();
    Updater outer = sync.outerOptim() == null ? null
        : Updater.create(sync.outerOptim(), mlp.layout(), totalSteps).onBothCores();
    Checkpoints checkpoints = Checkpoints.open(config.checkpoint(), jsc.hadoopConfiguration(),
        config.trajectoryDescription() + "|" + dataDescription);
    EarlyStopping earlyStopping = EarlyStopping.of(config);
    TrainingState state = checkpoints.resume(
        new TrainingState(config.initializer().initialize(mlp.layout(), config.seed())), updater,
        outer, mlp.layout().size());
    Run run = new Run(jsc, runId, trainBlocks, valBlocks, sparse, stepsPerEpoch, updater, outer,
        checkpoints, classWeights);
    noteIndirectResults(jsc, (long) config.transferPrecision().bytes() * mlp.layout().size()
        * (sync.every() == 1 ? 1 : 1 + updater.exportState().slots().size()));
    LOG.info("training {} ({} parameters) on {} partitions: {} epochs x {} steps, batch {}, {}{}{}",
        config.spec().describe(), mlp.layout().size(), trainBlocks.getNumPartitions(),
        config.epochs(), stepsPerEpoch, config.batchSize(), config.optim().optimizer(),
        sync.synchronous() ? "" : ", " + sync.describe(),
        config.transferPrecision() == TransferPrecision.FLOAT32 ? ""
            : ", weights and gradients shipped as " + config.transferPrecision());
    ProgressReporter progress = new ProgressReporter(config.progressIntervalSeconds(),
        config.epochs(), stepsPerEpoch, listeners);
    long t0 = System.nanoTime();
    int startEpoch = state.epoch();
    try (run) {
      while (!state.stopped() && state.epoch() <= config.epochs()) {
        long te = System.nanoTime();
        state.beginEpoch();
        progress.beginEpoch(state);
        run.beginEpoch(state);
        try {
          while (state.stepsDone() < stepsPerEpoch && !state.stopped()) {
            run.round(state);
            progress.afterStep(state);
          }
        } finally {
          run.endEpoch();
        }
        if (state.stopped()) {
          break;
        }
        double seconds = (System.nanoTime() - te) / 1e9;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        EvalSums ev = run.validate(state);
        EpochRecord rec = new EpochRecord(state.epoch(), state.step(), state.epochRows() == 0
            ? Double.NaN : state.epochLossSum() / state.epochWeightSum(),
            ev == null ? Double.NaN : ev.meanLoss(), ev == null ? Double.NaN : metric(ev),
            state.lastLr(), state.epochRows() / Math.max(seconds, 1e-9), elapsed);
        logEpoch(rec, elapsed / (rec.epoch() - startEpoch + 1) * (config.epochs() - rec.epoch()),
            ev != null);
        if (ev != null) {
          earlyStopping.afterValidation(state, ev.meanLoss());
          if (state.stopped()) {
            LOG.info(state.stopReason());
          }
        }
        state.endEpoch(rec);
        listeners.forEach(l -> l.onEpoch(rec));
        checkpoints.afterEpoch(state, updater, outer, run.lastRoundFrom);
      }
    }
    return finish(jsc, state, checkpoints, trainBlocks.getNumPartitions(), sparse, trainReport,
        valReport, started, classWeights);
  }

  /** What stays fixed during one training run: its data, optimizers and checkpoint policy. */
  private final class Run implements AutoCloseable {
    private final JavaSparkContext jsc;
    private final String runId;
    private final JavaRDD<PackedBlock> trainBlocks;
    private final JavaRDD<PackedBlock> valBlocks;
    private final boolean sparse;
    private final int stepsPerEpoch;
    private final int chunk = chunkRows();
    private final Updater updater;
    /** The outer update of local SGD, null for the plain average. */
    private final Updater outer;
    private final SyncSettings sync = config.sync();
    private final Checkpoints checkpoints;
    private final LossGrowth lossGrowth = new LossGrowth();
    /** [P] the outer update's input (the displacement of a round); null without an outer update. */
    private final float[] displacement;
    /** [P] the weights before a synchronous step, for its outer update; null if not needed. */
    private final float[] before;
    /** The global step count before the last round. */
    long lastRoundFrom;
    /** [K] loss weight of each class, or null. */
    private final float[] classWeights;
    /** Local-SGD rounds over sockets ({@link DirectRounds}), or null when they go through jobs. */
    private final DirectRounds direct;
    /** Whether the current epoch's rounds go over {@link #direct}. */
    private boolean directEpoch;

    Run(JavaSparkContext jsc, String runId, JavaRDD<PackedBlock> trainBlocks,
        JavaRDD<PackedBlock> valBlocks, boolean sparse, int stepsPerEpoch, Updater updater,
        Updater outer, Checkpoints checkpoints, float[] classWeights) {
      this.jsc = jsc;
      this.runId = runId;
      this.trainBlocks = trainBlocks;
      this.valBlocks = valBlocks;
      this.sparse = sparse;
      this.stepsPerEpoch = stepsPerEpoch;
      this.updater = updater;
      this.outer = outer;
      this.checkpoints = checkpoints;
      int n = new Mlp(config.spec()).layout().size();
      this.displacement = outer == null ? null : new float[n];
      this.before = outer != null && sync.every() == 1 ? new float[n] : null;
      this.classWeights = classWeights;
      this.direct = useDirectRounds() ? new DirectRounds(jsc) : null;
    }

    /**
     * Whether this run's rounds (local-SGD rounds or synchronous steps) can go over
     * {@link DirectRounds}: float32 transfer, a depth-1 reduction, a transport that allows it
     * (AUTO: not in local mode, where rounds are handed over in memory) and a task slot for every
     * partition.
     */
    private boolean useDirectRounds() {
      RoundTransport t = config.roundTransport();
      int partitions = trainBlocks.getNumPartitions();
      int depth = config.treeDepth() > 0 ? config.treeDepth() : TreeSum.autoDepth(partitions);
      if (t == RoundTransport.SPARK || (t == RoundTransport.AUTO && jsc.isLocal())) {
        return false;
      }
      String what = sync.every() == 1 ? "synchronous steps" : "local-SGD rounds";
      if (jsc.getConf().getBoolean("spark.network.crypto.enabled", false)) {
        LOG.info("{} go through a Spark job each: spark.network.crypto.enabled is set and the "
            + "direct round exchange's socket is not encrypted", what);
        return false;
      }
      if (config.transferPrecision() != TransferPrecision.FLOAT32) {
        LOG.info("{} go through a Spark job each: the direct round exchange ships float32 only, "
            + "and train.transfer-precision is {}", what, config.transferPrecision());
        return false;
      }
      if (depth != 1) {
        LOG.info("{} go through a Spark job each: the reduction over {} partitions has depth "
            + "{} (the direct round exchange needs depth 1)", what, partitions, depth);
        return false;
      }
      if (!DirectRounds.slotsFor(jsc, partitions)) {
        LOG.info("{} go through a Spark job each: the cluster has fewer task slots than the {} "
            + "partitions, so their tasks cannot all run at once", what, partitions);
        return false;
      }
      return true;
    }

    /** The work every partition does in a step or local-SGD round of {@code epoch}. */
    private PartitionTasks.RoundWork work(int epoch) {
      return roundWork(runId, epoch, stepsPerEpoch, chunk, classWeights, sparse);
    }

    /** Starts the epoch's direct round exchange, when this run uses one. */
    void beginEpoch(TrainingState state) throws IOException {
      directEpoch = direct != null && !direct.broken() && state.stepsDone() < stepsPerEpoch;
      if (directEpoch) {
        direct.beginEpoch(trainBlocks, work(state.epoch()), String.format(
            "spark-mlp epoch %d/%d %s (direct exchange)", state.epoch(),
            config.epochs(), sync.every() == 1 ? "steps" : "local rounds"));
      }
    }

    /** Ends the epoch's direct round exchange, if one is open. */
    void endEpoch() {
      if (directEpoch) {
        directEpoch = false;
        direct.endEpoch();
      }
    }

    @Override
    public void close() {
      if (direct != null) {
        direct.close();
      }
    }

    /**
     * The next round of the current epoch, from its {@code stepsDone}: one synchronous step
     * (H = 1) or H local steps (fewer at the epoch's end), then the outer update, a checkpoint if
     * one is due, and the stop hook.
     */
    void round(TrainingState state) throws IOException {
      lastRoundFrom = state.step();
      if (sync.every() == 1) {
        step(state, state.stepsDone());
      } else {
        localRound(state, state.stepsDone(), Math.min(sync.every(),
            stepsPerEpoch - state.stepsDone()));
      }
      checkpoints.afterStep(state, updater, outer, stepsPerEpoch, lastRoundFrom);
      if (config.stopAfterSteps() > 0 && state.step() >= config.stopAfterSteps()) {
        state.stop("stopped after step " + state.step() + " (stopAfterSteps)");
        LOG.info(state.stopReason());
      }
    }

    /**
     * Step {@code s} of the current epoch, synchronously: the distributed gradient, a divergence
     * check, the update (and the outer update of its displacement, if one is configured).
     */
    private void step(TrainingState state, int s) {
      int epoch = state.epoch();
      long step = state.nextStep();
      jsc.setJobDescription(String.format("spark-mlp epoch %d/%d step %d/%d", epoch,
          config.epochs(), s + 1, stepsPerEpoch));
      PartialSums sum = directEpoch ? direct.step(state.params(), s) : null;
      if (sum == null) {
        sum = runStep(jsc, runId, trainBlocks, sparse, state.params(), epoch, s,
            stepsPerEpoch, chunk, step, classWeights);
      }
      // a step whose rows all weigh 0 has no gradient to average: no update
      if (sum.count > 0 && sum.weightSum > 0) {
        float[] g = Divergence.meanGradient(sum, step, epoch, updater.learningRate(),
            checkpoints.divergenceNote());
        lossGrowth.check(sum.loss / sum.weightSum, step, epoch, updater.learningRate(),
            checkpoints.divergenceNote());
        float[] x = state.params();
        if (before != null) {
          System.arraycopy(x, 0, before, 0, x.length);
        }
        state.recordUpdate(sum.loss, sum.count, sum.weightSum, updater.apply(x, g));
        if (before != null) {
          // the step moved before -> x; the outer update takes that displacement from before
          for (int i = 0; i < x.length; i++) {
            displacement[i] = before[i] - x[i];
          }
          System.arraycopy(before, 0, x, 0, x.length);
          outer.apply(x, displacement);
        }
        Divergence.checkWeights(x, step, updater.learningRate(), checkpoints.divergenceNote());
      }
      state.stepDone();
    }

    /**
     * A local-SGD round of {@code h} steps from step {@code s} of the current epoch
     * ({@link SyncSettings}): every partition's local steps in one Spark job, then the row-weighted
     * average of the local weights and inner optimizer states, the outer update, and the averaged
     * state as the inner updater's.
     */
    private void localRound(TrainingState state, int s, int h) {
      int epoch = state.epoch();
      long innerStep = updater.step();
      float lr = updater.learningRateAt(innerStep + h - 1);
      RoundStart start = RoundStart.of(state.params(), updater);
      long step = state.step() + h;
      jsc.setJobDescription(String.format("spark-mlp epoch %d/%d steps %d-%d/%d (local round)",
          epoch, config.epochs(), s + 1, s + h, stepsPerEpoch));
      PartialSums sum = directEpoch ? direct.round(start, s, h) : null;
      if (sum == null) {
        sum = runRound(jsc, runId, trainBlocks, work(epoch), start, s, h);
      }
      for (int j = 0; j < h; j++) {
        state.nextStep();
        state.stepDone();
      }
      float[] avg = start.values;
      if (sum.count > 0 && sum.weightSum > 0) {
        avg = Divergence.mean(sum, "averaged local weights are", step, epoch, lr,
            checkpoints.divergenceNote());
        lossGrowth.check(sum.loss / sum.weightSum, step, epoch, lr, checkpoints.divergenceNote());
        float[] x = state.params();
        if (outer == null) {
          System.arraycopy(avg, 0, x, 0, x.length);
        } else {
          for (int i = 0; i < x.length; i++) {
            displacement[i] = x[i] - avg[i];
          }
          outer.apply(x, displacement);
        }
        state.recordUpdate(sum.loss, sum.count, sum.weightSum, lr);
        Divergence.checkWeights(x, step, lr, checkpoints.divergenceNote());
      }
      // the averaged slots (or, in a round without rows, the unchanged ones) move on h steps
      start.restoreInto(updater, config.optim().optimizer(), avg, innerStep + h);
    }

    /** The validation pass at the end of the current epoch (null without validation data). */
    EvalSums validate(TrainingState state) {
      if (valBlocks == null) {
        return null;
      }
      jsc.setJobDescription(String.format("spark-mlp epoch %d/%d validation", state.epoch(),
          config.epochs()));
      EvalSums ev = evaluate(jsc, valBlocks, sparse, config.spec(), state.params(), chunk,
          config.treeDepth(), classWeights);
      updater.onValidation(ev.meanLoss());
      return ev;
    }
  }

  /**
   * Logs, once per JVM, when every task result of {@code resultBytes} bytes takes a second round
   * trip through the block manager because the session's {@code spark.task.maxDirectResultSize}
   * is smaller (sessions not built with {@link SparkMlpConf#apply}).
   */
  private static void noteIndirectResults(JavaSparkContext jsc, long resultBytes) {
    long direct = SparkMlpConf.directResultBytes(jsc.getConf());
    if (resultBytes + 1024 > direct && !NOTED_INDIRECT.getAndSet(true)) {
      LOG.info("each task result ({} bytes) is larger than {} ({} bytes): every step fetches it "
          + "from the block manager in a second round trip; set {} up to the RPC message size "
          + "(spark.rpc.message.maxSize) when creating the session for faster steps", resultBytes,
          SparkMlpConf.MAX_DIRECT_RESULT_SIZE, direct, SparkMlpConf.MAX_DIRECT_RESULT_SIZE);
    }
  }

  private static final java.util.concurrent.atomic.AtomicBoolean NOTED_INDIRECT =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Accuracy (classification) or RMSE (regression) of a validation pass. */
  private double metric(EvalSums ev) {
    return config.spec().task().isClassification() ? ev.accuracy() : ev.rmse();
  }

  private void logEpoch(EpochRecord rec, double eta, boolean validated) {
    LOG.info(String.format("epoch %d/%d  train loss %.5f%s  %.0f samples/s  elapsed %.1fs  "
        + "ETA %.1fs", rec.epoch(), config.epochs(), rec.trainLoss(),
        !validated ? "" : String.format("  val loss %.5f  val %s %.4f", rec.validationLoss(),
            config.spec().task().isClassification() ? "accuracy" : "rmse",
            rec.validationMetric()),
        rec.samplesPerSecond(), rec.elapsedSeconds(), eta));
  }

  /** The trained model: the final (or restored best) weights, history and provenance. */
  private TrainedModel finish(JavaSparkContext jsc, TrainingState state, Checkpoints checkpoints,
      int partitions, boolean sparse, DataReport trainReport, DataReport valReport,
      Instant started, float[] classWeights) {
    String stopReason = state.stopped() ? state.stopReason()
        : "completed " + config.epochs() + " epochs";
    float[] params = state.params();
    List<EpochRecord> history = state.history();
    int weightsEpoch = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
    if (state.bestParams() != null) {
      params = state.bestParams();
      weightsEpoch = state.bestEpoch();
      stopReason += "; restored the weights of epoch " + state.bestEpoch();
    }
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put(TrainedModel.WEIGHTS_EPOCH, Integer.toString(weightsEpoch));
    prov.put("spark.version", jsc.version());
    prov.put("spark.master", jsc.master());
    prov.put("java.version", System.getProperty("java.version"));
    prov.put("java.vendor", System.getProperty("java.vendor"));
    prov.put("blas", Blas.implementation());
    prov.put("seed", Long.toString(config.seed()));
    prov.put("partitions", Integer.toString(partitions));
    prov.put("input", sparse ? "sparse" : "dense");
    prov.put("steps", Long.toString(state.step()));
    prov.put("started", started.toString());
    prov.put("finished", Instant.now().toString());
    if (config.weightCol() != null) {
      prov.put(TrainedModel.WEIGHT_COLUMN, config.weightCol());
    }
    if (classWeights != null) {
      StringBuilder sb = new StringBuilder();
      for (float w : classWeights) {
        sb.append(sb.length() == 0 ? "" : ",").append(w);
      }
      prov.put(TrainedModel.CLASS_WEIGHTS, sb.toString());
      prov.put(TrainedModel.CLASS_WEIGHTS_MODE, config.classWeights().balanced() ? "balanced"
          : "explicit");
    }
    checkpoints.describe(prov);
    return new TrainedModel(config.spec(), params, config, state.history(), trainReport,
        valReport, Collections.unmodifiableMap(prov), stopReason);
  }

  /** Rows per kernel call: the batch size, at most {@link Mlp#MAX_CHUNK_ROWS}. */
  private int chunkRows() {
    return Math.max(1, Math.min(Mlp.MAX_CHUNK_ROWS, config.batchSize()));
  }

  /**
   * Models up to this many bytes of weights ship them inside the step's task binary instead of a
   * broadcast of their own (see {@link PartitionTasks.Step}). Spark broadcasts the task binary once
   * per job anyway, so this saves a broadcast, its destroy and a block-manager round trip per task;
   * above it, an explicit broadcast that is destroyed after the step keeps large, short-lived blocks
   * out of the driver's block manager (task binaries are only freed when the driver's GC notices).
   */
  static final int INLINE_WEIGHTS_MAX_BYTES = 512 * 1024;

  /**
   * One distributed step: ship {@code params} (inline or broadcast), sum every partition's
   * (gradient, loss, count, weight) over the rows of step {@code s} of {@code epoch}, destroy the
   * broadcast. With {@link TransferPrecision#BFLOAT16} the shipped copy of {@code params} is
   * rounded to bfloat16 ({@code params} itself, the master weights, is untouched) and the
   * partitions' gradient sums come back as bfloat16, widened as they are summed in partition
   * order; the returned gradient is float either way.
   *
   * @param classWeights [K] loss weight of each class, or null
   */
  PartialSums runStep(JavaSparkContext jsc, String runId, JavaRDD<PackedBlock> blocks,
      boolean sparse, float[] params, int epoch, int s, int stepsPerEpoch, int chunk,
      long globalStep, float[] classWeights) {
    TransferPrecision precision = config.transferPrecision();
    short[] packed = null;
    if (precision == TransferPrecision.BFLOAT16) {
      packed = new short[params.length];
      Bfloat16.round(params, params.length, packed);
    }
    int partitions = blocks.getNumPartitions();
    // the tasks only read params; the update writes it after the job
    String exchangeKey = localExchangeKey(jsc, runId, partitions, "step-" + globalStep);
    boolean inline = exchangeKey == null
        && (long) precision.bytes() * params.length <= INLINE_WEIGHTS_MAX_BYTES;
    boolean shipped = exchangeKey == null && !inline;
    if (exchangeKey != null) {
      LocalExchange.putWeights(exchangeKey, packed != null ? packed : params);
    }
    Broadcast<float[]> bc = shipped && packed == null ? jsc.broadcast(params.clone()) : null;
    Broadcast<short[]> packedBc = shipped && packed != null ? jsc.broadcast(packed) : null;
    try {
      PartitionTasks.Step step = new PartitionTasks.Step(
          roundWork(runId, epoch, stepsPerEpoch, chunk, classWeights, sparse),
          inline && packed == null ? params.clone() : null, bc,
          inline ? packed : null, packedBc, exchangeKey, s);
      return reduce(blocks, step, exchangeKey).widened();
    } finally {
      if (bc != null) {
        bc.destroy();
      }
      if (packedBc != null) {
        packedBc.destroy();
      }
    }
  }

  /**
   * One job of per-partition sums over {@code blocks}, reduced in partition order; with
   * {@code exchangeKey} the tasks' placeholders are replaced by the results they left in
   * {@link LocalExchange}, and whatever the job left there is removed when it ends.
   */
  private PartialSums reduce(JavaRDD<PackedBlock> blocks,
      scala.Function2<org.apache.spark.TaskContext, scala.collection.Iterator<PackedBlock>,
          PartialSums> perPartition,
      String exchangeKey) {
    try {
      return TreeSum.reduce(blocks.rdd(), perPartition, PARTIAL_SUMS, PartialSums::add,
          parts -> PartialSums.sumInOrder(exchangeKey == null ? parts
              : LocalExchange.resolve(exchangeKey, parts)), config.treeDepth());
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    } finally {
      if (exchangeKey != null) {
        LocalExchange.clear(exchangeKey, blocks.getNumPartitions());
      }
    }
  }

  /**
   * The {@link LocalExchange} key of a job of this run ({@code what} names it), or null when its
   * weights and results must be serialized: when the tasks run in this JVM (a local master) and
   * their results come straight back to {@code runJob} (a depth-1 reduction), they are handed over
   * in memory instead.
   */
  private String localExchangeKey(JavaSparkContext jsc, String runId, int partitions,
      String what) {
    int depth = config.treeDepth() > 0 ? config.treeDepth() : TreeSum.autoDepth(partitions);
    return useLocalExchange && jsc.isLocal() && (partitions == 1 || depth == 1)
        ? runId + "/" + what : null;
  }

  /**
   * What every partition computes in a step or local-SGD round of {@code epoch} of this run
   * ({@link PartitionTasks.RoundWork}).
   *
   * @param classWeights [K] loss weight of each class, or null
   */
  private PartitionTasks.RoundWork roundWork(String runId, int epoch, int stepsPerEpoch,
      int chunk, float[] classWeights, boolean sparse) {
    return new PartitionTasks.RoundWork(runId, config.spec(), config.optim(),
        (long) stepsPerEpoch * config.epochs(), config.seed(), epoch, stepsPerEpoch, chunk,
        classWeights, sparse);
  }

  /**
   * One local-SGD round: ship {@code start} (inline or broadcast), sum every partition's
   * row-weighted local weights and slots, loss and rows over steps {@code s .. s + h - 1} of
   * {@code work}'s epoch ({@link PartitionTasks.LocalRound}), destroy the broadcast.
   */
  PartialSums runRound(JavaSparkContext jsc, String runId, JavaRDD<PackedBlock> blocks,
      PartitionTasks.RoundWork work, RoundStart start, int s, int h) {
    int partitions = blocks.getNumPartitions();
    String exchangeKey = localExchangeKey(jsc, runId, partitions,
        "round-" + work.epoch() + "-" + s);
    boolean inline = exchangeKey == null && 4L * start.values.length <= INLINE_WEIGHTS_MAX_BYTES;
    if (exchangeKey != null) {
      LocalExchange.putWeights(exchangeKey, start);
    }
    Broadcast<RoundStart> bc = inline || exchangeKey != null ? null : jsc.broadcast(start);
    try {
      PartitionTasks.LocalRound round = new PartitionTasks.LocalRound(work,
          inline ? start : null, bc, exchangeKey, s, h);
      return reduce(blocks, round, exchangeKey);
    } finally {
      if (bc != null) {
        bc.destroy();
      }
    }
  }

  private static final scala.reflect.ClassTag<PartialSums> PARTIAL_SUMS =
      scala.reflect.ClassTag$.MODULE$.apply(PartialSums.class);

  /**
   * Distributed forward pass over packed blocks (CSR if {@code sparse}) with the given weights.
   *
   * @param classWeights [K] loss weight of each class (the loss only), or null
   */
  static EvalSums evaluate(JavaSparkContext jsc, JavaRDD<PackedBlock> blocks, boolean sparse,
      NetworkSpec spec, float[] params, int chunk, int depth, float[] classWeights) {
    Broadcast<float[]> bc = jsc.broadcast(params.clone());
    try {
      return TreeSum.reduce(
          blocks.mapPartitionsWithIndex(
              PartitionTasks.evaluate(spec, bc, chunk, classWeights, sparse), true),
          EvalSums::add, depth);
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    } finally {
      bc.destroy();
    }
  }

  /**
   * Distributed evaluation of a trained model on rows with the configured columns: summed loss,
   * accuracy (classification) or RMSE (regression), rows weighted by the configured weight column
   * (no class weights).
   */
  public EvalSums evaluate(TrainedModel model, Dataset<Row> data) {
    JavaRDD<Row> rows = selectColumns(data).javaRDD();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rows.context());
    boolean sparse = SparseInput.resolve(config.sparseInput(), rows);
    RowPacker packer = new RowPacker(model.spec(), config.invalidRows(), config.weightCol(), 1,
        sparse);
    JavaRDD<PackedBlock> blocks = packBlocks(rows, packer, 0.0, 0L, false);
    return evaluate(jsc, blocks, sparse, model.spec(), model.params(), chunkRows(),
        config.treeDepth(), null);
  }

  /**
   * Logs which executors cache the training blocks, and warns when registered executors hold
   * none: steps then queue on the executors that do (see {@link BlockPlacement}).
   */
  private static void logPlacement(JavaSparkContext jsc, JavaRDD<PackedBlock> blocks) {
    if (jsc.sc().isLocal()) {
      return;
    }
    java.util.Map<String, Integer> placement = BlockPlacement.of(blocks);
    int executors = BlockPlacement.executors(jsc.sc());
    int holding = (int) placement.keySet().stream().filter(k -> !k.equals("none")).count();
    LOG.info("training blocks per executor: {} ({} executors registered)", placement, executors);
    if (holding < Math.min(executors, blocks.getNumPartitions())) {
      LOG.warn("the training blocks are cached on {} of {} executors: each step's tasks queue on "
          + "those while the others idle; packing ran before all executors had registered (set "
          + "spark.scheduler.minRegisteredResourcesRatio=1.0) or there are fewer partitions than "
          + "executors", holding, executors);
    }
  }

  private static JavaRDD<PackedBlock> pack(JavaRDD<Row> rows, RowPacker packer, double fraction,
      long seed, boolean heldOut, StorageLevel level, String name) {
    JavaRDD<PackedBlock> blocks = packBlocks(rows, packer, fraction, seed, heldOut);
    blocks.setName("spark-mlp " + name + " blocks");
    blocks.persist(level);
    truncateLineage(blocks);
    return blocks;
  }

  /**
   * Packs each partition once into its training and held-out blocks ({@link RowPacker#packSplit}),
   * cached together as the partition's two elements; {@link #splitBlock} views one of them. One
   * read of the input yields both splits.
   */
  private static JavaRDD<PackedBlock> packSplit(JavaRDD<Row> rows, RowPacker packer,
      double fraction, long seed, StorageLevel level) {
    JavaRDD<PackedBlock> blocks = rows.mapPartitionsWithIndex((i, it) ->
        java.util.Arrays.asList(packer.packSplit(i, it, fraction, seed)).iterator(), true);
    blocks.setName("spark-mlp train and validation blocks");
    blocks.persist(level);
    truncateLineage(blocks);
    return blocks;
  }

  /**
   * The {@code which}-th block (0 training, 1 held out) of each partition of {@link #packSplit}'s
   * cached RDD; partitioning and cache locality are those of the cached RDD.
   */
  private static JavaRDD<PackedBlock> splitBlock(JavaRDD<PackedBlock> split, int which) {
    return split.mapPartitions(it -> {
      for (int i = 0; i < which; i++) {
        it.next();
      }
      return Collections.singletonList(it.next()).iterator();
    }, true);
  }

  private static String seconds(long sinceNanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - sinceNanos) / 1e9);
  }

  /** One packed block per partition (not cached): see {@link RowPacker#pack}. */
  static JavaRDD<PackedBlock> packBlocks(JavaRDD<Row> rows, RowPacker packer,
      double fraction, long seed, boolean heldOut) {
    return rows.mapPartitionsWithIndex((i, it) ->
        Collections.singletonList(packer.pack(i, it, fraction, seed, heldOut)).iterator(), true);
  }

  /**
   * Cuts the lineage of the cached blocks, so that a step's task carries only the block RDD and
   * the step function instead of the whole input plan (CSV scan, parsing, scaling: ~100 KiB per
   * task, serialized and deserialized every step). In local mode executors cannot be lost, so a
   * local checkpoint is enough; on a cluster with a Spark checkpoint directory the blocks are
   * checkpointed reliably (lost executors re-read them); otherwise the lineage is kept, which is
   * correct but slower per step.
   */
  private static void truncateLineage(JavaRDD<PackedBlock> blocks) {
    org.apache.spark.SparkContext sc = blocks.context();
    String master = sc.master();
    if (master.startsWith("local") && !master.startsWith("local-cluster")) {
      blocks.rdd().localCheckpoint();
    } else if (sc.getCheckpointDir().isDefined()) {
      blocks.rdd().checkpoint();
    } else if (!WARNED_LINEAGE.getAndSet(true)) {
      LOG.warn("no Spark checkpoint directory (spark.checkpoint.dir): every step's tasks carry "
          + "the input's full lineage; set one on shared storage for lower per-step overhead");
    }
  }

  private static final java.util.concurrent.atomic.AtomicBoolean WARNED_LINEAGE =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Per partition, in partition order: rows, payload bytes, dropped rows, content hash. */
  private static List<long[]> blockInfos(JavaRDD<PackedBlock> blocks) {
    return blocks.map(b -> new long[] {b.rows(), b.payloadBytes(), b.droppedRows(),
        contentHash(b)}).collect();
  }

  /**
   * A 64-bit hash of a block's shape, features (dense floats, or CSR row starts, columns and
   * values) and labels (bit patterns), for fingerprints.
   */
  static long contentHash(PackedBlock b) {
    long h = 0x9E3779B97F4A7C15L ^ b.rows();
    h = mix(h, b.featureWidth());
    h = mix(h, b.labelWidth());
    if (b.isSparse()) {
      h = mix(h, 0x5BA55EL);
      for (int p : b.rowPtr()) {
        h = mix(h, p);
      }
      for (int c : b.colIdx()) {
        h = mix(h, c);
      }
      for (float f : b.values()) {
        h = mix(h, Float.floatToRawIntBits(f));
      }
    } else {
      for (float f : b.features()) {
        h = mix(h, Float.floatToRawIntBits(f));
      }
    }
    for (float f : b.labels()) {
      h = mix(h, Float.floatToRawIntBits(f));
    }
    if (b.weights() != null) {
      for (float f : b.weights()) {
        h = mix(h, Float.floatToRawIntBits(f));
      }
    }
    return h;
  }

  private static long mix(long h, long v) {
    long x = (h ^ v) * 0xBF58476D1CE4E5B9L;
    return x ^ (x >>> 31);
  }

  /** Rows, dropped rows and content hash of every partition, in order. */
  private static String describeBlocks(List<long[]> infos) {
    StringBuilder sb = new StringBuilder().append(infos.size()).append(" partitions:");
    for (long[] i : infos) {
      sb.append(' ').append(i[0]).append('/').append(i[2]).append('/')
          .append(Long.toHexString(i[3]));
    }
    return sb.toString();
  }

  private static DataReport report(List<long[]> infos, NetworkSpec spec) {
    long rows = 0;
    long bytes = 0;
    long dropped = 0;
    for (long[] i : infos) {
      rows += i[0];
      bytes += i[1];
      dropped += i[2];
    }
    return new DataReport(rows, infos.size(), bytes, rows * spec.inputWidth() * 4L, dropped);
  }
}
