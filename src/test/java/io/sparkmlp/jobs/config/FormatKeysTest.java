package io.sparkmlp.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.jobs.config.DataSource.Format;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each input format declares the input-section keys that apply to it ({@link Format#keys()}), and
 * the configuration refuses every other key, for every format, with one line naming the key and
 * the format.
 */
class FormatKeysTest {
  @TempDir
  Path dir;

  /** A non-default value of every input-section field. */
  private static final Map<String, String> SET = Map.ofEntries(
      Map.entry("labels-path", "l"),
      Map.entry("num-features", "10"),
      Map.entry("label-column", "y"),
      Map.entry("label-columns", "[a, b]"),
      Map.entry("features-column", "f"),
      Map.entry("feature-columns", "[a]"),
      Map.entry("id-columns", "[id]"),
      Map.entry("csv-header", "false"),
      Map.entry("csv-delimiter", "\";\""),
      Map.entry("skip-lines", "1"),
      Map.entry("options", "{ comment = \"#\" }"),
      Map.entry("categorical-columns", "[c]"),
      Map.entry("exclude-columns", "[x]"),
      Map.entry("weight-column", "w"));

  @Test
  void declarations() {
    assertEquals(List.of("path", "format", "num-features"), List.copyOf(Format.LIBSVM.keys()));
    assertEquals(List.of("path", "format", "labels-path"), List.copyOf(Format.IDX.keys()));
    List<String> table = List.of("path", "format", "label-column", "label-columns",
        "feature-columns", "id-columns", "options", "categorical-columns", "exclude-columns",
        "weight-column");
    List<String> csv = new ArrayList<>(table);
    csv.addAll(List.of("csv-header", "csv-delimiter", "skip-lines"));
    assertEquals(csv, List.copyOf(Format.CSV.keys()));
    List<String> parquet = new ArrayList<>(table);
    parquet.add("features-column");
    assertEquals(parquet, List.copyOf(Format.PARQUET.keys()));
    for (Format f : Format.values()) {
      assertTrue(KeyRegistry.SOURCE_FIELDS.containsAll(f.keys()), f + " keys are input fields");
      assertTrue(f.applies("path") && f.applies("format"), f + " has a path and a format");
    }
    assertTrue(Set.copyOf(KeyRegistry.SOURCE_FIELDS).containsAll(SET.keySet()));
  }

  static Stream<Arguments> foreignKeys() {
    List<Arguments> cases = new ArrayList<>();
    for (Format f : Format.values()) {
      for (String field : KeyRegistry.SOURCE_FIELDS) {
        if (!f.applies(field)) {
          cases.add(Arguments.of(f, field));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{1} with {0}")
  @MethodSource("foreignKeys")
  void aKeyTheFormatIgnoresIsOneLineNamingKeyAndFormat(Format format, String field) {
    String own = format == Format.IDX ? ", labels-path = l" : "";
    String text = "task = binary\ndata.train { path = \"data/train\", format = " + format + own
        + ", " + field + " = " + SET.get(field) + " }\n";
    Path file = ConfigFiles.write(dir, "job.conf", text);
    ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(file, List.of()));
    String key = "data.train." + field;
    assertEquals(file + ": " + key + " does not apply to " + format + " input (leave it out)",
        e.getMessage());
    assertEquals(key, e.key());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void programmaticSourcesUseTheSameDeclarations() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DataSource("p", Format.PARQUET, 0, null, List.of(), null, List.of(), List.of(),
            true, ",", null, List.of(), List.of(), Map.of(), 2));
    assertEquals("skipping lines is only for csv input, not parquet", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new DataSource("p", Format.LIBSVM, 0, null, List.of(), null, List.of(), List.of(),
            false, ",", "labels"));
    assertEquals("a labels path is only for idx input, not libsvm", e.getMessage());
  }
}
