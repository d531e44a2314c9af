package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a genuine standalone cluster: {@code scripts/cluster.sh} starts a master and two
 * worker JVMs on 127.0.0.1, and the application jar is submitted with SparkSubmit for train,
 * evaluate and predict on the bundled breast cancer data, and the README's cluster example. The
 * cluster is {@link SharedCluster}'s.
 */
class StandaloneClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ClusterScripts cluster;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = SharedCluster.get();
  }

  private static ClusterScripts.Result run(String... args) throws Exception {
    return cluster.run(args);
  }

  /**
   * The README's cluster example (start, submit, stop), with its submit line run as written on the
   * shared cluster (the model lands in target/models/bc-cluster, trained on two partitions, one per
   * worker); then evaluate and predict with that model, submitted to the same cluster.
   */
  @Test
  void theReadmeExampleThenEvaluateAndPredictOnTwoWorkers() throws Exception {
    java.util.List<String> commands = Readme.commands().stream()
        .filter(c -> c.startsWith("scripts/cluster.sh ")).toList();
    assertEquals(3, commands.size(), commands.toString());
    assertEquals("scripts/cluster.sh start 2", commands.get(0));
    assertEquals("scripts/cluster.sh stop", commands.get(2));
    String submit = commands.get(1);
    assertTrue(submit.startsWith("scripts/cluster.sh submit io.sparkmlp.jobs.Main train "),
        submit);
    Path log = tmp.resolve("readme-submit.log");
    Process p = cluster.startShell(log, submit);
    assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES), "timed out: " + submit);
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), submit + "\n" + out);
    assertTrue(out.contains("test metrics:"), out);
    Path model = Path.of("target/models/bc-cluster").toAbsolutePath();
    assertTrue(Files.isRegularFile(model.resolve("weights.safetensors")));
    JsonNode meta = JSON.readTree(model.resolve("model.json").toFile());
    assertEquals(1, meta.get("format_version").asInt());
    assertTrue(meta.at("/provenance/spark.master").asText().startsWith("spark://127.0.0.1:"),
        meta.at("/provenance").toString());
    assertEquals("2", meta.at("/provenance/partitions").asText());
    assertTrue(meta.at("/provenance/rows/train").asLong() > 300);

    Path metricsFile = tmp.resolve("metrics.json");
    ClusterScripts.Result eval = run("submit", "io.sparkmlp.jobs.Main", "evaluate", "--model",
        model.toString(),
        "--input", new File("src/test/resources/data/breast_cancer.csv").getAbsolutePath(),
        "--output", metricsFile.toString());
    assertEquals(0, eval.status(), "evaluate failed:\n" + eval.output());
    JsonNode metrics = JSON.readTree(metricsFile.toFile());
    assertTrue(metrics.get("accuracy").asDouble() > 0.9, metrics.toString());
    assertTrue(metrics.get("roc_auc").asDouble() > 0.95, metrics.toString());

    Path preds = tmp.resolve("predictions");
    ClusterScripts.Result predict = run("submit", "io.sparkmlp.jobs.Main", "predict", "--model",
        model.toString(), "--input",
        new File("src/test/resources/data/breast_cancer.csv").getAbsolutePath(),
        "--output", preds.toString(), "--format", "csv");
    assertEquals(0, predict.status(), "predict failed:\n" + predict.output());
    long lines = 0;
    try (Stream<Path> files = Files.list(preds)) {
      for (Path part : (Iterable<Path>) files.filter(
          f -> f.getFileName().toString().endsWith(".csv"))::iterator) {
        lines += Files.readAllLines(part).size() - 1;
      }
    }
    assertEquals(569, lines, "one prediction per input row");
  }

}
