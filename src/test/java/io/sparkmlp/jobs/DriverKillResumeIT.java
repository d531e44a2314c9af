package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Driver loss: a training driver (a separate JVM running the spark-mlp command line in local[2],
 * as {@code scripts/spark-mlp} does) is killed with SIGKILL once its first checkpoint exists;
 * rerunning the same command with {@code checkpoint.resume=true} finishes with weights bitwise
 * identical to an uninterrupted run. An integration test (failsafe, {@code mvn verify}): it starts
 * three driver JVMs.
 */
class DriverKillResumeIT {

  /** The driver command: java with Spark's module options, the test classpath, and Main. */
  private static ProcessBuilder driver(Path log, List<String> sets) {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c",
        "source scripts/common.sh && exec java -Xmx1g \"${SPARK_JAVA_OPTS[@]}\" "
            + "-Dlog4j.configurationFile=conf/log4j2.properties -Dspark.mlp.local=true "
            + "-cp \"$TEST_CP\" io.sparkmlp.jobs.Main \"$@\"", "spark-mlp", "train",
        "conf/examples/breast-cancer.conf"));
    for (String s : sets) {
      cmd.add("--set");
      cmd.add(s);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("TEST_CP", System.getProperty("java.class.path"));
    return pb;
  }

  private static List<String> sets(Path model, Path ck, boolean resume) {
    List<String> s = new ArrayList<>(List.of("spark.master=local[2]", "data.partitions=2",
        "train.epochs=4", "output.model=" + model));
    if (ck != null) {
      s.addAll(List.of("checkpoint.path=" + ck, "checkpoint.every-steps=3",
          "checkpoint.resume=" + resume));
    }
    return s;
  }

  private static void runToEnd(ProcessBuilder pb, Path log) throws Exception {
    Process p = pb.start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "driver did not finish");
    assertEquals(0, p.exitValue(), Files.readString(log));
  }

  private static boolean hasCheckpoint(Path ck) throws Exception {
    if (!Files.isDirectory(ck)) {
      return false;
    }
    try (Stream<Path> s = Files.list(ck)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith("step-"));
    }
  }

  @Test
  void killedDriverResumesToTheSameModel(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("driver.log");
    Path ck = dir.resolve("ck");

    Process victim = driver(log, sets(dir.resolve("killed"), ck, false)).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!hasCheckpoint(ck) && victim.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(victim.isAlive(), "the driver ended before it could be killed:\n"
        + Files.readString(log));
    victim.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
    victim.waitFor(1, TimeUnit.MINUTES);
    assertTrue(hasCheckpoint(ck), "a checkpoint was written before the kill");
    assertTrue(Files.notExists(dir.resolve("killed")), "the killed driver saved no model");

    Path resumed = dir.resolve("resumed");
    runToEnd(driver(log, sets(resumed, ck, true)), log);
    String json = Files.readString(resumed.resolve("model.json"));
    assertTrue(json.contains("resumed.from"), "the rerun resumed from a checkpoint:\n" + json);

    Path reference = dir.resolve("reference");
    runToEnd(driver(log, sets(reference, null, false)), log);
    assertArrayEquals(Files.readAllBytes(reference.resolve("weights.safetensors")),
        Files.readAllBytes(resumed.resolve("weights.safetensors")),
        "resumed weights are bitwise identical to the uninterrupted run's");
  }

  static {
    // the driver command runs scripts/common.sh relative to the project root
    assertTrue(new File("scripts/common.sh").isFile(), "run from the project root");
  }
}
