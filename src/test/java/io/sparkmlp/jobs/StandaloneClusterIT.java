package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a genuine standalone cluster: {@code scripts/cluster.sh} starts a master and two
 * worker JVMs on 127.0.0.1, and the application jar is submitted with SparkSubmit for train,
 * evaluate and predict on the bundled breast cancer data.
 */
class StandaloneClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ClusterScripts cluster;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new ClusterScripts("it-cluster");
    run("stop");
    ClusterScripts.Result r = run("start", "2");
    assertEquals(0, r.status(), "cluster start failed:\n" + r.output());
  }

  private static ClusterScripts.Result run(String... args) throws Exception {
    return cluster.run(args);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    run("stop");
  }

  @Test
  void trainEvaluatePredictOnTwoWorkers() throws Exception {
    Path model = tmp.resolve("model");
    ClusterScripts.Result train = run("submit", "io.sparkmlp.jobs.Main", "train",
        "conf/examples/breast-cancer.conf", "--set", "output.model=" + model,
        "--set", "data.partitions=2");
    assertEquals(0, train.status(), "train failed:\n" + train.output());
    assertTrue(Files.isRegularFile(model.resolve("model.json")), train.output());
    assertTrue(Files.isRegularFile(model.resolve("weights.safetensors")));
    JsonNode meta = JSON.readTree(model.resolve("model.json").toFile());
    assertEquals(1, meta.get("format_version").asInt());
    assertTrue(meta.at("/provenance/spark.master").asText().startsWith("spark://127.0.0.1:"),
        meta.at("/provenance").toString());
    assertEquals("2", meta.at("/provenance/partitions").asText());
    assertTrue(meta.at("/provenance/rows/train").asLong() > 300);

    Path metricsFile = tmp.resolve("metrics.json");
    ClusterScripts.Result eval = run("submit", "io.sparkmlp.jobs.Main", "evaluate", "--model", model.toString(),
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
      for (Path p : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".csv"))::iterator) {
        lines += Files.readAllLines(p).size() - 1;
      }
    }
    assertEquals(569, lines, "one prediction per input row");
  }

}
