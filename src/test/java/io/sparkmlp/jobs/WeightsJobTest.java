package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data.train.weight-column} and {@code train.class-weights} through {@code spark-mlp
 * train} and {@code evaluate}: the weights reach model.json's provenance, the test and evaluate
 * metrics are weighted, and bad weights or class labels are one-line errors.
 */
class WeightsJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A CSV of two features, a cat/dog label (about 20% dog) and a weight column. */
  private static Path csv(Path dir, String name, long seed, String badWeightAtRow5)
      throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder("x1,x2,animal,w\n");
    for (int r = 1; r <= 200; r++) {
      double a = rng.nextGaussian();
      double b = rng.nextGaussian();
      String label = a + 0.5 * b + 0.5 * rng.nextGaussian() > 0.9 ? "dog" : "cat";
      String w = r == 5 && badWeightAtRow5 != null ? badWeightAtRow5
          : label.equals("dog") ? "2" : "1";
      sb.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%s,%s%n", a, b, label, w));
    }
    Path p = dir.resolve(name);
    Files.writeString(p, sb.toString());
    return p;
  }

  private static String[] train(Path data, Path model, String... extra) {
    String[] base = {"train", "--set", "task=binary", "--set", "data.train.path=" + data,
        "--set", "data.train.format=csv", "--set", "data.train.label-column=animal",
        "--set", "data.train.weight-column=w", "--set", "data.test-fraction=0.25",
        "--set", "data.validation-fraction=0", "--set", "network.hidden=[4]",
        "--set", "train.epochs=2", "--set", "train.batch-size=16",
        "--set", "output.model=" + model, "--set", "spark.master=local[2]"};
    String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void weightsReachProvenanceAndTheMetrics(@TempDir Path dir) throws IOException {
    Path data = csv(dir, "animals.csv", 3L, null);
    Path model = dir.resolve("model");
    CliRun run = CliRun.of(train(data, model, "--set", "train.class-weights={dog=3}"));
    assertEquals(0, run.status(), run.err());
    JsonNode json = JSON.readTree(model.resolve("model.json").toFile());
    JsonNode weights = json.path("provenance").path("weights");
    assertEquals("w", weights.path("columns").path("train").asText(), weights.toString());
    assertEquals("explicit", weights.path("class_weights_mode").asText());
    assertEquals(1.0, weights.path("class_weights").path("cat").asDouble());
    assertEquals(3.0, weights.path("class_weights").path("dog").asDouble());
    JsonNode test = json.path("metrics").path("test");
    assertTrue(test.path("weight_sum").asDouble() > test.path("count").asDouble(),
        "dogs weigh 2 in the test metrics: " + test);
    // the weight column is not a feature
    assertFalse(json.path("feature_names").toString().contains("\"w\""),
        json.path("feature_names").toString());

    CliRun eval = CliRun.of("evaluate", "--model", model.toString(), "--input", data.toString(),
        "--master", "local[2]");
    assertEquals(0, eval.status(), eval.err());
    assertTrue(eval.out().contains("\"weight_sum\""), eval.out());
  }

  @Test
  void badWeightsAndUnknownClassesAreOneLineErrors(@TempDir Path dir) throws IOException {
    Path data = csv(dir, "negative.csv", 4L, "-2");
    CliRun run = CliRun.of(train(data, dir.resolve("m1")));
    assertEquals(1, run.status());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains("negative.csv: column 'w' has a negative weight in data row 5 "
        + "'-2' (weights are finite numbers >= 0)"), run.err());
    assertFalse(Files.exists(dir.resolve("m1")), "no model is written");

    Path empty = csv(dir, "missing.csv", 4L, "");
    CliRun missing = CliRun.of(train(empty, dir.resolve("m2")));
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("column 'w' has a missing weight in data row 5"),
        missing.err());

    Path ok = csv(dir, "ok.csv", 4L, null);
    CliRun unknown = CliRun.of(train(ok, dir.resolve("m3"), "--set",
        "train.class-weights={bird=2}"));
    assertEquals(1, unknown.status());
    assertTrue(unknown.err().contains("train.class-weights names class 'bird', which is not one "
        + "of the classes [cat, dog]"), unknown.err());

    CliRun regression = CliRun.of(train(ok, dir.resolve("m4"), "--set", "task=regression",
        "--set", "data.train.label-column=x2", "--set", "train.class-weights=balanced"));
    assertEquals(1, regression.status());
    assertTrue(regression.err().contains(
        "train.class-weights is for the binary and multiclass tasks, not regression"),
        regression.err());
  }
}
