package io.sparkmlp.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.jobs.config.JobConfig;
import io.sparkmlp.jobs.config.KeyRegistry;
import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.jobs.data.score.EvaluationCurves;
import io.sparkmlp.jobs.data.score.Metrics;
import io.sparkmlp.jobs.report.HtmlReport;
import io.sparkmlp.jobs.report.ReportCurves;
import io.sparkmlp.model.InvalidSettingException;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.trainer.CheckpointSettings;
import io.sparkmlp.trainer.InvalidRowException;
import io.sparkmlp.trainer.MetricsLog;
import io.sparkmlp.trainer.MlpTrainer;
import io.sparkmlp.trainer.TrainedModel;
import io.sparkmlp.trainer.SparseInput;
import io.sparkmlp.trainer.TrainerConfig;
import io.sparkmlp.trainer.state.EpochRecord;
import io.sparkmlp.trainer.store.ModelDirectory;
import io.sparkmlp.trainer.store.SavedModel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code train CONFIG [--set key=value]...}: reads the data, splits it, standardizes it, trains the
 * network on Spark, evaluates it on the test split, and saves the model directory with its
 * provenance and its HTML training report.
 */
final class TrainJob implements Command {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String help() {
    return String.join("\n",
        "usage: spark-mlp train CONFIG [--set key=value]...",
        "",
        "Trains an MLP as described by the HOCON file CONFIG (keys: conf/reference.conf,",
        "examples: conf/examples/). --set overrides any key, e.g. --set train.epochs=5.",
        "Writes the model directory to output.model (model.json + weights.safetensors,",
        "and report.html: the training report with plots, to open in a browser).");
  }

  @Override
  public void run(String[] args, PrintStream out) throws Exception {
    StartupPhases phases = new StartupPhases();
    CliArgs a = CliArgs.parse(args, Set.of(), Set.of());
    if (a.positional().size() > 1) {
      throw new IllegalArgumentException("expected one config file, got " + a.positional());
    }
    Path file = a.positional().isEmpty() ? null : Paths.get(a.positional().get(0));
    JobConfig cfg = JobConfig.load(file, a.overrides());
    if (cfg.modelPath() != null) {
      org.apache.hadoop.conf.Configuration hadoop = OutputPaths.hadoopConf(cfg.sparkConf());
      java.util.Map<String, String> inputs = new java.util.LinkedHashMap<>();
      inputs.put("data.train.path", cfg.train().path());
      inputs.put("data.train.labels-path", cfg.train().labelsPath());
      cfg.validation().ifPresent(v -> inputs.put("data.validation.path", v.path()));
      cfg.test().ifPresent(t -> inputs.put("data.test.path", t.path()));
      OutputPaths.refuseOverlap(hadoop, cfg.modelPath(), "output.model", inputs);
      OutputPaths.check(hadoop, cfg.modelPath(), io.sparkmlp.trainer.store.OutputKind.MODEL,
          cfg.overwrite(), "set output.overwrite = true");
    }
    out.println("spark-mlp train: starting Spark (" + SparkSessions.describeMaster(
        cfg.sparkMaster()) + "); input " + cfg.train().path() + " -> "
        + (cfg.modelPath() == null ? "(no output.model)" : cfg.modelPath()));
    boolean owned = SparkSessions.noneActive();
    phases.mark("config");
    SparkSession spark = SparkSessions.create(cfg.appName(), cfg.sparkMaster(), cfg.sparkConf());
    phases.mark("session");
    try {
      train(spark, cfg, out, phases);
    } finally {
      SparkSessions.release(spark, owned);
    }
  }

  static void train(SparkSession spark, JobConfig cfg, PrintStream out, StartupPhases phases)
      throws Exception {
    TrainingData data = TrainingData.prepare(spark, cfg, out);
    phases.mark("read+prepare");
    LabelMapping mapping = data.mapping();
    Dataset<Row> train = data.train();
    Dataset<Row> validation = data.validation();
    Dataset<Row> test = data.test();
    Standardization std = data.std();
    NetworkSpec spec = cfg.networkSpec(data.numFeatures(), data.outputWidth());
    out.println("network " + spec.describe() + ", " + data.numFeatures() + " features");
    // the job holds the validation rows out itself when it prepared a validation split
    TrainerConfig tcfg = cfg.trainerConfig(spec, mapping == null ? null : mapping.classNames())
        .toBuilder().validationFraction(validation == null ? cfg.validationFraction() : 0.0)
        .sparseInput(data.sparse() ? SparseInput.Mode.TRUE : SparseInput.Mode.FALSE).build();
    if (tcfg.weightCol() != null && validation != null
        && !java.util.Arrays.asList(validation.columns()).contains(JobConfig.WEIGHT_COL)) {
      // a validation input without a weight column: its rows weigh 1
      validation = validation.withColumn(JobConfig.WEIGHT_COL, org.apache.spark.sql.functions.lit(1.0));
    }
    boolean testWeighted = cfg.test().map(t -> t.weightColumn() != null)
        .orElse(cfg.train().weightColumn() != null);
    CheckpointSettings ck = tcfg.checkpoint();
    MetricsLog metricsLog = MetricsLog.open(ck.path(), ck.resume(),
        spark.sparkContext().hadoopConfiguration());
    metricsLog.startupPhases(phases.seconds());
    MlpTrainer trainer = new MlpTrainer(tcfg, phases, metricsLog);
    TrainedModel model;
    try (metricsLog) {
      model = trainer.fit(train, validation);
    } catch (InvalidSettingException e) {
      // the batch size against the rows left after the splits, the one check that needs the data
      throw new IllegalArgumentException(e.message(s -> KeyRegistry.trainKey(s) + " =")
          + " (after the validation and test splits)", e);
    } catch (InvalidRowException e) {
      String inputs = cfg.train().path()
          + cfg.validation().map(v -> " or " + v.path()).orElse("");
      throw new IllegalArgumentException(inputs + ": " + e.getMessage(), e);
    }
    // the data path drops from every split before the trainer sees the rows; the trainer's own
    // drop (with a validation fraction it counts the same rows in both packs) finds none left
    long dropped = model.train().droppedRows() + data.droppedTrain() + data.droppedValidation()
        + data.droppedTest();
    float[] params = data.target() == null ? model.params()
        : data.target().fold(spec, model.params());
    // the metrics describe the saved weights: the best epoch's when early stopping restored them
    EpochRecord weights = model.weightsEpoch();
    out.println("training finished: " + model.stopReason());

    ObjectNode metrics = JSON.createObjectNode();
    metrics.put("epoch", weights.epoch());
    metrics.put("train_loss", weights.trainLoss());
    if (!Double.isNaN(weights.validationLoss())) {
      metrics.put("validation_loss", weights.validationLoss());
      if (spec.task().isClassification()) {
        metrics.put("validation_accuracy", weights.validationMetric());
      } else if (data.target() == null) {
        metrics.put("validation_rmse", weights.validationMetric());
      } else if (data.target().size() == 1) {
        // RMSE scales with the target: back to original units
        metrics.put("validation_rmse", weights.validationMetric() * data.target().std()[0]);
      } else {
        metrics.put("validation_rmse_standardized", weights.validationMetric());
      }
    }
    long testRows = 0;
    if (test != null) {
      ObjectNode testMetrics = Metrics.evaluate(test, spec, params, std, mapping, testWeighted);
      metrics.set("test", testMetrics);
      testRows = testMetrics.path("count").asLong(0);
      out.println("test metrics: " + Reports.summary(testMetrics));
    }
    if (cfg.modelPath() != null) {
      SavedModel saved = new SavedModel(ModelDirectory.FORMAT_VERSION, spec, params,
          mapping == null ? null : mapping.classNames(), std == null ? null : std.mean(),
          std == null ? null : std.std(), data.featureNames(), cfg.toJson(),
          provenance(spark, cfg, model, testRows, data, dropped), metrics,
          data.preparationJson());
      ReportCurves curves = test == null ? ReportCurves.none()
          : EvaluationCurves.compute(test, spec, model.params(), std, testRows, testWeighted);
      byte[] report = HtmlReport.training(ModelDirectory.modelJson(saved), curves)
          .getBytes(StandardCharsets.UTF_8);
      ModelDirectory.save(saved, cfg.modelPath(), cfg.overwrite(),
          spark.sparkContext().hadoopConfiguration(),
          Map.of(HtmlReport.FILE_NAME, report, MetricsLog.FILE_NAME, metricsLog.bytes()));
      out.println("model written to " + cfg.modelPath() + " (open " + HtmlReport.FILE_NAME
          + " there in a browser for the training report)");
    } else {
      out.println("output.model is not set: the model was not saved");
    }
  }

  /** The trainer's provenance keys about weights, written as one {@code weights} object. */
  private static final Set<String> WEIGHT_KEYS = Set.of(TrainedModel.WEIGHT_COLUMN,
      TrainedModel.CLASS_WEIGHTS, TrainedModel.CLASS_WEIGHTS_MODE);

  /**
   * {@code provenance.weights}: the weight column of each input (null: every row weighs 1) and the
   * class weights as resolved, by class name, with how they were given (balanced or explicit).
   */
  static ObjectNode weights(JobConfig cfg, TrainedModel model, LabelMapping mapping) {
    ObjectNode w = JSON.createObjectNode();
    ObjectNode columns = w.putObject("columns");
    columns.put("train", cfg.train().weightColumn());
    cfg.validation().ifPresent(v -> columns.put("validation", v.weightColumn()));
    cfg.test().ifPresent(t -> columns.put("test", t.weightColumn()));
    String cw = model.provenance().get(TrainedModel.CLASS_WEIGHTS);
    if (cw == null) {
      w.putNull("class_weights");
      return w;
    }
    w.put("class_weights_mode", model.provenance().get(TrainedModel.CLASS_WEIGHTS_MODE));
    ObjectNode byClass = w.putObject("class_weights");
    String[] values = cw.split(",");
    for (int c = 0; c < values.length; c++) {
      byClass.put(mapping == null ? Integer.toString(c) : mapping.name(c),
          Double.parseDouble(values[c]));
    }
    return w;
  }

  private static ObjectNode provenance(SparkSession spark, JobConfig cfg, TrainedModel model,
      long testRows, TrainingData data, long dropped) {
    ObjectNode p = JSON.createObjectNode();
    ObjectNode inputs = p.putObject("inputs");
    inputs.put("train", cfg.train().path());
    cfg.validation().ifPresent(v -> inputs.put("validation", v.path()));
    cfg.test().ifPresent(v -> inputs.put("test", v.path()));
    ObjectNode rows = p.putObject("rows");
    rows.put("train", model.train().rows());
    rows.put("validation", model.validation() == null ? 0 : model.validation().rows());
    rows.put("test", testRows);
    rows.put("dropped", dropped);
    if (dropped > 0) {
      ObjectNode bySplit = rows.putObject("dropped_by_split");
      bySplit.put("train", data.droppedTrain());
      bySplit.put("validation", data.droppedValidation());
      bySplit.put("test", data.droppedTest());
    }
    p.put("cached_bytes", model.train().cachedBytes());
    p.put("raw_float32_bytes", model.train().rawBytes());
    for (Map.Entry<String, String> e : model.provenance().entrySet()) {
      if (!WEIGHT_KEYS.contains(e.getKey())) {
        p.put(e.getKey(), e.getValue());
      }
    }
    p.set("weights", weights(cfg, model, data.mapping()));
    p.put("spark_mlp_version", Reports.version());
    p.put("stop_reason", model.stopReason());
    ArrayNode history = p.putArray("history");
    for (EpochRecord r : model.history()) {
      ObjectNode h = history.addObject();
      h.put("epoch", r.epoch());
      h.put("steps", r.steps());
      h.put("train_loss", r.trainLoss());
      if (!Double.isNaN(r.validationLoss())) {
        h.put("validation_loss", r.validationLoss());
        h.put("validation_metric", r.validationMetric());
      }
      h.put("learning_rate", r.learningRate());
      h.put("samples_per_second", r.samplesPerSecond());
      h.put("elapsed_seconds", r.elapsedSeconds());
    }
    return p;
  }
}
