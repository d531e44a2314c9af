package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;

/**
 * Every command shown in README.md, run as a user types it: {@code bash -c "<the README line>"}
 * from the project root, after {@code mvn package} (Failsafe). Each README command has a check
 * here keyed by its exact text, so a command changed in the README without its check (or a check
 * whose command left the README) fails this test. The {@code scripts/cluster.sh} commands run in
 * {@link StandaloneClusterIT}; the test command is the one {@code .ci/run} runs.
 */
class ReadmeCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Exit status and everything the command printed (stdout and stderr, Spark's log included). */
  record Run(String command, int status, String output) {
    String describe() {
      return "$ " + command + "\nexit " + status + "\n" + output;
    }
  }

  /** What a README command must do. */
  interface Check {
    void verify(Run run) throws Exception;
  }

  /** What the JVM prints for --add-modules=jdk.incubator.vector (the Java BLAS needs it). */
  static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

  static final String QUICK_START = "scripts/spark-mlp train conf/examples/breast-cancer.conf";
  static final String TEST_COMMAND = "mvn -B verify";

  /** The README's spark-mlp commands and their checks, in README order. */
  private static Map<String, Check> checks() {
    Map<String, Check> c = new LinkedHashMap<>();
    c.put(QUICK_START, run -> {
      ok(run);
      assertTrue(run.output().contains("epoch 1/"), run.describe());
      assertTestMetrics(run, "accuracy", 0.9);
      JsonNode model = JSON.readTree(new File("target/models/breast-cancer/model.json"));
      assertEquals("binary", model.at("/spec/task").asText().toLowerCase(), model.toString());
      assertTrue(Files.readString(Path.of("target/models/breast-cancer/report.html"))
          .contains("data-plot=\"roc\""), "the training report is written with the model");
      assertEquals(model.at("/provenance/history").size(), Files.readAllLines(
          Path.of("target/models/breast-cancer/metrics.jsonl")).stream()
          .filter(l -> l.contains("\"event\":\"epoch\"")).count(), "one epoch line per epoch");
      assertTrue(run.output().lines().filter(l -> !l.equals(INCUBATOR_WARNING)).findFirst()
          .orElse("").startsWith(
          "spark-mlp train: starting Spark"), "the first line says what starts:\n" + run.describe());
    });
    // the build commands are what runs this test: .ci/run runs them (see the test below)
    c.put(TEST_COMMAND, run -> {
      throw new AssertionError("not run here");
    });
    c.put("mvn -B package -DskipTests", run -> {
      throw new AssertionError("not run here");
    });
    c.put("scripts/spark-mlp --help", run -> {
      ok(run);
      for (String command : List.of("train", "evaluate", "predict", "generate", "export")) {
        assertTrue(run.output().contains("  " + command + " "), run.describe());
        Run help = run("scripts/spark-mlp " + command + " --help");
        ok(help);
        assertTrue(help.output().replace(INCUBATOR_WARNING + "\n", "")
            .startsWith("usage: spark-mlp " + command), help.describe());
      }
    });
    c.put("scripts/spark-mlp predict --help", run -> {
      ok(run);
      assertTrue(run.output().contains("--overwrite"), run.describe());
    });
    c.put("scripts/spark-mlp train conf/examples/multiclass-iris.conf --set train.epochs=50",
        run -> {
          ok(run);
          assertTestMetrics(run, "accuracy", 0.8);
          JsonNode model = JSON.readTree(new File("target/models/iris/model.json"));
          assertEquals(50, model.at("/config/train/epochs").asInt(), model.toString());
        });
    c.put("scripts/spark-mlp evaluate --model target/models/breast-cancer --input "
        + "src/test/resources/data/breast_cancer.csv --output target/metrics.json", run -> {
          ok(run);
          JsonNode metrics = JSON.readTree(new File("target/metrics.json"));
          assertEquals(569, metrics.get("count").asLong(), metrics.toString());
          assertTrue(metrics.get("accuracy").asDouble() > 0.9, metrics.toString());
          assertTrue(run.output().contains("\"roc_auc\""), "metrics printed:\n" + run.describe());
        });
    c.put("scripts/spark-mlp predict --model target/models/breast-cancer --input "
        + "src/test/resources/data/breast_cancer.csv --output target/predictions-csv --format csv "
        + "--overwrite", run -> {
          ok(run);
          List<String> lines = new ArrayList<>();
          for (Path part : parts(Path.of("target/predictions-csv"), ".csv")) {
            List<String> l = Files.readAllLines(part, StandardCharsets.UTF_8);
            assertTrue(l.get(0).contains("prediction"), "header: " + l.get(0));
            assertTrue(l.get(0).contains("prob_"), "header: " + l.get(0));
            lines.addAll(l.subList(1, l.size()));
          }
          assertEquals(569, lines.size(), "one prediction per input row");
        });
    c.put("scripts/spark-mlp predict --model target/models/breast-cancer --input "
        + "src/test/resources/data/breast_cancer.csv --output target/predictions --overwrite",
        run -> {
          ok(run);
          assertEquals(569, parquetRows(Path.of("target/predictions")), run.describe());
        });
    c.put("scripts/spark-mlp generate conf/examples/generate-synthetic.conf --set "
        + "generate.rows=50000", run -> {
          ok(run);
          assertEquals(50000, parquetRows(Path.of("target/data/synthetic.parquet")));
        });
    c.put("scripts/spark-mlp train conf/examples/multiclass-synthetic.conf", run -> {
      ok(run);
      assertTestMetrics(run, "accuracy", 0.6);
    });
    c.put("scripts/spark-mlp export --model target/models/breast-cancer --format onnx --output "
        + "target/bc.onnx --overwrite", run -> {
          ok(run);
          onnx.Onnx.ModelProto m = onnx.Onnx.ModelProto.parseFrom(
              Files.readAllBytes(Path.of("target/bc.onnx")));
          assertEquals("features", m.getGraph().getInput(0).getName());
          assertEquals(13, m.getOpsetImport(0).getVersion());
        });
    return c;
  }

  @Test
  void everyReadmeCommandWorksAsWritten() throws Exception {
    Map<String, Check> checks = checks();
    List<String> readme = Readme.commands();
    List<String> spark = readme.stream().filter(s -> s.startsWith("scripts/spark-mlp")
        || s.startsWith("mvn ")).toList();
    assertEquals(List.copyOf(checks.keySet()), spark,
        "README's spark-mlp and mvn commands (right) must be those checked here (left), in order;"
            + " change both together");
    for (String other : readme) {
      if (!checks.containsKey(other)) {
        assertTrue(other.startsWith("scripts/cluster.sh ") || other.startsWith("spark-submit "),
            "README command with no test: " + other);
      }
    }
    for (Map.Entry<String, Check> e : checks.entrySet()) {
      if (e.getKey().startsWith("mvn ")) {
        continue;
      }
      Run run = run(e.getKey());
      e.getValue().verify(run);
    }
  }

  @Test
  void quickStartSectionHasTheMainAndTheTestCommandThatCiRuns() throws IOException {
    List<String> quick = Readme.commandsInSection("## Quick start");
    assertEquals(List.of(QUICK_START, TEST_COMMAND, "mvn -B package -DskipTests"), quick);
    String ci = Files.readString(Path.of(".ci/run"), StandardCharsets.UTF_8);
    assertTrue(ci.contains("\n" + TEST_COMMAND + "\n"), ".ci/run runs the README's test command");
    assertTrue(ci.contains(QUICK_START), ".ci/run runs the README's main command");
  }

  @Test
  void theSparkSubmitExampleNamesTheBuiltJar() throws IOException {
    String submit = Readme.commands().stream().filter(s -> s.startsWith("spark-submit "))
        .findFirst().orElseThrow();
    Matcher m = Pattern.compile("(target/spark-mlp-\\S+-app\\.jar)").matcher(submit);
    assertTrue(m.find(), submit);
    assertTrue(new File(m.group(1)).isFile(), "the README names the jar mvn package builds: "
        + m.group(1));
    assertTrue(submit.contains("--class io.sparkmlp.jobs.Main"), submit);
  }

  /** Runs one README command line as a user would, from the project root. */
  static Run run(String command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("readme-command", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(
              new File("/dev/null")));
      // mvn verify packaged the project before the ITs; the scripts must not rebuild it
      pb.environment().put("SPARK_MLP_SKIP_BUILD", "1");
      pb.environment().put("SPARK_MLP_HEAP", "1g");
      Process p = pb.start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("timed out after 10 minutes: " + command + "\n" + Files.readString(log));
      }
      return new Run(command, p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static void ok(Run run) {
    assertEquals(0, run.status(), run.describe());
    for (String line : run.output().split("\n")) {
      assertFalse(line.contains(" ERROR ") || line.startsWith("ERROR")
          || line.startsWith("\tat ") || line.startsWith("Exception in thread"),
          "a successful run logs no errors or stack traces:\n" + run.describe());
    }
  }

  /** The "test metrics:" line is printed and its {@code metric} is at least {@code floor}. */
  private static void assertTestMetrics(Run run, String metric, double floor) {
    Matcher m = Pattern.compile("test metrics: .*\\b" + metric + "=([0-9.]+)")
        .matcher(run.output());
    assertTrue(m.find(), "no test " + metric + " printed:\n" + run.describe());
    assertTrue(Double.parseDouble(m.group(1)) >= floor, metric + " " + m.group(1) + " < " + floor
        + "\n" + run.describe());
  }

  private static List<Path> parts(Path dir, String suffix) throws IOException {
    assertTrue(Files.isRegularFile(dir.resolve("_SUCCESS")), "complete output in " + dir);
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> parts = s.filter(p -> p.getFileName().toString().startsWith("part-")
          && p.getFileName().toString().endsWith(suffix)).sorted().toList();
      assertFalse(parts.isEmpty(), "no " + suffix + " part files in " + dir);
      return parts;
    }
  }

  /** Rows in a Parquet output directory, from the part files' footers. */
  private static long parquetRows(Path dir) throws IOException {
    long rows = 0;
    Configuration conf = new Configuration();
    for (Path part : parts(dir, ".parquet")) {
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
          new org.apache.hadoop.fs.Path(part.toUri()), conf))) {
        rows += r.getRecordCount();
      }
    }
    return rows;
  }
}
