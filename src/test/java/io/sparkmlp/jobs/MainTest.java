package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line through {@link Main#run}: exit codes, messages, and a full local round trip. */
class MainTest {
  @TempDir
  Path tmp;

  @Test
  void helpAndUsage() {
    assertEquals(0, CliRun.of("--help").status());
    CliRun train = CliRun.of("train", "--help");
    assertEquals(0, train.status());
    assertTrue(train.out().contains("usage: spark-mlp train"));
    assertEquals(0, CliRun.of("evaluate", "--help").status());
    assertEquals(0, CliRun.of("predict", "--help").status());
    assertEquals(2, CliRun.of().status());
    assertEquals(2, CliRun.of("fly").status());
  }

  @Test
  void anOutOfMemoryErrorIsOneLineNamingTheHeapSetting() {
    Throwable wrapped = new RuntimeException("Job aborted",
        new IllegalStateException("task failed", new OutOfMemoryError("Java heap space")));
    String line = Main.oneLine(wrapped);
    assertTrue(line.startsWith("out of memory (Java heap space) with a heap of "), line);
    assertTrue(line.contains("spark.driver.memory")
        || line.contains("SPARK_MLP_HEAP"), line);
    assertFalse(line.contains("\n"), line);
  }

  @Test
  void configErrorsFailBeforeSparkWithOneLine() {
    CliRun r = CliRun.of("train", "conf/examples/breast-cancer.conf", "--set",
        "train.batchsize=3");
    assertEquals(1, r.status());
    assertTrue(r.err().contains("train.batchsize"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    CliRun missing = CliRun.of("evaluate", "--input", "x");
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("--model"), missing.err());
  }

  @Test
  void trainEvaluatePredictIrisLocally() throws Exception {
    SharedSpark.session();
    Path model = tmp.resolve("iris-model");
    CliRun train = CliRun.of("train", "conf/examples/multiclass-iris.conf",
        "--set", "output.model=" + model, "--set", "train.epochs=40",
        "--set", "spark.master=local[2]");
    assertEquals(0, train.status(), train.err());
    assertTrue(Files.isRegularFile(model.resolve("weights.safetensors")));
    JsonNode meta = new ObjectMapper().readTree(model.resolve("model.json").toFile());
    assertEquals(List.of("setosa", "versicolor", "virginica"),
        List.of(meta.at("/class_names/0").asText(), meta.at("/class_names/1").asText(),
            meta.at("/class_names/2").asText()));
    assertFalse(SharedSpark.session().sparkContext().isStopped(), "the job must not stop a "
        + "session it did not create");

    Path metrics = tmp.resolve("metrics.json");
    CliRun eval = CliRun.of("evaluate", "--model", model.toString(), "--input",
        "src/test/resources/data/iris.csv", "--output", metrics.toString());
    assertEquals(0, eval.status(), eval.err());
    JsonNode m = new ObjectMapper().readTree(metrics.toFile());
    assertTrue(m.get("accuracy").asDouble() > 0.9, m.toString());
    assertEquals(3, m.get("confusion_matrix").size());

    Path preds = tmp.resolve("preds");
    CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input",
        "src/test/resources/data/iris.csv", "--output", preds.toString());
    assertEquals(0, predict.status(), predict.err());
    List<Row> rows = SharedSpark.session().read().parquet(preds.toString()).collectAsList();
    assertEquals(150, rows.size());
    long correct = SharedSpark.session().read().parquet(preds.toString())
        .filter("prediction in ('setosa', 'versicolor', 'virginica')").count();
    assertEquals(150, correct, "predictions are class names");
    CliRun again = CliRun.of("predict", "--model", model.toString(), "--input",
        "src/test/resources/data/iris.csv", "--output", preds.toString());
    assertEquals(1, again.status(), "an existing output is refused without --overwrite");
    assertTrue(again.err().contains(preds + ": output already exists (pass --overwrite"),
        "the message names the path and the real flag: " + again.err());
  }

  @Test
  void anExistingPredictionOutputIsRefusedBeforeTheModelOrDataAreRead() throws Exception {
    Path existing = Files.createDirectories(tmp.resolve("out"));
    // neither the model nor the input exist: the output check must come first
    CliRun r = CliRun.of("predict", "--model", tmp.resolve("no-model").toString(), "--input",
        tmp.resolve("no-input.csv").toString(), "--output", existing.toString());
    assertEquals(1, r.status(), r.err());
    assertEquals(existing + ": output already exists (pass --overwrite to replace it)",
        r.err().strip().replaceFirst("^spark-mlp predict: ", ""));
  }

  @Test
  void modelJsonMetricsDescribeTheRestoredBestEpoch() throws Exception {
    SharedSpark.session();
    Path model = tmp.resolve("bc-model");
    // a learning rate high enough that validation loss rises again after its best epoch
    CliRun train = CliRun.of("train", "conf/examples/breast-cancer.conf",
        "--set", "output.model=" + model, "--set", "train.epochs=15",
        "--set", "train.batch-size=64", "--set", "train.optimizer.learning-rate=0.05",
        "--set", "train.early-stopping.patience=2",
        "--set", "spark.master=local[2]");
    assertEquals(0, train.status(), train.err());
    JsonNode meta = new ObjectMapper().readTree(model.resolve("model.json").toFile());
    JsonNode history = meta.at("/provenance/history");
    int best = 0;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (JsonNode h : history) {
      if (h.get("validation_loss").asDouble() < bestLoss) {
        bestLoss = h.get("validation_loss").asDouble();
        best = h.get("epoch").asInt();
      }
    }
    assertTrue(best < history.size(), "the run should stop after its best epoch: " + history);
    assertEquals(best, meta.at("/metrics/epoch").asInt(), meta.at("/metrics").toString());
    assertEquals(bestLoss, meta.at("/metrics/validation_loss").asDouble(),
        "validation_loss is the saved (best) epoch's, not the last epoch's");
    assertEquals(Integer.toString(best), meta.at("/provenance/weights.epoch").asText());
    // the metrics log in the model directory: one epoch line per history entry
    List<String> log = Files.readAllLines(model.resolve("metrics.jsonl"));
    assertEquals(history.size(), log.stream().filter(l -> l.contains("\"event\":\"epoch\""))
        .count(), String.join("\n", log));
    // its first line: the start-up phases of the job and the trainer, in order
    JsonNode start = new ObjectMapper().readTree(log.get(0));
    assertEquals("start", start.get("event").asText(), log.get(0));
    List<String> phases = new java.util.ArrayList<>();
    start.get("phase_seconds").fieldNames().forEachRemaining(phases::add);
    assertEquals(List.of("config", "session", "read+prepare", "pack"), phases);
  }
}
