package io.sparkmlp.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Ties a code block of README.md to the test that runs it: the lines of a test source between
 * {@code // README:<name>:start} and {@code // README:<name>:end} must be the first
 * {@code ```java} block after a README heading (blank lines and indentation aside).
 */
public final class ReadmeSnippets {
  private ReadmeSnippets() {}

  /**
   * Asserts that the README shows the tested snippet.
   *
   * @param testSource the test's source file, relative to the project root
   * @param name       the marker name ({@code README:<name>:start})
   * @param heading    the README heading the block follows, e.g. {@code ### From Java}
   */
  public static void assertShown(String testSource, String name, String heading)
      throws IOException {
    String source = Files.readString(Path.of(testSource), StandardCharsets.UTF_8);
    String start = "// README:" + name + ":start\n";
    String tested = source.substring(source.indexOf(start) + start.length(),
        source.indexOf("    // README:" + name + ":end"));
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int from = readme.indexOf("```java\n", readme.indexOf(heading)) + "```java\n".length();
    String shown = readme.substring(from, readme.indexOf("```\n", from));
    assertEquals(normalize(shown), normalize(tested), "README's block after '" + heading
        + "' must be the tested snippet (" + testSource + ")");
  }

  private static String normalize(String code) {
    return Arrays.stream(code.split("\n")).map(String::strip).filter(l -> !l.isEmpty())
        .reduce("", (a, b) -> a + b + "\n");
  }
}
