package io.sparkmlp.jobs.config;

import io.sparkmlp.model.Task;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated configuration of the {@code generate} command: the {@code generate} section and
 * the {@code spark} section of a HOCON file plus {@code --set} overrides, over the defaults of
 * {@link KeyRegistry}. Other sections are checked for unknown keys but not read, so one file may
 * hold both a training job and its data generation.
 *
 * @param settings    what to generate
 * @param output      output directory
 * @param format      output format: parquet or csv
 * @param overwrite   replace an existing output
 * @param sparkMaster Spark master URL, if set
 * @param appName     Spark application name
 * @param sparkConf   extra Spark settings, sorted by key
 */
public record GenerateConfig(
    TeacherSettings settings,
    String output,
    String format,
    boolean overwrite,
    Optional<String> sparkMaster,
    String appName,
    Map<String, String> sparkConf) {

  /** The section this command reads. */
  static final String SECTION = "generate";

  /** Checks for nulls and copies the Spark settings. */
  public GenerateConfig {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(sparkMaster, "sparkMaster");
    Objects.requireNonNull(appName, "appName");
    sparkConf = Collections.unmodifiableMap(new LinkedHashMap<>(sparkConf));
  }

  /** True if {@code k} belongs to the {@code generate} section (the training job ignores it). */
  static boolean isGenerateKey(ConfigKey k) {
    return k.path().startsWith(SECTION + ".");
  }

  /**
   * Loads and validates the configuration, before Spark starts.
   *
   * @param fileOrNull HOCON config file, or null to configure by overrides only
   * @param overrides  {@code key=value} overrides, as for {@link JobConfig#load}; may be null
   * @return the validated configuration
   * @throws ConfigError (an {@link IllegalArgumentException}) with a one-line message naming the
   *     key: unknown keys, wrong types, out-of-range values, a missing generate.output, or outputs
   *     that do not fit the task
   */
  public static GenerateConfig load(Path fileOrNull, List<String> overrides) {
    ConfigReader r = ConfigLoader.load(fileOrNull, overrides);
    r.checkKnownKeys();
    String output = JobConfig.nonBlank(r, "generate.output");
    Task task = Task.parse(r.string("generate.task"));
    Integer outputsSet = (Integer) r.read(KeyRegistry.get("generate.outputs"));
    int outputs = outputsSet != null ? outputsSet : task == Task.BINARY ? 1 : 5;
    if (task == Task.BINARY && outputs != 1) {
      throw r.conflict(List.of("generate.outputs", "generate.task"),
          "generate.outputs must be 1 for generate.task = binary, got " + outputs);
    }
    if (task == Task.MULTICLASS && outputs < 2) {
      throw r.conflict(List.of("generate.outputs", "generate.task"),
          "generate.outputs (the class count) must be >= 2 for generate.task = multiclass, got "
              + outputs);
    }
    String format = r.string("generate.format");
    boolean arrayLabel = task == Task.MULTILABEL || (task == Task.REGRESSION && outputs > 1);
    if (format.equals("csv") && arrayLabel) {
      throw r.conflict(List.of("generate.format", "generate.task", "generate.outputs"),
          "generate.format = csv needs a single label column, but generate.task = "
              + task.name().toLowerCase(java.util.Locale.ROOT) + " with " + outputs
              + " outputs gives an array label; write parquet");
    }
    TeacherSettings settings;
    try {
      settings = new TeacherSettings(r.longInteger("generate.rows"),
          r.integer("generate.features"), r.integers("generate.hidden"), outputs, task,
          r.longInteger("generate.seed"), r.integer("generate.partitions"),
          r.number("generate.noise"));
    } catch (ConfigError e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigError(r.file(), SECTION, "generate: " + e.getMessage());
    }
    String master = JobConfig.nonBlank(r, "spark.master");
    String appName = r.isExplicit("spark.app-name") ? JobConfig.nonBlank(r, "spark.app-name")
        : "spark-mlp generate";
    return new GenerateConfig(settings, output, format, r.bool("generate.overwrite"),
        Optional.ofNullable(master), appName, JobConfig.sparkConf(r));
  }
}
