package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.jobs.config.JobConfig;
import io.sparkmlp.trainer.CheckpointSettings;
import io.sparkmlp.trainer.TrainerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint.* keys, and a diverging job: exit 1, one-line message, last checkpoint kept. */
class CheckpointJobTest {
  static final String BREAST_CANCER = "src/test/resources/data/breast_cancer.csv";

  static List<String> base(String... more) {
    List<String> s = new ArrayList<>(List.of("task=binary", "data.train.path=" + BREAST_CANCER,
        "data.train.format=csv", "data.train.label-column=label", "spark.master=local[2]"));
    s.addAll(List.of(more));
    return s;
  }

  @Test
  void checkpointKeysReachTheTrainerConfig() {
    JobConfig cfg = JobConfig.load(null, base("checkpoint.path=/tmp/ck", "checkpoint.every-steps=7",
        "checkpoint.every-epoch=false", "checkpoint.keep=4", "checkpoint.resume=true",
        "checkpoint.force=true"));
    TrainerConfig t = cfg.trainerConfig(cfg.networkSpec(30, 1));
    assertEquals(new CheckpointSettings("/tmp/ck", 7, false, 4, true, true), t.checkpoint());
    JobConfig none = JobConfig.load(null, base());
    assertFalse(none.trainerConfig(none.networkSpec(30, 1)).checkpoint().enabled());
  }

  @Test
  void checkpointKeyConflictsNameTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(null, base("checkpoint.resume=true")));
    assertTrue(e.getMessage().contains("checkpoint.resume = true needs checkpoint.path"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> JobConfig.load(null,
        base("checkpoint.path=/tmp/ck", "checkpoint.every-epoch=false")));
    assertTrue(e.getMessage().contains("no checkpoint would ever be written"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(null, base("checkpoint.keep=0")));
    assertTrue(e.getMessage().contains("checkpoint.keep"), e.getMessage());
  }

  /** Runs {@code spark-mlp train --set ...}; returns {exit code, stdout, stderr}. */
  static Object[] train(List<String> sets) {
    List<String> args = new ArrayList<>(List.of("train"));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(new String[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Object[] {code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void divergenceExitsNonZeroAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
    Path ck = dir.resolve("ck");
    Path model = dir.resolve("model");
    // unscaled features (areas ~1000) and a huge SGD step: the weights blow up after one update
    Object[] r = train(base("data.standardize=false", "data.validation-fraction=0",
        "train.optimizer.type=sgd", "train.optimizer.learning-rate=1e25", "train.epochs=3",
        "train.batch-size=64", "checkpoint.path=" + ck, "checkpoint.every-steps=1",
        "checkpoint.keep=2", "output.model=" + model));
    String err = (String) r[2];
    assertEquals(1, r[0], err);
    assertTrue(err.startsWith("spark-mlp train: training diverged at step "), err);
    assertEquals(1, err.strip().lines().count(), err);
    assertTrue(err.contains("learning rate"), err);
    assertFalse(Files.exists(model), "no model is written");
    if (!err.contains("no checkpoint was written")) {
      assertTrue(err.contains("the last good checkpoint is"), err);
      try (Stream<Path> s = Files.list(ck)) {
        assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("step-")));
      }
    }
  }
}
