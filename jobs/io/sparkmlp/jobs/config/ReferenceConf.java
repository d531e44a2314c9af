package io.sparkmlp.jobs.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders {@link KeyRegistry} as {@code conf/reference.conf}: a valid HOCON file with every key,
 * its description, type, allowed values and default, nested in its sections. Keys without a
 * default are shown commented out with an example value. The file is generated: a test fails when
 * it and the registry disagree; regenerate it with {@link #main}.
 */
public final class ReferenceConf {
  private ReferenceConf() {}

  /** Location of the reference file, relative to the project root. */
  public static final String PATH = "conf/reference.conf";

  private static final int WIDTH = 100;
  private static final String INDENT = "  ";

  private static final String HEADER = """
      spark-mlp job configuration reference: every key, with its meaning, allowed values and \
      default.

      GENERATED from io.sparkmlp.jobs.config.KeyRegistry: do not edit by hand. After changing the \
      registry, regenerate with "java -cp <classpath> io.sparkmlp.jobs.config.ReferenceConf" \
      (ReferenceConfTest fails until this file matches and writes the expected text to \
      target/reference.conf).

      A job reads one HOCON file (optional) plus command-line overrides "--set key=value", \
      resolved over these defaults; overrides win over the file. Override values are HOCON \
      (--set train.epochs=5, --set network.hidden=[64,32]), except for string keys, which are \
      taken literally (--set spark.master=local[*]). Setting a key to null unsets it (its default \
      applies), e.g. --set network.hidden=null to use network.layers from the command line. \
      Substitutions such as ${?DATA_DIR} (an environment variable) are resolved. Unknown keys, \
      wrong types, out-of-range values and incompatible combinations are errors naming the key. \
      Strings must not be empty.

      Keys shown commented out have no default: they are required, or optional as stated.""";

  /** The reference file text. */
  public static String render() {
    List<String> out = new ArrayList<>();
    for (String para : HEADER.split("\n\n")) {
      comment(out, "", para);
      out.add("#");
    }
    out.remove(out.size() - 1);
    List<String> open = new ArrayList<>();
    for (ConfigKey k : KeyRegistry.keys()) {
      List<String> target = k.section().isEmpty() ? List.of() : List.of(k.section().split("\\."));
      int common = 0;
      while (common < open.size() && common < target.size()
          && open.get(common).equals(target.get(common))) {
        common++;
      }
      while (open.size() > common) {
        open.remove(open.size() - 1);
        out.add(INDENT.repeat(open.size()) + "}");
      }
      while (open.size() < target.size()) {
        String name = target.get(open.size());
        open.add(name);
        String indent = INDENT.repeat(open.size() - 1);
        out.add("");
        comment(out, indent, KeyRegistry.sections().get(String.join(".", open)));
        out.add(indent + name + " {");
      }
      key(out, INDENT.repeat(open.size()), k);
    }
    while (!open.isEmpty()) {
      open.remove(open.size() - 1);
      out.add(INDENT.repeat(open.size()) + "}");
    }
    return String.join("\n", out) + "\n";
  }

  private static void key(List<String> out, String indent, ConfigKey k) {
    out.add("");
    comment(out, indent, k.description());
    StringBuilder facts = new StringBuilder("Type: ").append(k.type().label());
    if (!k.allowed().isEmpty()) {
      facts.append(", ").append(k.allowed());
    }
    facts.append(". ").append(switch (k.presence()) {
      case REQUIRED -> "Required.";
      case DEFAULTED -> "Default: " + k.defaultText() + ".";
      case OPTIONAL -> "Optional; not set: " + k.absent() + ".";
    });
    comment(out, indent, facts.toString());
    if (k.presence() == ConfigKey.Presence.DEFAULTED) {
      out.add(indent + k.name() + " = " + k.defaultText());
    } else if (k.example() != null) {
      out.add(indent + "# " + k.name() + " = " + k.example());
    }
  }

  /** Appends {@code text} as {@code #} comment lines wrapped at {@link #WIDTH} columns. */
  private static void comment(List<String> out, String indent, String text) {
    String prefix = indent + "# ";
    StringBuilder line = new StringBuilder(prefix);
    for (String word : text.trim().split("\\s+")) {
      if (line.length() > prefix.length() && line.length() + 1 + word.length() > WIDTH) {
        out.add(line.toString());
        line = new StringBuilder(prefix);
      }
      if (line.length() > prefix.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    out.add(line.toString());
  }

  /**
   * Writes the reference file.
   *
   * @param args optional target path; default {@value #PATH}
   */
  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : PATH);
    Files.writeString(target, render(), StandardCharsets.UTF_8);
    System.out.println("wrote " + target);
  }
}
