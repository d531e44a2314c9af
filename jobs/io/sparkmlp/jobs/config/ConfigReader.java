package io.sparkmlp.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Validated, typed access to a resolved configuration: every read checks the value against its
 * {@link ConfigKey} (type, range, choices, presence) and falls back to the key's default. Errors
 * are {@link ConfigError}s that name the key and the origin of the offending value.
 *
 * <p>A key set to {@code null} counts as not set (its default, if any, applies).
 */
final class ConfigReader {
  private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();
  private static final int MAX_SHOWN = 60;

  private final Config config;
  private final String file;

  /**
   * A reader over {@code resolved}.
   *
   * @param resolved the merged and resolved configuration, defaults included
   * @param file     name of the config file, used as origin of errors not tied to one value; null if
   *                 none
   */
  ConfigReader(Config resolved, String file) {
    this.config = resolved;
    this.file = file;
  }

  /** The resolved configuration, defaults included. */
  Config config() {
    return config;
  }

  /** The config file name, or null. */
  String file() {
    return file;
  }

  // ------------------------------------------------------------------------------------------
  // Presence and origin

  /** The value at {@code path}, possibly a null value, or null if absent. */
  ConfigValue valueAt(String path) {
    ConfigValue v = config.root();
    List<String> elements;
    try {
      elements = ConfigUtil.splitPath(path);
    } catch (ConfigException e) {
      return null;
    }
    for (String e : elements) {
      if (!(v instanceof ConfigObject o)) {
        return null;
      }
      v = o.get(e);
      if (v == null) {
        return null;
      }
    }
    return v;
  }

  /** True if {@code path} holds a value that is not null (defaults count). */
  boolean isSet(String path) {
    ConfigValue v = valueAt(path);
    return v != null && v.valueType() != ConfigValueType.NULL;
  }

  /** True if {@code path} is set by the file or an override, not by the defaults. */
  boolean isExplicit(String path) {
    return isSet(path)
        && !valueAt(path).origin().description().startsWith(ConfigLoader.DEFAULTS_ORIGIN);
  }

  /**
   * True if {@code path} is set explicitly to a value other than {@code value}. Used for keys that
   * must not be customized in some combination, so that a copy of the reference file (which
   * spells out every default) stays valid.
   */
  boolean isExplicitOtherThan(String path, Object value) {
    return isExplicit(path) && !Objects.equals(read(KeyRegistry.get(path)), value);
  }

  /**
   * Where the value at {@code path} comes from, for error messages: its file, {@code --set}, or the
   * config file name when the value is a default or absent (null when there is no file). For a list
   * element such as {@code network.hidden[1]} it is the origin of the list.
   */
  String origin(String path) {
    int bracket = path.indexOf('[');
    ConfigValue v = valueAt(bracket < 0 ? path : path.substring(0, bracket));
    return v == null ? file : label(v.origin());
  }

  private String label(ConfigOrigin o) {
    String d = o.description();
    if (d.startsWith(ConfigLoader.OVERRIDE_ORIGIN)) {
      return ConfigLoader.OVERRIDE_ORIGIN;
    }
    if (d.startsWith(ConfigLoader.DEFAULTS_ORIGIN)) {
      return file;
    }
    return o.filename() != null ? o.filename() : file;
  }

  /** An error about {@code path}; {@code problem} is the whole message and names the key. */
  ConfigError error(String path, String problem) {
    return new ConfigError(origin(path), path, problem);
  }

  /** An error reading {@code "<path> <rest>"}, e.g. {@code fail("x", "must be > 0, got -1")}. */
  ConfigError fail(String path, String rest) {
    return error(path, path + " " + rest);
  }

  /**
   * An error about a combination of keys: the origin is that of the first key set explicitly (the
   * file name if none is).
   */
  ConfigError conflict(List<String> paths, String problem) {
    for (String p : paths) {
      if (isExplicit(p)) {
        return new ConfigError(origin(p), p, problem);
      }
    }
    return new ConfigError(file, paths.isEmpty() ? null : paths.get(0), problem);
  }

  // ------------------------------------------------------------------------------------------
  // Unknown keys

  /**
   * Rejects any key that is not in the registry (with the closest known key as a suggestion), and
   * any non-object value where a section is expected.
   *
   * @throws ConfigError for the first offending key, in sorted order
   */
  void checkKnownKeys() {
    walk(config.root(), new ArrayList<>());
  }

  private void walk(ConfigObject obj, List<String> prefix) {
    for (String name : new TreeSet<>(obj.keySet())) {
      ConfigValue v = obj.get(name);
      List<String> elements = new ArrayList<>(prefix);
      elements.add(name);
      String dotted = String.join(".", elements);
      if (name.contains(".")) {
        throw new ConfigError(label(v.origin()), dotted, "unknown key " + ConfigUtil.joinPath(elements)
            + " (a quoted key containing dots)" + KeyRegistry.suggest(dotted)
                .map(s -> "; did you mean " + s + " without quotes?").orElse(""));
      }
      if (KeyRegistry.find(dotted).isPresent()) {
        continue;
      }
      if (KeyRegistry.isSection(dotted)) {
        if (v instanceof ConfigObject child) {
          walk(child, elements);
        } else if (v.valueType() != ConfigValueType.NULL) {
          throw new ConfigError(label(v.origin()), dotted, dotted + " must be an object with keys "
              + String.join(", ", KeyRegistry.children(dotted)) + ", got " + describe(v));
        }
        continue;
      }
      throw new ConfigError(label(v.origin()), dotted, unknownKey(dotted));
    }
  }

  /** {@code unknown key <path>} with the closest known key or the keys of the enclosing section. */
  static String unknownKey(String path) {
    Optional<String> suggestion = KeyRegistry.suggest(path);
    if (suggestion.isPresent()) {
      return "unknown key " + path + "; did you mean " + suggestion.get() + "?";
    }
    String section = path;
    do {
      int dot = section.lastIndexOf('.');
      section = dot < 0 ? "" : section.substring(0, dot);
    } while (!section.isEmpty() && !KeyRegistry.isSection(section));
    return "unknown key " + path + "; known keys " + (section.isEmpty() ? "" : "in " + section + " ")
        + "are " + String.join(", ", KeyRegistry.children(section));
  }

  // ------------------------------------------------------------------------------------------
  // Typed reads of registry keys

  /** A STRING or CHOICE key (a CHOICE in its canonical spelling); null if optional and not set. */
  String string(String path) {
    return (String) read(KeyRegistry.get(path));
  }

  /** An INT key. */
  int integer(String path) {
    return (Integer) read(KeyRegistry.get(path));
  }

  /** A LONG key. */
  long longInteger(String path) {
    return (Long) read(KeyRegistry.get(path));
  }

  /** A DOUBLE key; null if optional and not set. */
  Double number(String path) {
    return (Double) read(KeyRegistry.get(path));
  }

  /** A BOOLEAN key. */
  boolean bool(String path) {
    return (Boolean) read(KeyRegistry.get(path));
  }

  /** A STRING_LIST key. */
  @SuppressWarnings("unchecked")
  List<String> strings(String path) {
    return (List<String>) read(KeyRegistry.get(path));
  }

  /** An INT_LIST key. */
  @SuppressWarnings("unchecked")
  List<Integer> integers(String path) {
    return (List<Integer>) read(KeyRegistry.get(path));
  }

  /** A LAYER_LIST key, as the raw list (elements are checked by the caller); null if not set. */
  ConfigList list(String path) {
    return (ConfigList) read(KeyRegistry.get(path));
  }

  /**
   * A CLASS_WEIGHTS key: the string {@code "balanced"}, a {@code Map<String, Double>} by class
   * label, or null when not set.
   */
  Object classWeights(String path) {
    return read(KeyRegistry.get(path));
  }

  /** A STRING_MAP key, nested objects flattened to dotted keys, sorted by key. */
  @SuppressWarnings("unchecked")
  Map<String, String> stringMap(String path) {
    return (Map<String, String>) read(KeyRegistry.get(path));
  }

  /**
   * The validated value of {@code k}: its default if not set, null if optional and not set.
   *
   * @throws ConfigError if required and not set, or of the wrong type, out of range or not one of
   *     the choices
   */
  Object read(ConfigKey k) {
    String path = k.path();
    ConfigValue v = valueAt(path);
    if (v == null || v.valueType() == ConfigValueType.NULL) {
      return switch (k.presence()) {
        case REQUIRED -> throw fail(path, "is required" + (k.type() == ConfigKey.Type.CHOICE
            ? " (" + k.allowed() + ")" : k.example() != null ? " (e.g. " + k.example() + ")" : ""));
        case DEFAULTED -> k.defaultValue();
        case OPTIONAL -> null;
      };
    }
    return switch (k.type()) {
      case STRING -> toString(path, v);
      case CHOICE -> toChoice(path, v, k.choices());
      case INT -> (int) checkRange(path, toLong(path, v, Integer.MIN_VALUE, Integer.MAX_VALUE),
          k.range());
      case LONG -> checkRange(path, toLong(path, v, Long.MIN_VALUE, Long.MAX_VALUE), k.range());
      case DOUBLE -> toDouble(path, v, k.range());
      case BOOLEAN -> toBoolean(path, v);
      case STRING_LIST -> toStringList(path, v);
      case INT_LIST -> toIntList(path, v, k.range());
      case LAYER_LIST -> toList(path, v, "a list of objects, e.g. " + k.example());
      case STRING_MAP -> toStringMap(path, v);
      case CLASS_WEIGHTS -> toClassWeights(path, v);
    };
  }

  /**
   * The string {@code "balanced"}, or the weights of an object of class label = number &gt;= 0
   * (nested keys flattened to dotted labels, sorted by label).
   */
  private Object toClassWeights(String path, ConfigValue v) {
    if (v.valueType() == ConfigValueType.STRING) {
      if (((String) v.unwrapped()).trim().equalsIgnoreCase("balanced")) {
        return "balanced";
      }
      throw fail(path, "must be balanced or an object of class label = weight, e.g. "
          + "{ \"0\" = 1.0, \"1\" = 5.0 }; got " + describe(v));
    }
    if (!(v instanceof ConfigObject obj)) {
      throw fail(path, "must be balanced or an object of class label = weight, got "
          + describe(v));
    }
    Map<String, String> text = new TreeMap<>();
    flatten(path, obj, "", text);
    if (text.isEmpty()) {
      throw fail(path, "is an empty object; give a weight per class, or leave it out");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : text.entrySet()) {
      String p = path + "." + ConfigUtil.quoteString(e.getKey());
      double d;
      try {
        d = Double.parseDouble(e.getValue());
      } catch (NumberFormatException ex) {
        throw fail(p, "must be a number >= 0, got '" + e.getValue() + "'");
      }
      if (!Double.isFinite(d) || d < 0) {
        throw fail(p, "must be a finite number >= 0, got " + e.getValue());
      }
      out.put(e.getKey(), d);
    }
    return Collections.unmodifiableMap(out);
  }

  // ------------------------------------------------------------------------------------------
  // Conversions, also used for values that are not registry keys (list elements)

  /** A non-empty string; numbers and booleans are read as their text. */
  String toString(String path, ConfigValue v) {
    String s = switch (v.valueType()) {
      case STRING -> (String) v.unwrapped();
      case NUMBER, BOOLEAN -> v.render();
      default -> throw fail(path, "must be a string, got " + describe(v));
    };
    if (s.isEmpty()) {
      throw fail(path, "must not be empty");
    }
    return s;
  }

  private String toChoice(String path, ConfigValue v, List<String> choices) {
    String s = toString(path, v).trim();
    for (String c : choices) {
      if (c.equalsIgnoreCase(s)) {
        return c;
      }
    }
    Optional<String> close = KeyRegistry.closest(s.toLowerCase(Locale.ROOT),
        choices.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList());
    throw fail(path, "must be one of " + String.join(", ", choices) + ", got '" + s + "'"
        + close.map(c -> "; did you mean " + c + "?").orElse(""));
  }

  /** An integer within [min, max]; integral numbers such as 5.0 and numeric strings are accepted. */
  long toLong(String path, ConfigValue v, long min, long max) {
    Long n = null;
    if (v.valueType() == ConfigValueType.NUMBER) {
      Number x = (Number) v.unwrapped();
      if (x instanceof Integer || x instanceof Long) {
        n = x.longValue();
      } else if (x.doubleValue() == Math.rint(x.doubleValue()) && Math.abs(x.doubleValue()) < 9e18) {
        n = (long) x.doubleValue();
      }
    } else if (v.valueType() == ConfigValueType.STRING) {
      try {
        n = Long.parseLong(((String) v.unwrapped()).trim());
      } catch (NumberFormatException e) {
        n = null;
      }
    }
    if (n == null || n < min || n > max) {
      throw fail(path, "must be an integer, got " + describe(v));
    }
    return n;
  }

  /** {@code n} if within {@code r} (null: any). */
  long checkRange(String path, long n, ValueRange r) {
    if (r != null && !r.contains(n)) {
      throw fail(path, "must be " + r.describe() + ", got " + n);
    }
    return n;
  }

  /** A finite number within {@code range} (if not null); numeric strings are accepted. */
  double toDouble(String path, ConfigValue v, ValueRange range) {
    Double d = null;
    if (v.valueType() == ConfigValueType.NUMBER) {
      d = ((Number) v.unwrapped()).doubleValue();
    } else if (v.valueType() == ConfigValueType.STRING) {
      try {
        d = Double.parseDouble(((String) v.unwrapped()).trim());
      } catch (NumberFormatException e) {
        d = null;
      }
    }
    if (d == null || !Double.isFinite(d)) {
      throw fail(path, "must be a finite number, got " + describe(v));
    }
    if (range != null && !range.contains(d)) {
      throw fail(path, "must be " + range.describe() + ", got " + ValueRange.format(d));
    }
    return d;
  }

  private boolean toBoolean(String path, ConfigValue v) {
    if (v.valueType() == ConfigValueType.BOOLEAN) {
      return (Boolean) v.unwrapped();
    }
    if (v.valueType() == ConfigValueType.STRING) {
      switch (((String) v.unwrapped()).trim().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on":
          return true;
        case "false", "no", "off":
          return false;
        default:
          break;
      }
    }
    throw fail(path, "must be true or false, got " + describe(v));
  }

  private ConfigList toList(String path, ConfigValue v, String expected) {
    if (!(v instanceof ConfigList list)) {
      throw fail(path, "must be " + expected + ", got " + describe(v));
    }
    return list;
  }

  private List<String> toStringList(String path, ConfigValue v) {
    ConfigList list = toList(path, v, "a list of strings, e.g. [\"a\", \"b\"]");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(toString(path + "[" + i + "]", list.get(i)));
    }
    return List.copyOf(out);
  }

  private List<Integer> toIntList(String path, ConfigValue v, ValueRange range) {
    ConfigList list = toList(path, v, "a list of integers, e.g. [64, 32]");
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String p = path + "[" + i + "]";
      out.add((int) checkRange(p, toLong(p, list.get(i), Integer.MIN_VALUE, Integer.MAX_VALUE),
          range));
    }
    return List.copyOf(out);
  }

  private Map<String, String> toStringMap(String path, ConfigValue v) {
    if (!(v instanceof ConfigObject obj)) {
      throw fail(path, "must be an object, got " + describe(v));
    }
    Map<String, String> out = new TreeMap<>();
    flatten(path, obj, "", out);
    return Collections.unmodifiableMap(new LinkedHashMap<>(out));
  }

  private void flatten(String path, ConfigObject obj, String prefix, Map<String, String> out) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      String key = prefix + e.getKey();
      ConfigValue v = e.getValue();
      String p = path + "." + ConfigUtil.quoteString(key);
      switch (v.valueType()) {
        case OBJECT -> flatten(path, (ConfigObject) v, key + ".", out);
        case STRING, NUMBER, BOOLEAN -> out.put(key, toString(p, v));
        case NULL -> { }
        default -> throw fail(p, "must be a string, number or boolean, got " + describe(v));
      }
    }
  }

  /** A value for messages: its type and concise HOCON, shortened. */
  static String describe(ConfigValue v) {
    String text = v.render(CONCISE);
    if (text.length() > MAX_SHOWN) {
      text = text.substring(0, MAX_SHOWN - 3) + "...";
    }
    return v.valueType().name().toLowerCase(Locale.ROOT) + " " + text;
  }
}
