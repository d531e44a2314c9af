package io.sparkmlp.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.score.EvaluationCurves;
import io.sparkmlp.jobs.data.score.Metrics;
import io.sparkmlp.jobs.report.HtmlReport;
import io.sparkmlp.jobs.report.ReportCurves;
import io.sparkmlp.trainer.store.AtomicWrite;
import io.sparkmlp.trainer.store.ModelDirectory;
import io.sparkmlp.trainer.store.OutputKind;
import io.sparkmlp.trainer.store.OutputOwnership;
import io.sparkmlp.trainer.store.SavedModel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * {@code evaluate --model DIR --input PATH [--output FILE] [--report FILE]}: metrics of a saved
 * model on labelled data read like its training data, printed and written as JSON, and optionally
 * as an HTML report.
 */
final class EvaluateJob implements Command {

  @Override
  public String help() {
    return String.join("\n",
        "usage: spark-mlp evaluate --model DIR --input PATH [--output metrics.json]",
        "                          [--report report.html] [--master URL] [--set key=value]...",
        "",
        "Reads PATH the way the model's training data was read (format, label and feature",
        "columns from the model's config; change them with --set data.train.<key>=...),",
        "applies the model's standardization and prints the metrics as JSON: accuracy,",
        "precision/recall/F1, ROC AUC and log-loss (binary), confusion matrix (multi-class),",
        "per-label metrics (multi-label), RMSE/MAE/R2 (regression). --output also writes them",
        "to a file (any Hadoop path), atomically. --report writes an HTML page (plots of the",
        "evaluated data's metrics, with the model's training history), atomically. Either",
        "replaces only an earlier metrics file or report, never the model, the input or",
        "any other file.");
  }

  @Override
  public void run(String[] args, PrintStream out) throws Exception {
    CliArgs a = CliArgs.parse(args, Set.of("model", "input", "output", "report", "master"),
        Set.of());
    String modelPath = a.required("model");
    String input = a.required("input");
    Configuration early = OutputPaths.hadoopConf(java.util.Map.of());
    checkOutput(early, a.option("output"), "--output", OutputKind.METRICS, modelPath, input);
    checkOutput(early, a.option("report"), "--report", OutputKind.REPORT, modelPath, input);
    if (a.option("output") != null && a.option("output").equals(a.option("report"))) {
      throw new IllegalArgumentException(a.option("output")
          + ": --output and --report name the same file");
    }
    out.println("spark-mlp evaluate: starting Spark ("
        + SparkSessions.describeMaster(Optional.ofNullable(a.option("master"))) + "); model "
        + modelPath + ", input " + input
        + (a.option("output") == null ? "" : " -> " + a.option("output")));
    boolean owned = SparkSessions.noneActive();
    SparkSession spark = SparkSessions.create("spark-mlp evaluate",
        Optional.ofNullable(a.option("master")), java.util.Map.of());
    try {
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      SavedModel model = ModelDirectory.load(modelPath, hadoop);
      DataSource src = SavedModels.source(model, input, a.overrides());
      PreparedData data = SavedModels.read(spark, model, src, true, out);
      ObjectNode metrics;
      try (JobProgress progress = new JobProgress(spark, "evaluate")) {
        metrics = Metrics.evaluate(data.rows(), model.spec(), model.params(),
            SavedModels.standardization(model), SavedModels.mapping(model),
            src.weightColumn() != null);
      }
      metrics.put("model", modelPath);
      metrics.put("input", input);
      String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(metrics);
      out.println(json);
      if (a.option("output") != null) {
        AtomicWrite.file(a.option("output"), json.getBytes(StandardCharsets.UTF_8),
            OutputOwnership.replaceable(hadoop, OutputKind.METRICS, true, "", a.option("output")),
            hadoop);
      }
      if (a.option("report") != null) {
        ReportCurves curves = EvaluationCurves.compute(data.rows(), model.spec(), model.params(),
            SavedModels.standardization(model), metrics.path("count").asLong(),
            src.weightColumn() != null);
        AtomicWrite.file(a.option("report"), HtmlReport.evaluation(
            ModelDirectory.modelJson(model), metrics, input, curves)
                .getBytes(StandardCharsets.UTF_8),
            OutputOwnership.replaceable(hadoop, OutputKind.REPORT, true, "", a.option("report")),
            hadoop);
        out.println("report written to " + a.option("report"));
      }
    } finally {
      SparkSessions.release(spark, owned);
    }
  }

  /**
   * Checks an optional output file before Spark starts: not the model or the input (nor inside
   * them), and replacing only an earlier file of the same kind.
   */
  private static void checkOutput(Configuration hadoop, String path, String option,
      OutputKind kind, String modelPath, String input) {
    if (path == null) {
      return;
    }
    OutputPaths.refuseOverlap(hadoop, path, option, java.util.Map.of("--model", modelPath,
        "--input", input));
    OutputPaths.check(hadoop, path, kind, true, "");
  }
}
