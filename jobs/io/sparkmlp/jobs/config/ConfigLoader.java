package io.sparkmlp.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the configuration layers and merges them: command-line overrides over the config file
 * over the registry's defaults, then resolves substitutions ({@code ${...}}, including environment
 * variables such as {@code ${?DATA_DIR}}). Values keep their origin, so that errors can name the
 * file or {@code --set} they come from.
 *
 * <p>Override values are parsed by the type of their key: for string keys (and the entries of
 * {@code spark.conf}) the text is taken literally, so {@code --set spark.master=local[*]} and
 * {@code --set data.train.path=s3a://bucket/x} need no quoting; for other keys it is parsed as a
 * HOCON value ({@code train.epochs=5}, {@code network.hidden=[64,32]}). The literal {@code null}
 * unsets a key.
 */
final class ConfigLoader {
  /** Origin description of the default values. */
  static final String DEFAULTS_ORIGIN = "spark-mlp defaults";
  /** Origin description (and error prefix) of command-line overrides. */
  static final String OVERRIDE_ORIGIN = "--set";

  private ConfigLoader() {}

  /**
   * Loads, merges and resolves.
   *
   * @param file      HOCON file, or null for none
   * @param overrides {@code key=value} overrides, later ones winning
   * @return a reader over the resolved configuration, defaults included
   * @throws ConfigError if the file is missing or malformed, an override is malformed or names an
   *     unknown key, or a substitution cannot be resolved
   */
  static ConfigReader load(Path file, List<String> overrides) {
    String label = file == null ? null : file.toString();
    Config fileLayer = file == null ? ConfigFactory.empty() : parseFile(file);
    Config overrideLayer = parseOverrides(overrides == null ? List.of() : overrides);
    Config merged = overrideLayer.withFallback(fileLayer).withFallback(defaults());
    try {
      return new ConfigReader(merged.resolve(), label);
    } catch (ConfigException e) {
      throw new ConfigError(null, null, e.getMessage());
    }
  }

  /** Every default of the registry as a config tree. */
  static Config defaults() {
    Config c = ConfigFactory.empty(DEFAULTS_ORIGIN);
    for (ConfigKey k : KeyRegistry.keys()) {
      if (k.defaultValue() != null) {
        c = c.withValue(k.path(), ConfigValueFactory.fromAnyRef(k.defaultValue(), DEFAULTS_ORIGIN));
      }
    }
    return c;
  }

  private static Config parseFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigError(file.toString(), null, "config file not found (or not a file)");
    }
    try {
      // the absolute file, so that includes resolve relative to its directory (a bare relative
      // name has none); messages keep the name as given
      return ConfigFactory.parseFile(file.toAbsolutePath().toFile(), ConfigParseOptions.defaults()
          .setAllowMissing(false).setSyntax(ConfigSyntax.CONF)
          .setOriginDescription(file.toString())
          .setIncluder(new RequiredIncluder(file.toString())));
    } catch (ConfigException e) {
      throw new ConfigError(null, null, e.getMessage());
    }
  }

  /**
   * Makes every {@code include} of a config file required: HOCON silently skips a missing
   * {@code include "x.conf"}, which would train with defaults the user meant to override. A name
   * starting with {@code ?} ({@code include "?local.conf"}, like {@code ${?VAR}}) stays optional.
   * Applies to nested includes and to {@code include file(...)} too.
   */
  static final class RequiredIncluder implements ConfigIncluder, ConfigIncluderFile {
    private final String label;
    private final ConfigIncluder fallback;

    /** An includer for the config file {@code label} (named in messages). */
    RequiredIncluder(String label) {
      this(label, null);
    }

    private RequiredIncluder(String label, ConfigIncluder fallback) {
      this.label = label;
      this.fallback = fallback;
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder next) {
      return new RequiredIncluder(label, fallback == null ? next : fallback.withFallback(next));
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
      boolean optional = what.startsWith("?");
      String name = optional ? what.substring(1) : what;
      try {
        return fallback.include(required(context, optional), name);
      } catch (ConfigException.IO e) {
        throw notFound("include \"" + name + "\"", name);
      }
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, java.io.File what) {
      boolean optional = what.getPath().startsWith("?");
      java.io.File file = optional ? new java.io.File(what.getPath().substring(1)) : what;
      try {
        if (fallback instanceof ConfigIncluderFile f) {
          return f.includeFile(required(context, optional), file);
        }
        return ConfigFactory.parseFile(file, required(context, optional).parseOptions()).root();
      } catch (ConfigException.IO e) {
        throw notFound("include file(\"" + file + "\")", file.getPath());
      }
    }

    private ConfigException notFound(String include, String name) {
      return new ConfigException.Generic(label + ": " + include + ": file not found (names are "
          + "relative to the including file); write \"?" + name + "\" for an optional include");
    }

    private static ConfigIncludeContext required(ConfigIncludeContext context,
        boolean optional) {
      return context.setParseOptions(context.parseOptions().setAllowMissing(optional));
    }
  }

  /** The overrides as one config layer. */
  static Config parseOverrides(List<String> overrides) {
    Config layer = ConfigFactory.empty(OVERRIDE_ORIGIN);
    for (String arg : overrides) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new ConfigError(OVERRIDE_ORIGIN, null, "expected key=value, got '" + arg + "'");
      }
      String keyText = arg.substring(0, eq).trim();
      List<String> elements;
      try {
        elements = ConfigUtil.splitPath(keyText);
      } catch (ConfigException e) {
        throw new ConfigError(OVERRIDE_ORIGIN, keyText, "'" + keyText + "' is not a valid key");
      }
      String dotted = String.join(".", elements);
      ConfigValue value = overrideValue(elements, dotted, arg.substring(eq + 1));
      layer = layer.withValue(ConfigUtil.joinPath(elements), value);
    }
    return layer;
  }

  private static ConfigValue overrideValue(List<String> elements, String dotted, String text) {
    if (text.trim().equals("null")) {
      return ConfigValueFactory.fromAnyRef(null, OVERRIDE_ORIGIN);
    }
    // an entry of an object of settings (spark.conf, data.train.options, ...): taken literally
    boolean sparkSetting = false;
    for (int i = 1; i < elements.size() && !sparkSetting; i++) {
      sparkSetting = KeyRegistry.find(String.join(".", elements.subList(0, i)))
          .filter(k -> k.type() == ConfigKey.Type.STRING_MAP).isPresent();
    }
    ConfigKey key = KeyRegistry.find(dotted).orElse(null);
    if (!sparkSetting && key == null && !KeyRegistry.isSection(dotted)) {
      throw new ConfigError(OVERRIDE_ORIGIN, dotted, ConfigReader.unknownKey(dotted));
    }
    boolean literal = sparkSetting
        || (key != null && (key.type() == ConfigKey.Type.STRING
            || key.type() == ConfigKey.Type.CHOICE));
    String t = text.trim();
    if (literal && !(t.length() >= 2 && t.startsWith("\"") && t.endsWith("\""))) {
      return ConfigValueFactory.fromAnyRef(text, OVERRIDE_ORIGIN);
    }
    ConfigValue v;
    try {
      v = ConfigFactory.parseString("value = " + text, ConfigParseOptions.defaults()
          .setOriginDescription(OVERRIDE_ORIGIN).setSyntax(ConfigSyntax.CONF)).root().get("value");
    } catch (ConfigException e) {
      v = null;
    }
    if (v == null || (literal && v.valueType() != ConfigValueType.STRING)) {
      throw new ConfigError(OVERRIDE_ORIGIN, dotted,
          dotted + ": cannot parse '" + text + "' as a HOCON value");
    }
    return v;
  }
}
