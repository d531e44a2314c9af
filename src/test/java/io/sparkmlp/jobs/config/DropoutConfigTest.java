package io.sparkmlp.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.model.LayerSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code network.dropout} and the per-layer {@code dropout} of {@code network.layers}: defaults,
 * overrides, and one-line errors naming the key.
 */
class DropoutConfigTest {
  private static final String BASE = ConfigFiles.MINIMAL;

  @TempDir
  Path dir;

  private static List<Double> rates(JobConfig c) {
    return c.network().hidden().stream().map(LayerSpec::dropout).toList();
  }

  @Test
  void defaultIsNoDropout() {
    JobConfig c = ConfigFiles.load(dir, BASE);
    assertEquals(List.of(0.0, 0.0), rates(c));
    assertFalse(c.networkSpec(10, 1).hasDropout());
  }

  @Test
  void networkDropoutAppliesToEveryHiddenLayer() {
    JobConfig c = ConfigFiles.load(dir, BASE + "network { hidden = [16, 8], dropout = 0.2 }\n");
    assertEquals(List.of(0.2, 0.2), rates(c));
    assertEquals("10-16(relu, dropout 0.2)-8(relu, dropout 0.2)-1(sigmoid) binary",
        c.networkSpec(10, 1).describe());
    assertEquals(List.of(0.5, 0.5), rates(ConfigFiles.load(dir, BASE + "network.dropout = 0.2\n",
        "network.dropout=0.5")));
  }

  @Test
  void aLayerObjectOverridesTheNetworkRate() {
    JobConfig c = ConfigFiles.load(dir, BASE + "network { hidden = null, dropout = 0.1\n"
        + "  layers = [{width = 16, dropout = 0.5}, {width = 8}, {width = 4, dropout = 0}] }\n");
    assertEquals(List.of(0.5, 0.1, 0.0), rates(c));
  }

  private void assertError(String text, List<String> overrides, String key, String message) {
    Path file = ConfigFiles.write(dir, "job.conf", BASE + text);
    ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(file, overrides));
    assertEquals(key, e.key());
    assertEquals((overrides.isEmpty() ? file.toString() : "--set") + ": " + message,
        e.getMessage());
  }

  @Test
  void ratesOutsideZeroToOneAreRejectedNamingTheKey() {
    assertError("network.dropout = 1\n", List.of(), "network.dropout",
        "network.dropout must be in [0, 1), got 1");
    assertError("network.dropout = -0.1\n", List.of(), "network.dropout",
        "network.dropout must be in [0, 1), got -0.1");
    assertError("", List.of("network.dropout=1.5"), "network.dropout",
        "network.dropout must be in [0, 1), got 1.5");
    assertError("network { hidden = null, layers = [{width = 8}, {width = 4, dropout = 1.0}] }\n",
        List.of(), "network.layers[1].dropout",
        "network.layers[1].dropout must be in [0, 1), got 1");
    assertError("network { hidden = null, layers = [{width = 8, dropout = lots}] }\n", List.of(),
        "network.layers[0].dropout",
        "network.layers[0].dropout must be a finite number, got string \"lots\"");
    assertError("network { hidden = null, layers = [{width = 8, droput = 0.2}] }\n", List.of(),
        "network.layers[0].droput",
        "unknown key network.layers[0].droput; did you mean network.layers[0].dropout?");
  }

  @Test
  void dropoutWithoutHiddenLayersIsRejected() {
    // the output layer never drops: a network without hidden layers has nowhere to apply it
    assertError("network { hidden = [], dropout = 0.2 }\n", List.of(), "network.dropout",
        "network.dropout = 0.2 needs hidden layers: dropout applies to hidden layers only, never "
            + "to the output layer (the network has none)");
    assertEquals(List.of(), rates(ConfigFiles.load(dir, BASE + "network.hidden = []\n")));
  }
}
