package io.sparkmlp.jobs.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helpers: write HOCON text to a file and load it. */
final class ConfigFiles {
  private ConfigFiles() {}

  /** Keys every minimal job needs. */
  static final String MINIMAL = """
      task = binary
      data.train { path = "data/train.csv", format = csv }
      """;

  /** Writes {@code text} to {@code dir/name}. */
  static Path write(Path dir, String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads {@code text} as the file {@code dir/job.conf}, with {@code overrides}. */
  static JobConfig load(Path dir, String text, String... overrides) {
    return JobConfig.load(write(dir, "job.conf", text), List.of(overrides));
  }
}
