package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train.transfer-precision} through {@code spark-mlp train}: a bfloat16 run trains and
 * records the setting in model.json's configuration; with local SGD it is a one-line error and no
 * model is written.
 */
class TransferPrecisionJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path csv(Path dir) throws IOException {
    SplittableRandom rng = new SplittableRandom(5L);
    StringBuilder sb = new StringBuilder("x1,x2,y\n");
    for (int r = 0; r < 200; r++) {
      double a = rng.nextGaussian();
      double b = rng.nextGaussian();
      sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%d%n", a, b, a - b > 0 ? 1 : 0));
    }
    Path p = dir.resolve("xy.csv");
    Files.writeString(p, sb.toString());
    return p;
  }

  private static CliRun train(Path data, Path model, String... extra) {
    String[] base = {"train", "--set", "task=binary", "--set", "data.train.path=" + data,
        "--set", "data.train.format=csv", "--set", "data.train.label-column=y",
        "--set", "data.validation-fraction=0.25", "--set", "network.hidden=[4]",
        "--set", "train.epochs=2", "--set", "train.batch-size=16",
        "--set", "output.model=" + model, "--set", "spark.master=local[2]"};
    String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return CliRun.of(all);
  }

  @Test
  void bfloat16RunRecordsTheSettingInModelJson(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("model");
    CliRun run = train(csv(dir), model, "--set", "train.transfer-precision=bfloat16");
    assertEquals(0, run.status(), run.err());
    JsonNode json = JSON.readTree(model.resolve("model.json").toFile());
    assertEquals("bfloat16",
        json.path("config").path("train").path("transfer-precision").asText(),
        json.path("config").path("train").toString());
  }

  @Test
  void bfloat16WithLocalSgdIsAOneLineError(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("model");
    CliRun run = train(csv(dir), model, "--set", "train.transfer-precision=bfloat16",
        "--set", "train.sync-every=4");
    assertEquals(1, run.status(), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains("train.transfer-precision = bfloat16 needs train.sync-every = 1,"
        + " got 4"), run.err());
    assertFalse(Files.exists(model), "no model is written");
  }
}
