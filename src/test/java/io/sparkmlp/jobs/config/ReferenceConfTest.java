package io.sparkmlp.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** conf/reference.conf is exactly what the registry renders, and is itself a valid config. */
class ReferenceConfTest {
  private static final Path REFERENCE = Path.of(ReferenceConf.PATH);
  private static final List<String> REQUIRED =
      List.of("task=binary", "data.train.path=x.csv", "data.train.format=csv");

  @Test
  void referenceFileMatchesTheRegistry() throws IOException {
    String expected = ReferenceConf.render();
    String actual = Files.readString(REFERENCE, StandardCharsets.UTF_8);
    if (!expected.equals(actual)) {
      Path out = Path.of("target/reference.conf");
      Files.createDirectories(out.getParent());
      Files.writeString(out, expected, StandardCharsets.UTF_8);
      fail(REFERENCE + " is out of date with KeyRegistry: the expected text is in " + out
          + "; copy it over " + REFERENCE + " (cp " + out + " " + REFERENCE + ")");
    }
  }

  @Test
  void referenceValuesAreTheDefaults() {
    JobConfig fromReference = JobConfig.load(REFERENCE, REQUIRED);
    JobConfig fromDefaults = JobConfig.load(null, REQUIRED);
    assertEquals(fromDefaults, fromReference);
  }

  @Test
  void everyKeyIsDocumented() {
    String text = ReferenceConf.render();
    for (ConfigKey k : KeyRegistry.keys()) {
      assertFalse(k.description().isBlank(), k.path());
      String line = k.name() + " = ";
      assertTrue(text.contains(line), k.path() + " is not listed");
    }
    for (String section : KeyRegistry.sections().keySet()) {
      assertFalse(KeyRegistry.sections().get(section).isBlank(), section);
    }
  }

  @Test
  void sourceSectionsShareTheirFields() {
    for (String section : KeyRegistry.SOURCE_SECTIONS) {
      assertEquals(KeyRegistry.SOURCE_FIELDS, KeyRegistry.children(section), section);
    }
  }
}
