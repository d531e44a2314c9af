package io.sparkmlp.trainer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files saved with a model (the HTML report) and the model.json tree tools render from. */
class ModelDirectoryExtraFilesTest {
  private static final Configuration CONF = new Configuration();

  @TempDir
  Path tmp;

  private static List<String> listing(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void extraFilesAppearWithTheModelAndReplaceTheOldOnes() throws Exception {
    Path m = tmp.resolve("m");
    byte[] page = "<html>1</html>".getBytes(StandardCharsets.UTF_8);
    ModelDirectory.save(ModelDirectoryTest.fullModel(1), m.toString(), false, CONF,
        Map.of("report.html", page));
    assertEquals(List.of("m"), listing(tmp), "no temporary directory is left");
    assertEquals(List.of("model.json", "report.html", "weights.safetensors"), listing(m));
    assertArrayEquals(page, Files.readAllBytes(m.resolve("report.html")));
    ModelDirectory.load(m.toString(), CONF);

    ModelDirectory.save(ModelDirectoryTest.fullModel(2), m.toString(), true, CONF);
    assertEquals(List.of("model.json", "weights.safetensors"), listing(m),
        "a replaced model takes its files with it");
  }

  @Test
  void extraFileNamesMustBePlainAndNew() {
    for (String bad : List.of("model.json", "weights.safetensors", "a/b.html", ".hidden", "")) {
      assertThrows(IllegalArgumentException.class, () -> ModelDirectory.save(
          ModelDirectoryTest.fullModel(1), tmp.resolve("m").toString(), false, CONF,
          Map.of(bad, new byte[0])), bad);
    }
  }

  @Test
  void modelJsonIsTheTreeSaveWrites() throws Exception {
    SavedModel model = ModelDirectoryTest.fullModel(3);
    Path m = tmp.resolve("m");
    ModelDirectory.save(model, m.toString(), false, CONF);
    assertEquals(new ObjectMapper().readTree(m.resolve("model.json").toFile()),
        ModelDirectory.modelJson(model));
  }
}
