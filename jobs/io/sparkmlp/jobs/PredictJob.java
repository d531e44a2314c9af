package io.sparkmlp.jobs;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.score.Predictor;
import io.sparkmlp.jobs.data.write.PredictionWriter;
import io.sparkmlp.trainer.store.ModelDirectory;
import io.sparkmlp.trainer.store.SavedModel;
import java.io.PrintStream;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code predict --model DIR --input PATH --output PATH}: writes the input's id columns, the
 * prediction and the class probabilities (or raw outputs) as Parquet or CSV; for an autoencoder
 * the reconstruction error per row and, with {@code --output-layer bottleneck}, the codes.
 */
final class PredictJob implements Command {

  @Override
  public String help() {
    return String.join("\n",
        "usage: spark-mlp predict --model DIR --input PATH --output PATH",
        "                         [--format parquet|csv] [--overwrite] [--master URL]",
        "                         [--output-layer output|bottleneck] [--set key=value]...",
        "",
        "Reads PATH like the model's training data (labels optional), applies the model's",
        "standardization and writes the id columns (data.train.id-columns), `prediction`",
        "and `probability` (classification) to PATH (default format parquet; csv flattens",
        "probabilities to prob_<class> columns). The output is written to a temporary path",
        "and renamed; an existing output is refused unless --overwrite, and even then",
        "only earlier predictions are replaced (never a model, an input or anything else).",
        "An autoencoder writes `reconstruction_error` (the anomaly score: mean squared",
        "difference of the standardized features and their reconstruction); with",
        "--output-layer bottleneck also `code`, the bottleneck activations (csv: code_<i>).");
  }

  @Override
  public void run(String[] args, PrintStream out) throws Exception {
    CliArgs a = CliArgs.parse(args,
        Set.of("model", "input", "output", "format", "master", "output-layer"),
        Set.of("overwrite"));
    String modelPath = a.required("model");
    String input = a.required("input");
    String output = a.required("output");
    String format = a.option("format") == null ? "parquet" : a.option("format");
    if (!format.equals("parquet") && !format.equals("csv")) {
      throw new IllegalArgumentException("--format must be parquet or csv, got " + format);
    }
    String layer = a.option("output-layer") == null ? "output" : a.option("output-layer");
    if (!layer.equals("output") && !layer.equals("bottleneck")) {
      throw new UsageException("--output-layer must be output or bottleneck, got " + layer);
    }
    boolean codes = layer.equals("bottleneck");
    org.apache.hadoop.conf.Configuration hadoop = OutputPaths.hadoopConf(java.util.Map.of());
    OutputPaths.refuseOverlap(hadoop, output, "--output",
        java.util.Map.of("--model", modelPath, "--input", input));
    OutputPaths.check(hadoop, output, io.sparkmlp.trainer.store.OutputKind.PREDICTIONS,
        a.flag("overwrite"), "pass --overwrite");
    out.println("spark-mlp predict: starting Spark ("
        + SparkSessions.describeMaster(Optional.ofNullable(a.option("master"))) + "); model "
        + modelPath + ", input " + input + " -> " + output + " (" + format + ")");
    boolean owned = SparkSessions.noneActive();
    SparkSession spark = SparkSessions.create("spark-mlp predict",
        Optional.ofNullable(a.option("master")), java.util.Map.of());
    try {
      SavedModel model = ModelDirectory.load(modelPath, spark.sparkContext().hadoopConfiguration());
      if (codes && model.spec().bottleneck() < 0) {
        throw new IllegalArgumentException("--output-layer bottleneck: the model " + modelPath
            + " has no bottleneck layer (an autoencoder trained with network.bottleneck)");
      }
      DataSource src = SavedModels.source(model, input, a.overrides());
      PreparedData data = SavedModels.read(spark, model, src, false, out);
      Dataset<Row> predictions = Predictor.predict(data.rows(), model.spec(), model.params(),
          SavedModels.standardization(model), SavedModels.mapping(model), codes);
      try (JobProgress progress = new JobProgress(spark, "predict")) {
        PredictionWriter.write(predictions, src.idColumns(), output, format,
            a.flag("overwrite"));
        progress.close();
        out.printf(java.util.Locale.ROOT, "predictions written to %s: %,d rows in %.1f s%n",
            output, progress.rowsWritten(), progress.seconds());
      }
    } finally {
      SparkSessions.release(spark, owned);
    }
  }
}
