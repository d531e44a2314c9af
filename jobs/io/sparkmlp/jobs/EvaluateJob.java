package io.sparkmlp.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.jobs.data.DataSource;
import io.sparkmlp.jobs.data.Metrics;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.trainer.io.ModelDirectory;
import io.sparkmlp.trainer.io.SavedModel;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code evaluate --model DIR --input PATH [--output FILE]}: metrics of a saved model on labelled
 * data read like its training data, printed and written as JSON.
 */
final class EvaluateJob implements Main.Command {

  @Override
  public String help() {
    return String.join("\n",
        "usage: spark-mlp evaluate --model DIR --input PATH [--output metrics.json]",
        "                          [--master URL] [--set key=value]...",
        "",
        "Reads PATH the way the model's training data was read (format, label and feature",
        "columns from the model's config; change them with --set data.train.<key>=...),",
        "applies the model's standardization and prints the metrics as JSON: accuracy,",
        "precision/recall/F1, ROC AUC and log-loss (binary), confusion matrix (multi-class),",
        "per-label metrics (multi-label), RMSE/MAE/R2 (regression). --output also writes them",
        "to a file (any Hadoop path), atomically.");
  }

  @Override
  public void run(String[] args, PrintStream out) throws Exception {
    CliArgs a = CliArgs.parse(args, Set.of("model", "input", "output", "master"), Set.of());
    String modelPath = a.required("model");
    String input = a.required("input");
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
            SavedModels.standardization(model), SavedModels.mapping(model));
      }
      metrics.put("model", modelPath);
      metrics.put("input", input);
      String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(metrics);
      out.println(json);
      if (a.option("output") != null) {
        writeAtomically(a.option("output"), json, hadoop);
      }
    } finally {
      SparkSessions.release(spark, owned);
    }
  }

  /** Writes text to a temporary sibling, then renames it over {@code path}. */
  static void writeAtomically(String path, String text, Configuration hadoop) throws Exception {
    Path target = new Path(path);
    FileSystem fs = target.getFileSystem(hadoop);
    Path parent = target.getParent();
    if (parent != null) {
      fs.mkdirs(parent);
    }
    Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + java.util.UUID.randomUUID());
    try (OutputStream os = fs.create(tmp, false)) {
      os.write(text.getBytes(StandardCharsets.UTF_8));
    }
    if (fs.exists(target)) {
      fs.delete(target, false);
    }
    if (!fs.rename(tmp, target)) {
      fs.delete(tmp, false);
      throw new java.io.IOException("could not rename " + tmp + " to " + target);
    }
  }
}
