package io.sparkmlp.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell commands shown in README.md, as a user would copy them: the lines of its {@code ```bash}
 * blocks with backslash continuations joined, comments and blank lines dropped. The end-to-end tests
 * run these strings, so a command edited in the README is the command tested.
 */
final class Readme {
  private Readme() {}

  /** README.md of the project (tests run from the project root). */
  static final Path FILE = Path.of("README.md");

  /** Every command of every bash block, in README order. */
  static List<String> commands() {
    return commands(read());
  }

  /** The commands of the bash blocks of the section headed {@code heading} (e.g. "## Quick start"). */
  static List<String> commandsInSection(String heading) {
    String text = read();
    int start = text.indexOf("\n" + heading + "\n");
    if (start < 0) {
      throw new AssertionError("README.md has no section '" + heading + "'");
    }
    int next = text.indexOf("\n## ", start + heading.length() + 1);
    return commands(text.substring(start, next < 0 ? text.length() : next));
  }

  /** Commands of the bash blocks in {@code markdown}. */
  static List<String> commands(String markdown) {
    List<String> out = new ArrayList<>();
    boolean inBash = false;
    StringBuilder pending = new StringBuilder();
    for (String raw : markdown.split("\n", -1)) {
      String line = raw.strip();
      if (line.startsWith("```")) {
        inBash = !inBash && line.equals("```bash");
        continue;
      }
      if (!inBash) {
        continue;
      }
      if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      int hash = line.indexOf(" #");
      if (hash >= 0) {
        line = line.substring(0, hash).strip();
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      pending.append(line);
      out.add(pending.toString().replaceAll("\\s+", " ").strip());
      pending.setLength(0);
    }
    return out;
  }

  private static String read() {
    try {
      return Files.readString(FILE, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("run the tests from the project root", e);
    }
  }
}
