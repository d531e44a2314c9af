package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executor loss on a genuine two-worker standalone cluster: one executor JVM is killed (SIGKILL, by
 * pid) in the middle of training. Spark re-runs its tasks and recomputes its cached blocks from the
 * lineage; the job completes and the model is bitwise identical to an undisturbed run.
 */
class ExecutorLossIT {
  private static ClusterScripts cluster;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = SharedCluster.get();
  }

  private static String[] train(Path model, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("submit", "io.sparkmlp.jobs.Main",
        "train", "conf/examples/binary-a9a.conf", "--set", "output.model=" + model,
        "--set", "data.test=null", "--set", "train.epochs=2",
        "--set", "train.early-stopping.patience=0", "--set", "data.partitions=4"));
    args.addAll(List.of(extra));
    return args.toArray(new String[0]);
  }

  @Test
  void killingAnExecutorMidTrainingLeavesTheModelUnchanged() throws Exception {
    killMidTraining("sync");
  }

  /**
   * Local SGD on 2 partitions, one per worker: the rounds go over the direct socket exchange
   * ({@code train.round-transport = auto}), and the lost executor's socket ends it; the rounds
   * from there on go through Spark jobs, with the undisturbed run's bits.
   */
  @Test
  void killingAnExecutorDuringDirectRoundsLeavesTheModelUnchanged() throws Exception {
    String out = killMidTraining("local", "--set", "data.partitions=2",
        "--set", "train.sync-every=8");
    assertTrue(out.contains("direct round exchange listening"),
        "the 2-partition local-SGD run should use the direct round exchange:\n" + out);
    // where the kill met the exchange (mid-epoch: a fallback; between epochs: a late retry or a
    // rendezvous with the relaunched executor), for the test report
    out.lines().filter(l -> l.contains("DirectRounds") || l.contains("Lost executor"))
        .forEach(System.out::println);
  }

  /** Trains undisturbed, then again killing an executor after epoch 1; returns the second log. */
  private static String killMidTraining(String name, String... extra) throws Exception {
    Path reference = tmp.resolve(name + "-reference");
    ClusterScripts.Result undisturbed = cluster.run(train(reference, extra));
    assertEquals(0, undisturbed.status(), "reference run failed:\n" + undisturbed.output());

    Path disturbed = tmp.resolve(name + "-disturbed");
    Path log = tmp.resolve(name + "-disturbed.log");
    Process p = cluster.start(log, train(disturbed, extra));
    long killed = -1;
    long deadline = System.currentTimeMillis() + 10 * 60_000;
    while (p.isAlive() && System.currentTimeMillis() < deadline) {
      String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      if (out.contains("epoch 1/2")) {
        Optional<ProcessHandle> executor = ProcessHandle.allProcesses()
            .filter(h -> h.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend")
                && c.contains(cluster.clusterDir())).orElse(false))
            .findFirst();
        if (executor.isPresent()) {
          killed = executor.get().pid();
          executor.get().destroyForcibly();
          break;
        }
      }
      Thread.sleep(100);
    }
    assertTrue(killed > 0, "no executor was killed (training ended before epoch 1 was logged?)");
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "disturbed run did not finish");
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "the job must survive the loss of executor " + killed + ":\n"
        + out);
    assertTrue(out.contains("Lost executor") || out.contains("lost executor")
        || out.contains("ExecutorLost"), "Spark should have noticed the loss:\n" + out);
    assertArrayEquals(Files.readAllBytes(reference.resolve("weights.safetensors")),
        Files.readAllBytes(disturbed.resolve("weights.safetensors")),
        "weights after an executor loss must equal the undisturbed run's, bit for bit");
    assertTrue(List.of(out.split("\n")).stream().anyMatch(l -> l.contains("epoch 2/2")));
    return out;
  }
}
