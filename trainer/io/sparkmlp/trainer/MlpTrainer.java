package io.sparkmlp.trainer;

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
 * step: the driver broadcasts the flat weights; every partition computes the gradient sum, loss sum
 * and row count over its share of the global mini-batch with the local kernel ({@link Mlp}); a
 * deterministic tree reduction ({@link TreeSum}) adds the partial sums; the driver divides by the
 * count once, applies the {@link Updater}, and destroys the previous broadcast.
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

  /**
   * A trainer for a validated configuration.
   *
   * @param listeners follow the run (progress inside epochs, finished epochs)
   */
  public MlpTrainer(TrainerConfig config, TrainingListener... listeners) {
    this.config = config;
    this.listeners = List.of(listeners);
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
    JavaRDD<Row> t = train.select(config.featuresCol(), config.labelCol()).javaRDD();
    JavaRDD<Row> v = validation == null ? null
        : validation.select(config.featuresCol(), config.labelCol()).javaRDD();
    return fitRows(t, v);
  }

  /**
   * Trains on RDDs of rows (features, label): the features a vector or number array, the label a
   * number or a vector.
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
    boolean sparse = SparseInput.resolve(config.sparseInput(), rows);
    RowPacker packer = new RowPacker(spec, config.invalidRows(), sparse);
    double fraction = validation == null ? config.validationFraction() : 0.0;
    JavaRDD<PackedBlock> trainBlocks = pack(rows, packer, fraction, seed, false, level, "train");
    JavaRDD<PackedBlock> valBlocks = null;
    if (validation != null) {
      valBlocks = pack(validation, packer, 0.0, seed, false, level, "validation");
    } else if (fraction > 0) {
      valBlocks = pack(rows, packer, fraction, seed, true, level, "validation");
    }
    try {
      jsc.setJobDescription("spark-mlp: pack and cache training data");
      LOG.info("reading, packing and caching the training data ({} partitions)...",
          trainBlocks.getNumPartitions());
      long packStart = System.nanoTime();
      List<long[]> trainInfos = blockInfos(trainBlocks);
      DataReport trainReport = report(trainInfos, spec);
      LOG.info("training data ({}): {} ({} s)", sparse ? "sparse, CSR" : "dense",
          trainReport.describe(),
          String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - packStart) / 1e9));
      logPlacement(jsc, trainBlocks);
      DataReport valReport = null;
      String dataDescription = "train=" + describeBlocks(trainInfos);
      if (valBlocks != null) {
        jsc.setJobDescription("spark-mlp: pack and cache validation data");
        List<long[]> valInfos = blockInfos(valBlocks);
        valReport = report(valInfos, spec);
        dataDescription += "|validation=" + describeBlocks(valInfos);
        LOG.info("validation data: {}", valReport.describe());
      }
      if (trainReport.rows() == 0) {
        throw new IllegalArgumentException("the training data is empty");
      }
      if (config.batchSize() > trainReport.rows()) {
        throw new InvalidSettingException("{} " + config.batchSize() + " is larger than the "
            + trainReport.rows() + " training rows", "batchSize");
      }
      return loop(jsc, runId, trainBlocks, valBlocks, sparse, trainReport, valReport,
          dataDescription, started);
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    } finally {
      jsc.setJobDescription(null);
      trainBlocks.unpersist(false);
      if (valBlocks != null) {
        valBlocks.unpersist(false);
      }
    }
  }

  /** The training loop: steps, validation, early stopping and checkpoints, epoch by epoch. */
  private TrainedModel loop(JavaSparkContext jsc, String runId, JavaRDD<PackedBlock> trainBlocks,
      JavaRDD<PackedBlock> valBlocks, boolean sparse, DataReport trainReport,
      DataReport valReport, String dataDescription, Instant started) throws IOException {
    Mlp mlp = new Mlp(config.spec());
    int stepsPerEpoch = (int) Math.min(Integer.MAX_VALUE,
        (trainReport.rows() + config.batchSize() - 1) / config.batchSize());
    Updater updater = Updater.create(config.optim(), mlp.layout(),
        (long) stepsPerEpoch * config.epochs());
    Checkpoints checkpoints = Checkpoints.open(config.checkpoint(), jsc.hadoopConfiguration(),
        config.trajectoryDescription() + "|" + dataDescription);
    EarlyStopping earlyStopping = EarlyStopping.of(config);
    TrainingState state = checkpoints.resume(
        new TrainingState(config.initializer().initialize(mlp.layout(), config.seed())), updater,
        mlp.layout().size());
    Run run = new Run(jsc, runId, trainBlocks, valBlocks, sparse, stepsPerEpoch, updater,
        checkpoints);
    LOG.info("training {} ({} parameters) on {} partitions: {} epochs x {} steps, batch {}, {}",
        config.spec().describe(), mlp.layout().size(), trainBlocks.getNumPartitions(),
        config.epochs(), stepsPerEpoch, config.batchSize(), config.optim().optimizer());
    ProgressReporter progress = new ProgressReporter(config.progressIntervalSeconds(),
        config.epochs(), stepsPerEpoch, listeners);
    long t0 = System.nanoTime();
    int startEpoch = state.epoch();
    while (!state.stopped() && state.epoch() <= config.epochs()) {
      long te = System.nanoTime();
      state.beginEpoch();
      progress.beginEpoch(state);
      for (int s = state.stepsDone(); s < stepsPerEpoch && !state.stopped(); s++) {
        run.step(state, s);
        progress.afterStep(state);
      }
      if (state.stopped()) {
        break;
      }
      double seconds = (System.nanoTime() - te) / 1e9;
      double elapsed = (System.nanoTime() - t0) / 1e9;
      EvalSums ev = run.validate(state);
      EpochRecord rec = new EpochRecord(state.epoch(), state.step(), state.epochRows() == 0
          ? Double.NaN : state.epochLossSum() / state.epochRows(),
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
      checkpoints.afterEpoch(state, updater);
    }
    return finish(jsc, state, checkpoints, trainBlocks.getNumPartitions(), sparse, trainReport,
        valReport, started);
  }

  /** What stays fixed during one training run: its data, optimizer and checkpoint policy. */
  private final class Run {
    private final JavaSparkContext jsc;
    private final String runId;
    private final JavaRDD<PackedBlock> trainBlocks;
    private final JavaRDD<PackedBlock> valBlocks;
    private final boolean sparse;
    private final int stepsPerEpoch;
    private final int chunk = chunkRows();
    private final Updater updater;
    private final Checkpoints checkpoints;
    private final LossGrowth lossGrowth = new LossGrowth();

    Run(JavaSparkContext jsc, String runId, JavaRDD<PackedBlock> trainBlocks,
        JavaRDD<PackedBlock> valBlocks, boolean sparse, int stepsPerEpoch, Updater updater,
        Checkpoints checkpoints) {
      this.jsc = jsc;
      this.runId = runId;
      this.trainBlocks = trainBlocks;
      this.valBlocks = valBlocks;
      this.sparse = sparse;
      this.stepsPerEpoch = stepsPerEpoch;
      this.updater = updater;
      this.checkpoints = checkpoints;
    }

    /**
     * Step {@code s} of the current epoch: the distributed gradient, a divergence check, the
     * update, a checkpoint if one is due, and the stop hook.
     */
    void step(TrainingState state, int s) throws IOException {
      int epoch = state.epoch();
      long step = state.nextStep();
      jsc.setJobDescription(String.format("spark-mlp epoch %d/%d step %d/%d", epoch,
          config.epochs(), s + 1, stepsPerEpoch));
      PartialSums sum = runStep(jsc, runId, trainBlocks, sparse, state.params(), epoch, s,
          stepsPerEpoch, chunk, step);
      if (sum.count > 0) {
        float[] g = Divergence.meanGradient(sum, step, epoch, updater.learningRate(),
            checkpoints.divergenceNote());
        lossGrowth.check(sum.loss / sum.count, step, epoch, updater.learningRate(),
            checkpoints.divergenceNote());
        state.recordUpdate(sum.loss, sum.count, updater.apply(state.params(), g));
        Divergence.checkWeights(state.params(), step, updater.learningRate(),
            checkpoints.divergenceNote());
      }
      state.stepDone();
      checkpoints.afterStep(state, updater, stepsPerEpoch);
      if (config.stopAfterSteps() > 0 && step >= config.stopAfterSteps()) {
        state.stop("stopped after step " + step + " (stopAfterSteps)");
        LOG.info(state.stopReason());
      }
    }

    /** The validation pass at the end of the current epoch (null without validation data). */
    EvalSums validate(TrainingState state) {
      if (valBlocks == null) {
        return null;
      }
      jsc.setJobDescription(String.format("spark-mlp epoch %d/%d validation", state.epoch(),
          config.epochs()));
      EvalSums ev = evaluate(jsc, valBlocks, sparse, config.spec(), state.params(), chunk,
          config.treeDepth());
      updater.onValidation(ev.meanLoss());
      return ev;
    }
  }

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
      Instant started) {
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
   * (gradient, loss, count) over the rows of step {@code s} of {@code epoch}, destroy the broadcast.
   */
  PartialSums runStep(JavaSparkContext jsc, String runId, JavaRDD<PackedBlock> blocks,
      boolean sparse, float[] params, int epoch, int s, int stepsPerEpoch, int chunk,
      long globalStep) {
    boolean inline = 4L * params.length <= INLINE_WEIGHTS_MAX_BYTES;
    Broadcast<float[]> bc = inline ? null : jsc.broadcast(params.clone());
    try {
      PartitionTasks.Step step = new PartitionTasks.Step(runId, config.spec(),
          inline ? params.clone() : null, bc, config.seed(), epoch, s, stepsPerEpoch, chunk,
          sparse);
      return TreeSum.reduce(blocks.rdd(), step, PARTIAL_SUMS, PartialSums::add,
          config.treeDepth());
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    } finally {
      if (bc != null) {
        bc.destroy();
      }
    }
  }

  private static final scala.reflect.ClassTag<PartialSums> PARTIAL_SUMS =
      scala.reflect.ClassTag$.MODULE$.apply(PartialSums.class);

  /** Distributed forward pass over packed blocks with the given weights. */
  static EvalSums evaluate(JavaSparkContext jsc, JavaRDD<PackedBlock> blocks, boolean sparse,
      NetworkSpec spec, float[] params, int chunk, int depth) {
    Broadcast<float[]> bc = jsc.broadcast(params.clone());
    try {
      return TreeSum.reduce(
          blocks.mapPartitionsWithIndex(PartitionTasks.evaluate(spec, bc, chunk, sparse), true),
          EvalSums::add, depth);
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    } finally {
      bc.destroy();
    }
  }

  /**
   * Distributed evaluation of a trained model on rows with the configured columns: summed loss,
   * accuracy (classification) or RMSE (regression).
   */
  public EvalSums evaluate(TrainedModel model, Dataset<Row> data) {
    JavaRDD<Row> rows = data.select(config.featuresCol(), config.labelCol()).javaRDD();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rows.context());
    boolean sparse = SparseInput.resolve(config.sparseInput(), rows);
    RowPacker packer = new RowPacker(model.spec(), config.invalidRows(), sparse);
    JavaRDD<PackedBlock> blocks = packBlocks(rows, packer, 0.0, 0L, false);
    return evaluate(jsc, blocks, sparse, model.spec(), model.params(), chunkRows(),
        config.treeDepth());
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
