package io.sparkmlp.jobs.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.trainer.CheckpointSettings;
import io.sparkmlp.trainer.RowPacker;
import io.sparkmlp.trainer.ClassWeights;
import io.sparkmlp.trainer.SparseInput;
import io.sparkmlp.trainer.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The complete, validated configuration of a training job, loaded from a HOCON file and
 * command-line overrides by {@link #load}. Every key is defined in {@link KeyRegistry} and
 * documented in {@code conf/reference.conf}.
 *
 * @param task               what the network predicts
 * @param train              training input
 * @param validation         separate validation input, if given
 * @param test               separate test input, if given
 * @param validationFraction fraction of the training input the job holds out for validation; 0 when
 *                           {@code validation} is present
 * @param testFraction       fraction of the training input the job holds out for testing; 0 when
 *                           {@code test} is present
 * @param standardize        standardize features with training-split statistics
 * @param network            hidden layers, output activation, loss and initializer
 * @param training           the trainer's settings, read from the {@code train} keys, the data keys
 *                           it uses (validation fraction, invalid rows, partitions, shuffle) and
 *                           the {@code checkpoint} keys; its network has the configured layers
 *                           but stand-in widths until the data gives them: train with
 *                           {@link #trainerConfig}
 * @param modelPath          model directory, or null when the model is not saved
 * @param overwrite          replace an existing model directory
 * @param sparkMaster        Spark master URL, if set (else spark-submit decides)
 * @param appName            Spark application name
 * @param sparkConf          extra Spark settings, sorted by key
 * @param resolvedJson       the whole resolved configuration as concise JSON (see {@link #toJson})
 * @param preparation        missing values, categorical columns and target scaling ({@code
 *                           data.missing}, {@code data.categorical}, {@code
 *                           data.standardize-target})
 * @param classWeightMap     explicit {@code train.class-weights} by class label, resolved against
 *                           the classes by {@link #trainerConfig(NetworkSpec, List)}; null when
 *                           not given or {@code balanced} (then in {@code training})
 */
public record JobConfig(
    Task task,
    DataSource train,
    Optional<DataSource> validation,
    Optional<DataSource> test,
    double validationFraction,
    double testFraction,
    boolean standardize,
    NetworkSettings network,
    TrainerConfig training,
    String modelPath,
    boolean overwrite,
    Optional<String> sparkMaster,
    String appName,
    Map<String, String> sparkConf,
    String resolvedJson,
    PrepSettings preparation,
    Map<String, Double> classWeightMap) {

  /** Name of the features column in the frames the job hands to the trainer. */
  public static final String FEATURES_COL = "features";
  /** Name of the label column in the frames the job hands to the trainer. */
  public static final String LABEL_COL = "label";
  /**
   * Name of the row-weight column in the frames the job hands to the trainer (when
   * {@code data.train.weight-column} is set).
   */
  public static final String WEIGHT_COL = "weight";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Checks for nulls and copies the Spark settings. */
  public JobConfig {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(sparkMaster, "sparkMaster");
    Objects.requireNonNull(appName, "appName");
    Objects.requireNonNull(resolvedJson, "resolvedJson");
    Objects.requireNonNull(preparation, "preparation");
    sparkConf = Collections.unmodifiableMap(new LinkedHashMap<>(sparkConf));
  }

  /**
   * Loads and validates a job configuration: the file (if any) and the overrides, resolved over
   * the defaults of {@link KeyRegistry}. Everything is checked here, before Spark starts: unknown
   * keys, types, ranges, required keys and combinations of keys.
   *
   * @param fileOrNull HOCON config file, or null to configure by overrides only
   * @param overrides  {@code key=value} overrides (the arguments of {@code --set}), later ones
   *                   winning; values are HOCON ({@code train.epochs=5},
   *                   {@code network.hidden=[64,32]}) except for string keys, taken literally; the
   *                   value {@code null} unsets a key; may be null
   * @return the validated configuration
   * @throws ConfigError (an {@link IllegalArgumentException}) with a one-line message naming the
   *     key and, when it comes from one, the file or {@code --set}
   */
  public static JobConfig load(Path fileOrNull, List<String> overrides) {
    ConfigReader r = ConfigLoader.load(fileOrNull, overrides);
    r.checkKnownKeys();
    Task task = Task.parse(r.string("task"));
    DataSection.Inputs in = DataSection.read(r, task);
    boolean layersForm = NetworkSection.usesLayers(r);
    NetworkSettings network = NetworkSection.read(r, task);
    if (task == Task.AUTOENCODER && network.loss() == Task.Loss.SIGMOID_CROSS_ENTROPY
        && r.bool("data.standardize")) {
      throw r.conflict(List.of("network.loss", "data.standardize"), "an autoencoder with "
          + "sigmoid outputs and binary cross-entropy reconstructs features in [0, 1]: set "
          + "data.standardize = false (standardized features are not in [0, 1])");
    }
    boolean hasValidation = in.validation() != null || in.validationFraction() > 0;
    TrainerConfig.Builder trainer = TrainSection.read(r, hasValidation);

    RowPacker.InvalidRows invalidRows = RowPacker.InvalidRows.valueOf(
        r.string("data.invalid-rows").toUpperCase(Locale.ROOT));
    int partitions = r.integer("data.partitions");
    boolean shuffle = r.bool("data.shuffle");
    if (shuffle && partitions == 0) {
      throw r.conflict(List.of("data.shuffle", "data.partitions"),
          "data.shuffle = true needs data.partitions > 0 (rows are shuffled while repartitioning)");
    }
    String modelPath = nonBlank(r, "output.model");
    Object classWeights = r.classWeights("train.class-weights");
    if (classWeights != null && task != Task.BINARY && task != Task.MULTICLASS) {
      throw r.fail("train.class-weights", "is for the binary and multiclass tasks, not " + task
          + (task == Task.MULTILABEL ? " (weigh rows with data.train.weight-column instead)"
              : ""));
    }
    @SuppressWarnings("unchecked")
    Map<String, Double> classWeightMap = classWeights instanceof Map<?, ?> m
        ? (Map<String, Double>) m : null;
    if (classWeights != null && classWeightMap == null) {
      trainer.classWeights(ClassWeights.BALANCED);
    }
    if (in.train().weightColumn() != null) {
      trainer.weightCol(WEIGHT_COL);
    }
    TrainerConfig training = trainer
        .spec(standIn(task, network, in.train()))
        .initializer(network.initializer())
        .validationFraction(in.validationFraction())
        .partitions(partitions, shuffle)
        .invalidRows(invalidRows)
        .sparseInput(SparseInput.Mode.of(r.string("data.sparse")))
        .columns(FEATURES_COL, LABEL_COL)
        .checkpoint(checkpoint(r))
        .build();
    String master = nonBlank(r, "spark.master");
    String appName = nonBlank(r, "spark.app-name");
    Map<String, String> sparkConf = sparkConf(r);

    Config canonical = canonical(r, in, layersForm, training);
    return new JobConfig(task, in.train(), Optional.ofNullable(in.validation()),
        Optional.ofNullable(in.test()), in.validationFraction(), in.testFraction(),
        r.bool("data.standardize"), network, training, modelPath, r.bool("output.overwrite"),
        Optional.ofNullable(master), appName, sparkConf,
        canonical.root().render(ConfigRenderOptions.concise()), in.prep(), classWeightMap);
  }

  /**
   * The configured network with stand-in widths (the configured feature count or 1 input, the
   * fewest outputs the task allows): the real widths come from the data.
   */
  private static NetworkSpec standIn(Task task, NetworkSettings n, DataSource train) {
    int in = Math.max(1, train.numFeatures());
    int out = task == Task.AUTOENCODER ? in : task == Task.MULTICLASS ? 2 : 1;
    return new NetworkSpec(in, n.hidden(), out, task, n.outputActivation(), n.loss(),
        n.bottleneck());
  }

  private static CheckpointSettings checkpoint(ConfigReader r) {
    String path = nonBlank(r, "checkpoint.path");
    int everySteps = r.integer("checkpoint.every-steps");
    boolean everyEpoch = r.bool("checkpoint.every-epoch");
    boolean resume = r.bool("checkpoint.resume");
    boolean force = r.bool("checkpoint.force");
    if (path == null && resume) {
      throw r.conflict(List.of("checkpoint.resume", "checkpoint.path"),
          "checkpoint.resume = true needs checkpoint.path");
    }
    if (path == null && force) {
      throw r.conflict(List.of("checkpoint.force", "checkpoint.path"),
          "checkpoint.force = true needs checkpoint.path");
    }
    if (path != null && everySteps == 0 && !everyEpoch) {
      throw r.conflict(List.of("checkpoint.every-epoch", "checkpoint.every-steps"),
          "checkpoint.path is set but checkpoint.every-steps = 0 and checkpoint.every-epoch = "
              + "false: no checkpoint would ever be written");
    }
    return new CheckpointSettings(path, everySteps, everyEpoch, r.integer("checkpoint.keep"),
        resume, force);
  }

  static String nonBlank(ConfigReader r, String key) {
    String s = r.string(key);
    if (s != null && s.isBlank()) {
      throw r.fail(key, "must not be blank");
    }
    return s;
  }

  /**
   * Why setting {@code key} to {@code value} would switch off the Kryo registration spark-mlp
   * requires (Kryo, registration required, its registrator among the registrators), or null if it
   * does not.
   */
  static String weakensKryo(String key, String value) {
    String registrator = io.sparkmlp.trainer.SparkMlpKryoRegistrator.class.getName();
    return switch (key) {
      case "spark.serializer" -> value.strip().equals("org.apache.spark.serializer.KryoSerializer")
          ? null : "must be org.apache.spark.serializer.KryoSerializer (spark-mlp ships its "
              + "task data with Kryo); remove the setting";
      case "spark.kryo.registrationRequired" -> value.strip().equalsIgnoreCase("true") ? null
          : "must stay true (spark-mlp registers every class it ships, and an unregistered one "
              + "must fail rather than be written with its class name); remove the setting";
      case "spark.kryo.registrator" -> java.util.Arrays.stream(value.split(","))
          .map(String::strip).anyMatch(registrator::equals) ? null
          : "must include " + registrator + " (a comma-separated list may add others)";
      default -> null;
    };
  }

  static Map<String, String> sparkConf(ConfigReader r) {
    Map<String, String> conf = new java.util.LinkedHashMap<>(r.stringMap("spark.conf"));
    for (String k : conf.keySet()) {
      String key = "spark.conf." + ConfigUtil.quoteString(k);
      if (k.equals("spark.master")) {
        throw r.fail(key, "is not allowed here: set spark.master");
      }
      if (k.equals("spark.app.name")) {
        throw r.fail(key, "is not allowed here: set spark.app-name");
      }
      if (!k.startsWith("spark.")) {
        throw r.fail(key, "is not a Spark setting: Spark settings start with \"spark.\" "
            + "(Hadoop settings with \"spark.hadoop.\")");
      }
      String why = weakensKryo(k, conf.get(k));
      if (why != null) {
        throw r.fail(key, why);
      }
    }
    if (r.bool("spark.ui")) {
      conf.put("spark.ui.enabled", "true");
    }
    return java.util.Collections.unmodifiableMap(conf);
  }

  /**
   * The resolved tree as the job uses it: every key with its effective value in validated form
   * (numbers typed by key, choices in canonical spelling, defaults for keys unset with null), one
   * network form, completed data sections, the effective weight decay.
   */
  private static Config canonical(ConfigReader r, DataSection.Inputs in, boolean layersForm,
      TrainerConfig training) {
    Config c = r.config();
    for (String p : nullPaths(c.root(), new ArrayList<>(), new ArrayList<>())) {
      c = c.withoutPath(p);
    }
    c = c.withoutPath(GenerateConfig.SECTION);
    for (ConfigKey k : KeyRegistry.keys()) {
      if (GenerateConfig.isGenerateKey(k)) {
        continue;
      }
      if (k.type() != ConfigKey.Type.LAYER_LIST && k.type() != ConfigKey.Type.STRING_MAP) {
        Object v = r.read(k);
        if (v != null) {
          c = c.withValue(k.path(), ConfigValueFactory.fromAnyRef(v));
        }
      }
    }
    if (!r.isSet("train.optimizer.weight-decay")) {
      c = c.withValue("train.optimizer.weight-decay", ConfigValueFactory.fromAnyRef(
          TrainSection.defaultWeightDecay(training.optim().optimizer())));
    }
    if (layersForm) {
      c = c.withoutPath("network.hidden").withoutPath("network.activation");
    }
    Map<String, String> conf = r.stringMap("spark.conf");
    c = c.withValue("spark.conf", ConfigFactory.empty().root());
    for (Map.Entry<String, String> e : conf.entrySet()) {
      c = c.withValue("spark.conf." + ConfigUtil.quoteString(e.getKey()),
          ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    return DataSection.normalize(c, in);
  }

  private static List<String> nullPaths(ConfigObject obj, List<String> prefix, List<String> out) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      List<String> p = new ArrayList<>(prefix);
      p.add(e.getKey());
      if (e.getValue().valueType() == ConfigValueType.NULL) {
        out.add(ConfigUtil.joinPath(p));
      } else if (e.getValue() instanceof ConfigObject child) {
        nullPaths(child, p, out);
      }
    }
    return out;
  }

  /**
   * The network for inputs of {@code inputWidth} features and {@code outputWidth} outputs, both
   * found from the data (the output width is 1 for binary, the class count for multiclass, the
   * label-column count for multilabel and multi-target regression, the input width for an
   * autoencoder).
   *
   * @throws IllegalArgumentException if the widths do not fit the task, or the input width differs
   *     from a configured {@code data.train.num-features}
   */
  public NetworkSpec networkSpec(int inputWidth, int outputWidth) {
    if (train.numFeatures() > 0 && inputWidth != train.numFeatures()) {
      throw new IllegalArgumentException("input width " + inputWidth
          + " differs from data.train.num-features = " + train.numFeatures());
    }
    if (task == Task.AUTOENCODER && outputWidth != inputWidth) {
      throw new IllegalArgumentException("task autoencoder: the output width " + outputWidth
          + " must equal the input width " + inputWidth + " (it is set from the features)");
    }
    return new NetworkSpec(inputWidth, network.hidden(), outputWidth, task,
        network.outputActivation(), network.loss(), network.bottleneck());
  }

  /**
   * The trainer's configuration for {@code spec}: {@link #training} with the real network. The
   * trainer holds out {@link #validationFraction} of the training frame itself (0 when a separate
   * validation input is given); the frames use the columns {@value #FEATURES_COL} and
   * {@value #LABEL_COL}.
   *
   * @param spec the network, normally from {@link #networkSpec}
   * @throws IllegalArgumentException if {@code spec} is for another task
   */
  public TrainerConfig trainerConfig(NetworkSpec spec) {
    return trainerConfig(spec, null);
  }

  /**
   * As {@link #trainerConfig(NetworkSpec)}, with explicit {@code train.class-weights} resolved
   * against the classes: a label matches the class of the same name, or of the same numeric
   * value ({@code "1"} matches {@code "1.0"} and {@code "+1"}); classes left out weigh 1.
   *
   * @param classNames the classes in output order (binary: [negative, positive]), or null for
   *                   the class indices {@code "0".."k-1"}
   * @throws ConfigError naming {@code train.class-weights} for a label that is not a class
   */
  public TrainerConfig trainerConfig(NetworkSpec spec, List<String> classNames) {
    if (spec.task() != task) {
      throw new IllegalArgumentException(
          "network spec is for task " + spec.task() + " but the job's task is " + task);
    }
    TrainerConfig.Builder b = training.toBuilder().spec(spec);
    if (classWeightMap != null) {
      int k = task == Task.BINARY ? 2 : spec.outputWidth();
      List<String> names = classNames;
      if (names == null) {
        names = new ArrayList<>();
        for (int c = 0; c < k; c++) {
          names.add(Integer.toString(c));
        }
      }
      float[] w = new float[k];
      java.util.Arrays.fill(w, 1f);
      for (Map.Entry<String, Double> e : classWeightMap.entrySet()) {
        int c = classIndex(names, e.getKey());
        if (c < 0 || c >= k) {
          throw new ConfigError(null, "train.class-weights", "train.class-weights names class '"
              + e.getKey() + "', which is not one of the classes " + names);
        }
        w[c] = e.getValue().floatValue();
      }
      b.classWeights(ClassWeights.of(w));
    }
    return b.build();
  }

  /** The index of {@code label} among {@code names}: exact, else by equal numeric value; -1. */
  private static int classIndex(List<String> names, String label) {
    int i = names.indexOf(label);
    if (i >= 0) {
      return i;
    }
    double v = number(label);
    for (int c = 0; c < names.size() && !Double.isNaN(v); c++) {
      if (number(names.get(c)) == v) {
        return c;
      }
    }
    return -1;
  }

  private static double number(String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * The whole resolved configuration (defaults included, validation and test sections completed
   * with inherited fields, keys that do not apply removed, the {@code generate} section dropped) as
   * a fresh JSON tree, for {@code model.json}. Loading it back (as a file) gives an equal
   * configuration.
   */
  public ObjectNode toJson() {
    try {
      return (ObjectNode) JSON.readTree(resolvedJson);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("resolved configuration is not JSON", e);
    }
  }

  /** The resolved configuration as formatted HOCON, for logging. */
  public String render() {
    return ConfigFactory.parseString(resolvedJson).root().render(ConfigRenderOptions.defaults()
        .setOriginComments(false).setComments(false).setJson(false));
  }
}
