package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failing job, run as a user runs it (its own JVM with {@code conf/log4j2.properties} and the
 * options of {@code scripts/common.sh}), prints its one-line reason and nothing else at ERROR
 * level: everything the process writes, stdout and stderr with Spark's log lines, is read. Task
 * failures that Spark reports itself (with stack traces) go to its task log file.
 */
class OneLineErrorsTest {
  @TempDir Path dir;

  /** Exit code, everything the process printed, and the task log it may have written. */
  record Run(int code, List<String> lines, Path taskLog) {
    /** Asserts exit 1, a last line with every fragment, and no ERROR line or stack trace. */
    void failsWithOneLine(String... fragments) {
      String all = String.join("\n", lines);
      assertEquals(1, code, all);
      String last = lines.get(lines.size() - 1);
      assertTrue(last.startsWith("spark-mlp train: "), all);
      for (String f : fragments) {
        assertTrue(last.contains(f), "'" + f + "' in " + last);
      }
      for (String l : lines) {
        assertFalse(l.contains(" ERROR "), "an ERROR line: " + l + "\n" + all);
        assertFalse(l.matches("\\s+at .*|Caused by: .*|\\s+\\.\\.\\. \\d+ more"),
            "a stack trace: " + l + "\n" + all);
      }
      assertEquals(1, lines.stream().filter(l -> l.startsWith("spark-mlp train: ")
          && !l.startsWith("spark-mlp train: starting Spark")).count(), all);
      if (Files.exists(taskLog)) {
        assertTrue(last.endsWith("(Spark's task report: " + taskLog + ")"),
            "names the task log: " + last);
      }
    }

    /** Asserts that Spark reported a failed task, in the task log the last line names. */
    void namesTheTaskLog() {
      assertTrue(Files.exists(taskLog), "a task failed: " + lines);
    }
  }

  /** The JVM options of scripts/common.sh's SPARK_JAVA_OPTS. */
  private static List<String> javaOpts() throws IOException {
    List<String> opts = new ArrayList<>();
    boolean in = false;
    for (String l : Files.readAllLines(Path.of("scripts/common.sh"))) {
      if (l.startsWith("SPARK_JAVA_OPTS=(")) {
        in = true;
      } else if (in && l.strip().equals(")")) {
        break;
      } else if (in && l.strip().startsWith("-")) {
        opts.add(l.strip());
      }
    }
    return opts;
  }

  private Run train(Path data, String format, String task, String... sets) throws Exception {
    return trainWithHeap("1g", data, format, task, sets);
  }

  private Run trainWithHeap(String heap, Path data, String format, String task, String... sets)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
    cmd.addAll(javaOpts());
    cmd.addAll(List.of("-Dlog4j.configurationFile=conf/log4j2.properties",
        "-Djava.io.tmpdir=" + dir, "-Dspark.mlp.local=true", "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "train"));
    List<String> s = new ArrayList<>(List.of("data.train.path=" + data,
        "data.train.format=" + format, "task=" + task, "spark.master=local[2]",
        "network.hidden=[4]", "train.epochs=1", "data.validation-fraction=0",
        "output.model=" + dir.resolve("model")));
    s.addAll(List.of(sets));
    for (String x : s) {
      cmd.add("--set");
      cmd.add(x);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS));
    List<String> lines = new String(out, StandardCharsets.UTF_8).lines()
        .filter(l -> !l.isBlank()).toList();
    return new Run(p.exitValue(), lines, dir.resolve("spark-mlp-tasks.log").toAbsolutePath());
  }

  @Test
  void raggedCsv() throws Exception {
    Path f = Files.writeString(dir.resolve("ragged.csv"), "x1,x2,label\n1,2,a\n3,4\n5,6,a\n");
    train(f, "csv", "multiclass", "data.train.label-column=label")
        .failsWithOneLine("ragged.csv", "column 'label' has an empty value");
  }

  @Test
  void truncatedGzip() throws Exception {
    byte[] csv = Files.readAllBytes(Path.of("src/test/resources/data/breast_cancer.csv"));
    Path full = dir.resolve("full.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(full))) {
      o.write(csv);
    }
    byte[] gz = Files.readAllBytes(full);
    Path f = Files.write(dir.resolve("cut.csv.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
    Run run = train(f, "csv", "binary", "data.train.label-column=label");
    run.failsWithOneLine("cut.csv.gz", "Unexpected end of input stream");
    run.namesTheTaskLog();
  }

  @Test
  void libsvmIndexOutOfRange() throws Exception {
    Path f = Files.writeString(dir.resolve("bad.libsvm"),
        "0 1:0.5 2:1\n1 1:1 3:2\n0 1:1 999999999999:2\n");
    train(f, "libsvm", "binary").failsWithOneLine("bad.libsvm", "999999999999");
  }

  @Test
  void rowsTooWideForTheHeapFailBeforeRunningOutOfMemory() throws Exception {
    // one index of 1,000,000 makes every row 4 MB dense: 300 rows do not fit the heap's share of
    // a task (1 GiB less Spark's 300 MiB, over 2 tasks). Dense on purpose: data.sparse = auto
    // packs these rows sparse and trains them in kilobytes (SparseJobsTest)
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      b.append(i % 2).append(" 1:").append(i % 7).append(" 2:1");
      b.append(i == 150 ? " 1000000:1\n" : "\n");
    }
    Path f = Files.writeString(dir.resolve("wide.libsvm"), b.toString());
    train(f, "libsvm", "binary", "network.hidden=[1]", "train.batch-size=8", "data.sparse=false")
        .failsWithOneLine("1000000 dense features", "over this task's share of the heap",
            "data.partitions", "raise SPARK_MLP_HEAP");
  }

  @Test
  void aNetworkTooLargeForTheHeapNamesTheKeyAndTheEstimate() throws Exception {
    train(Path.of("src/test/resources/data/breast_cancer.csv").toAbsolutePath(), "csv", "binary",
        "data.train.label-column=label", "network.hidden=[20000000]")
        .failsWithOneLine("640000001 parameters", "GiB of memory", "but the heap holds",
            "reduce network.hidden");
  }

  @Test
  void aHeapTooSmallForSparkNamesTheScriptsHeapVariable() throws Exception {
    trainWithHeap("200m", Path.of("src/test/resources/data/breast_cancer.csv").toAbsolutePath(),
        "csv", "binary", "data.train.label-column=label")
        .failsWithOneLine("the JVM heap (", "is below the 450 MiB Spark needs",
            "raise SPARK_MLP_HEAP");
  }
}
