package io.sparkmlp.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line arguments of one subcommand: positional arguments, {@code --name value} options,
 * boolean flags, and repeated {@code --set key=value} config overrides. Unknown options are errors.
 */
public final class CliArgs {
  private final List<String> positional = new ArrayList<>();
  private final Map<String, String> options = new LinkedHashMap<>();
  private final List<String> overrides = new ArrayList<>();
  private final java.util.Set<String> flags = new java.util.HashSet<>();

  private CliArgs() {}

  /**
   * Parses {@code args}.
   *
   * @param valued  option names that take a value (without the leading dashes)
   * @param boolean flag names
   * @throws IllegalArgumentException naming an unknown option or a missing value
   */
  public static CliArgs parse(String[] args, Set<String> valued, Set<String> booleans) {
    CliArgs a = new CliArgs();
    for (int i = 0; i < args.length; i++) {
      String s = args[i];
      if (s.equals("--set")) {
        if (i + 1 >= args.length || !args[i + 1].contains("=")) {
          throw new IllegalArgumentException("--set needs key=value");
        }
        a.overrides.add(args[++i]);
      } else if (s.startsWith("--set=")) {
        a.overrides.add(s.substring(6));
      } else if (s.startsWith("--")) {
        String name = s.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (booleans.contains(name)) {
          a.flags.add(name);
        } else if (valued.contains(name)) {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            value = args[++i];
          }
          a.options.put(name, value);
        } else {
          throw new UsageException("unknown option --" + name);
        }
      } else {
        a.positional.add(s);
      }
    }
    return a;
  }

  /** Positional arguments in order. */
  public List<String> positional() {
    return positional;
  }

  /** The value of {@code --name}, or null. */
  public String option(String name) {
    return options.get(name);
  }

  /** The value of {@code --name}; an error naming the option if absent. */
  public String required(String name) {
    String v = options.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing required option --" + name);
    }
    return v;
  }

  /** True if the flag {@code --name} was given. */
  public boolean flag(String name) {
    return flags.contains(name);
  }

  /** The {@code --set key=value} overrides, in order. */
  public List<String> overrides() {
    return overrides;
  }
}
