package io.sparkmlp.jobs.config;

import com.typesafe.config.ConfigUtil;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The definition of one configuration key: its dotted path, value type, default, documentation and
 * allowed values. {@link KeyRegistry} holds every key; {@link ConfigReader} enforces the type,
 * range and choices declared here and {@link ReferenceConf} documents them, so each key is
 * described exactly once.
 *
 * @param path        dotted path, e.g. {@code train.optimizer.learning-rate}
 * @param type        value type
 * @param presence    whether the key is required, has a default, or is optional without one
 * @param defaultValue the default ({@code String}, {@code Integer}, {@code Long}, {@code Double},
 *                    {@code Boolean}, {@code List} or {@code Map}); non-null exactly when
 *                    {@code presence} is {@link Presence#DEFAULTED}
 * @param absent      for {@link Presence#OPTIONAL} keys: what leaving the key out means; else null
 * @param example     HOCON text of an example value, shown for keys without a default; may be null
 * @param description what the key does (one or more sentences)
 * @param range       allowed numeric values (numbers, integers, elements of integer lists); null if
 *                    any
 * @param choices     allowed values of a {@link Type#CHOICE} key, matched case-insensitively; empty
 *                    otherwise
 * @param constraint  further allowed-value rule in words, checked by the code that reads the key
 *                    (e.g. the activation grammar); null if none
 */
public record ConfigKey(
    String path,
    Type type,
    Presence presence,
    Object defaultValue,
    String absent,
    String example,
    String description,
    ValueRange range,
    List<String> choices,
    String constraint) {

  /** Value types. */
  public enum Type {
    /** A string (numbers and booleans are accepted and read as their text). */
    STRING("string"),
    /** One of a fixed set of strings. */
    CHOICE("string"),
    /** A 32-bit integer. */
    INT("integer"),
    /** A 64-bit integer. */
    LONG("integer"),
    /** A finite number. */
    DOUBLE("number"),
    /** true or false. */
    BOOLEAN("boolean"),
    /** A list of strings. */
    STRING_LIST("list of strings"),
    /** A list of 32-bit integers. */
    INT_LIST("list of integers"),
    /** A list of objects {@code {width, activation}} (hidden layers). */
    LAYER_LIST("list of layer objects"),
    /** An object of arbitrary settings whose values are strings, numbers or booleans. */
    STRING_MAP("object"),
    /**
     * {@code balanced}, or an object of class label = weight (a number &gt;= 0); read as the string
     * {@code "balanced"} or a {@code Map<String, Double>} by class label.
     */
    CLASS_WEIGHTS("balanced, or an object of class label = weight");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    /** Human-readable name of the type. */
    public String label() {
      return label;
    }
  }

  /** Whether a key must be given. */
  public enum Presence {
    /** Must be given; there is no default. */
    REQUIRED,
    /** Has a default, used when the key is not given. */
    DEFAULTED,
    /** May be left out; {@link ConfigKey#absent()} says what that means. */
    OPTIONAL
  }

  /** Validates the definition. */
  public ConfigKey {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(description, "description");
    choices = List.copyOf(choices == null ? List.of() : choices);
    if ((presence == Presence.DEFAULTED) != (defaultValue != null)) {
      throw new IllegalArgumentException(path + ": a default is required exactly for DEFAULTED keys");
    }
    if ((type == Type.CHOICE) == choices.isEmpty()) {
      throw new IllegalArgumentException(path + ": choices are required exactly for CHOICE keys");
    }
    if (presence == Presence.OPTIONAL && absent == null) {
      throw new IllegalArgumentException(path + ": an OPTIONAL key must say what absence means");
    }
  }

  /** Starts a definition. */
  static Builder builder(String path, Type type) {
    return new Builder(path, type);
  }

  /** The last path segment, e.g. {@code learning-rate}. */
  public String name() {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? path : path.substring(dot + 1);
  }

  /** The enclosing section, e.g. {@code train.optimizer}; empty for top-level keys. */
  public String section() {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }

  /**
   * The allowed values in words, e.g. {@code one of relu, tanh}, {@code > 0} or {@code in [0, 1)};
   * empty if any value of the type is allowed.
   */
  public String allowed() {
    if (type == Type.CHOICE) {
      return "one of " + String.join(", ", choices);
    }
    StringBuilder sb = new StringBuilder();
    if (range != null) {
      sb.append(type == Type.INT_LIST ? "each " : "").append(range.describe());
    }
    if (constraint != null) {
      sb.append(sb.length() > 0 ? "; " : "").append(constraint);
    }
    return sb.toString();
  }

  /** The default as HOCON text, e.g. {@code 0.001}, {@code "relu"} or {@code [64, 32]}; null if none. */
  public String defaultText() {
    return defaultValue == null ? null : hocon(defaultValue);
  }

  /** HOCON text of a Java value of one of the supported types. */
  static String hocon(Object v) {
    if (v instanceof String s) {
      return ConfigUtil.quoteString(s);
    }
    if (v instanceof Double d) {
      BigDecimal b = BigDecimal.valueOf(d).stripTrailingZeros();
      String plain = b.toPlainString();
      return b.scale() > 6 ? b.toString().replace("E", "e") : plain;
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof List<?> list) {
      return list.stream().map(ConfigKey::hocon).collect(Collectors.joining(", ", "[", "]"));
    }
    if (v instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .map(e -> ConfigUtil.quoteString(e.getKey().toString()) + " = " + hocon(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    throw new IllegalArgumentException("unsupported default value " + v);
  }

  /** Mutable builder used by {@link KeyRegistry}. */
  static final class Builder {
    private final String path;
    private final Type type;
    private Presence presence = Presence.OPTIONAL;
    private Object defaultValue;
    private String absent;
    private String example;
    private String description;
    private ValueRange range;
    private List<String> choices = List.of();
    private String constraint;

    private Builder(String path, Type type) {
      this.path = path;
      this.type = type;
    }

    /** The key has this default. */
    Builder def(Object v) {
      presence = Presence.DEFAULTED;
      defaultValue = v;
      return this;
    }

    /** The key is required; {@code exampleText} is shown in the reference. */
    Builder required(String exampleText) {
      presence = Presence.REQUIRED;
      example = exampleText;
      return this;
    }

    /** The key is optional without default; {@code meaning} says what leaving it out means. */
    Builder optional(String meaning, String exampleText) {
      presence = Presence.OPTIONAL;
      absent = meaning;
      example = exampleText;
      return this;
    }

    /** Sets the description. */
    Builder doc(String text) {
      description = text;
      return this;
    }

    /** Sets the allowed numeric range. */
    Builder range(ValueRange r) {
      range = r;
      return this;
    }

    /** Sets the allowed values of a CHOICE key. */
    Builder choices(String... values) {
      choices = List.of(values);
      return this;
    }

    /** Documents a further rule checked where the key is read. */
    Builder constraint(String text) {
      constraint = text;
      return this;
    }

    /** Builds the key. */
    ConfigKey build() {
      return new ConfigKey(path, type, presence, defaultValue, absent, example, description, range,
          choices, constraint);
    }
  }
}
