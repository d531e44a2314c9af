package io.sparkmlp.jobs.config;

import static io.sparkmlp.jobs.config.ConfigKey.Type.BOOLEAN;
import static io.sparkmlp.jobs.config.ConfigKey.Type.CHOICE;
import static io.sparkmlp.jobs.config.ConfigKey.Type.CLASS_WEIGHTS;
import static io.sparkmlp.jobs.config.ConfigKey.Type.DOUBLE;
import static io.sparkmlp.jobs.config.ConfigKey.Type.INT;
import static io.sparkmlp.jobs.config.ConfigKey.Type.INT_LIST;
import static io.sparkmlp.jobs.config.ConfigKey.Type.LAYER_LIST;
import static io.sparkmlp.jobs.config.ConfigKey.Type.LONG;
import static io.sparkmlp.jobs.config.ConfigKey.Type.STRING;
import static io.sparkmlp.jobs.config.ConfigKey.Type.STRING_LIST;
import static io.sparkmlp.jobs.config.ConfigKey.Type.STRING_MAP;

import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.ScheduleConfig;
import io.sparkmlp.trainer.SyncSettings;
import io.sparkmlp.trainer.TrainerConfig;
import io.sparkmlp.trainer.RoundTransport;
import io.sparkmlp.trainer.TransferPrecision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every key of the job configuration, each defined once with its type, default, description and
 * allowed values. {@link ConfigReader} validates against these definitions, the defaults are taken
 * from them, and {@link ReferenceConf} renders them as {@code conf/reference.conf}.
 *
 * <p>The input sections {@code data.train}, {@code data.validation} and {@code data.test} share one
 * set of fields ({@link #SOURCE_FIELDS}), defined once here; in the validation and test sections
 * every field is optional and inherits the training value when left out.
 */
public final class KeyRegistry {
  private KeyRegistry() {}

  /** The input sections, training first. */
  public static final List<String> SOURCE_SECTIONS =
      List.of("data.train", "data.validation", "data.test");

  /** Fields of an input section, in the order they are documented. */
  public static final List<String> SOURCE_FIELDS = List.of("path", "labels-path", "format",
      "num-features",
      "label-column", "label-columns", "features-column", "feature-columns", "id-columns",
      "csv-header", "csv-delimiter", "skip-lines", "options", "categorical-columns",
      "exclude-columns", "weight-column");

  /** Fields of one {@code network.layers} element. */
  public static final List<String> LAYER_FIELDS = List.of("width", "activation", "dropout");

  /** Default hidden activation, for {@code network.activation} and {@code network.layers}. */
  public static final String DEFAULT_ACTIVATION = "relu";

  /** Spark storage levels accepted by {@code train.storage-level}. */
  private static final String[] STORAGE_LEVELS = {"MEMORY_AND_DISK", "MEMORY_AND_DISK_2",
      "MEMORY_AND_DISK_SER", "MEMORY_AND_DISK_SER_2", "MEMORY_ONLY", "MEMORY_ONLY_2",
      "MEMORY_ONLY_SER", "MEMORY_ONLY_SER_2", "DISK_ONLY", "DISK_ONLY_2", "DISK_ONLY_3",
      "OFF_HEAP"};

  private static final String TRAINABLE_ACTIVATIONS =
      "identity, sigmoid, tanh, relu, leaky_relu, leaky_relu(<slope in [0, 1)>), softplus, mish";

  private static final Map<String, String> SECTIONS = new LinkedHashMap<>();
  private static final List<ConfigKey> KEYS = new ArrayList<>();
  private static final Map<String, ConfigKey> BY_PATH = new LinkedHashMap<>();

  static {
    define();
    for (ConfigKey k : KEYS) {
      if (BY_PATH.put(k.path(), k) != null) {
        throw new IllegalStateException("key defined twice: " + k.path());
      }
      if (!k.section().isEmpty() && !SECTIONS.containsKey(k.section())) {
        throw new IllegalStateException("undocumented section " + k.section() + " of " + k.path());
      }
    }
  }

  /** Every key, in documentation order (sections are contiguous). */
  public static List<ConfigKey> keys() {
    return Collections.unmodifiableList(KEYS);
  }

  /** The key at {@code path}, if defined. */
  public static Optional<ConfigKey> find(String path) {
    return Optional.ofNullable(BY_PATH.get(path));
  }

  /**
   * The key at {@code path}.
   *
   * @throws IllegalStateException if no such key is defined (a programming error)
   */
  public static ConfigKey get(String path) {
    ConfigKey k = BY_PATH.get(path);
    if (k == null) {
      throw new IllegalStateException("no configuration key " + path + " in the registry");
    }
    return k;
  }

  /** Sections (objects holding keys) with their descriptions, in documentation order. */
  public static Map<String, String> sections() {
    return Collections.unmodifiableMap(SECTIONS);
  }

  /** True if {@code path} is a section, i.e. an object holding keys (e.g. {@code train.optimizer}). */
  public static boolean isSection(String path) {
    return SECTIONS.containsKey(path);
  }

  /** The direct children (keys and subsections) of {@code section}, by name, in order. */
  public static List<String> children(String section) {
    String prefix = section.isEmpty() ? "" : section + ".";
    List<String> out = new ArrayList<>();
    for (String p : BY_PATH.keySet()) {
      if (p.startsWith(prefix)) {
        String rest = p.substring(prefix.length());
        int dot = rest.indexOf('.');
        String child = dot < 0 ? rest : rest.substring(0, dot);
        if (!out.contains(child)) {
          out.add(child);
        }
      }
    }
    return out;
  }

  /**
   * The known key or section closest to a mistyped {@code path}: a small edit distance on the whole
   * path, or the same last segment in another section (e.g. {@code train.learning-rate} suggests
   * {@code train.optimizer.learning-rate}).
   */
  public static Optional<String> suggest(String path) {
    List<String> candidates = new ArrayList<>(BY_PATH.keySet());
    candidates.addAll(SECTIONS.keySet());
    return closest(path, candidates);
  }

  /** The candidate closest to {@code name} by the rule of {@link #suggest}, if close enough. */
  static Optional<String> closest(String name, List<String> candidates) {
    String best = null;
    int bestScore = Integer.MAX_VALUE;
    for (String c : candidates) {
      int score = Math.min(distance(name, c), 2 * distance(lastSegment(name), lastSegment(c)) + 2);
      if (score < bestScore) {
        best = c;
        bestScore = score;
      }
    }
    int limit = Math.max(2, Math.min(4, name.length() / 3));
    return bestScore <= limit ? Optional.of(best) : Optional.empty();
  }

  private static String lastSegment(String p) {
    return p.substring(p.lastIndexOf('.') + 1);
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  // ------------------------------------------------------------------------------------------
  // Definitions

  /**
   * The {@code train} key of a trainer setting named in camel case, as an
   * {@link io.sparkmlp.model.InvalidSettingException} names it: {@code batchSize} is
   * {@code train.batch-size}.
   *
   * @throws IllegalStateException if there is no such key (a programming error)
   */
  public static String trainKey(String setting) {
    return get("train." + kebab(setting)).path();
  }

  /** {@code minLearningRate} as {@code min-learning-rate}. */
  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /**
   * A float default as the decimal it is written as ({@code 0.9f} as 0.9, not 0.899999976...), so
   * that the reference and a value read back as a float are the same.
   */
  static double decimal(float v) {
    return Double.parseDouble(Float.toString(v));
  }

  private static void section(String path, String description) {
    SECTIONS.put(path, description);
  }

  private static ConfigKey.Builder key(String path, ConfigKey.Type type) {
    return ConfigKey.builder(path, type);
  }

  private static void add(ConfigKey.Builder b) {
    KEYS.add(b.build());
  }

  private static void define() {
    add(key("task", CHOICE).required("binary")
        .choices("regression", "binary", "multiclass", "multilabel", "autoencoder")
        .doc("What the network predicts; fixes the output layer and the loss. regression: real "
            + "targets, identity output, squared error. binary: one sigmoid unit, binary "
            + "cross-entropy. multiclass: softmax over the classes, cross-entropy. multilabel: one "
            + "sigmoid unit per 0/1 label column, summed binary cross-entropy. autoencoder "
            + "(unsupervised): no label is read; the target of a row is its own prepared "
            + "(standardized) feature vector, the output width is the input width, identity "
            + "output with squared error, or sigmoid with binary cross-entropy for features in "
            + "[0, 1] (data.standardize = false); see network.bottleneck."));

    section("data", "Input data: where it is, how columns map to features and labels, and how it "
        + "is split and preprocessed.");
    defineSources();
    add(key("data.validation-fraction", DOUBLE).def(0.1).range(ValueRange.closedOpen(0, 1))
        .doc("Fraction of the training input held out (at random, from train.seed) for validation "
            + "when data.validation is not given. 0 disables validation, and with it early "
            + "stopping and the plateau schedule. Not used when data.validation.path is set "
            + "(setting both, this to a value other than the default, is an error)."));
    add(key("data.test-fraction", DOUBLE).def(0.0).range(ValueRange.closedOpen(0, 1))
        .doc("Fraction of the training input held out for the final test evaluation when "
            + "data.test is not given; 0 means no test split. Together with "
            + "data.validation-fraction it must stay below 1. Not used when data.test.path is "
            + "set (setting both is an error)."));
    add(key("data.standardize", BOOLEAN).def(true)
        .doc("Standardize every feature to zero mean and unit variance with statistics of the "
            + "training split. The statistics are stored in the model and applied at prediction. "
            + "Dense input only: sparse input (data.sparse) is used as it is."));
    add(key("data.sparse", CHOICE).def("auto").choices("auto", "true", "false")
        .doc("Keep sparse features sparse: the cached blocks hold only the non-zeros (CSR) and "
            + "the first layer is a sparse x dense product, so memory and first-layer work follow "
            + "the non-zeros instead of rows x features. auto: sparse when the features arrive as "
            + "sparse vectors (libsvm, a parquet column of Spark ML sparse vectors) and their "
            + "density, non-zeros / (rows x features) of the training split, is below 0.1. "
            + "true: always (dense vectors are packed by their non-zeros). false: never. Sparse "
            + "features are not standardized (centering would make them dense; "
            + "data.standardize applies to dense input only)."));
    add(key("data.invalid-rows", CHOICE).def("fail").choices("fail", "drop")
        .doc("libsvm, idx and vector columns: what to do with rows holding NaN or infinite "
            + "values: fail with an error, or drop them from every split (counted once). csv and "
            + "parquet columns follow data.missing instead; drop here also turns the default "
            + "data.missing.policy = fail into drop (its older spelling)."));
    add(key("data.standardize-target", BOOLEAN).def(true)
        .doc("regression: train on targets standardized with the training split's mean and "
            + "standard deviation; the scaling is folded back into the output layer, so "
            + "predictions, test metrics and evaluate are in the original units (per-epoch "
            + "losses and validation RMSE are in standardized units). Stored in model.json under "
            + "preparation.target."));
    add(key("data.partitions", INT).def(0).range(ValueRange.atLeast(0))
        .doc("Repartition the training input to this many partitions; 0 keeps the partitioning "
            + "of the input. Every step runs one task per partition and returns one gradient per "
            + "partition, so for small batches one partition per executor core is fastest (MNIST, "
            + "batch 256, local[2]: 7.7 s per epoch with 2 partitions, 12.0 s with 4); use more "
            + "only when a partition's rows do not fit its task's share of the heap."));
    add(key("data.shuffle", BOOLEAN).def(false)
        .doc("With data.partitions > 0: true repartitions with a full random shuffle of rows "
            + "across partitions (useful when the input is sorted, e.g. by label); false only "
            + "coalesces when reducing the partition count. Requires data.partitions > 0."));

    section("data.missing", "Missing values of csv and parquet feature columns: empty cells, "
        + "nulls, NaN and infinite numbers (and cells equal to the reader's nullValue option). "
        + "What is learned (imputed values) comes from the training rows, is stored in "
        + "model.json and applied identically by evaluate and predict. A missing label is always "
        + "an error.");
    add(key("data.missing.policy", CHOICE).def("fail").choices("fail", "drop", "impute")
        .doc("fail: an error naming the file, the column and the data row. drop: rows with a "
            + "missing value are left out of every split (and of evaluate and predict), counted "
            + "once and reported. impute: numbers get data.missing.numeric-impute of the training "
            + "rows, categories a '<missing>' category."));
    add(key("data.missing.numeric-impute", CHOICE).def("mean").choices("mean", "median")
        .doc("impute: the value given to a missing number (median: Spark's approximate "
            + "percentile, relative error 1e-4)."));
    add(key("data.missing.indicator", BOOLEAN).def(false)
        .doc("impute: add a 0/1 feature '<column>#missing' after every numeric column that has "
            + "missing values in the training rows."));
    add(key("data.missing.columns", STRING_MAP).def(Map.of())
        .constraint("values fail, drop or impute; keys are feature columns")
        .doc("Per-column policy overriding data.missing.policy, e.g. columns { age = impute, "
            + "income = drop }. Quote names with dots or spaces."));
    section("data.categorical", "One-hot encoding of categorical feature columns (csv and "
        + "parquet). The vocabulary is learned from the training rows and stored in model.json; "
        + "every categorical column also gets an '<other>' slot for categories below the limits "
        + "and for categories first seen at evaluate or predict time.");
    add(key("data.categorical.auto-detect", BOOLEAN).def(true)
        .doc("Encode text columns without listing them: a column whose non-missing training "
            + "values are mostly not numbers is categorical (logged). A numeric column with a few "
            + "non-numeric values is an error naming the value (list it in categorical-columns, "
            + "or set nullValue). false: only categorical-columns are encoded."));
    add(key("data.categorical.max-categories", INT).def(100).range(ValueRange.atLeast(1))
        .doc("At most this many categories per column (the most frequent); rarer ones go to "
            + "'<other>'."));
    add(key("data.categorical.min-frequency", INT).def(1).range(ValueRange.atLeast(1))
        .doc("Categories seen in fewer training rows go to '<other>'."));

    section("network", "The network between the input features and the output layer. The input "
        + "width comes from the data (feature count) and the output width from the task and the "
        + "labels (1 for binary, the class count for multiclass, the label columns for multilabel).");
    add(key("network.hidden", INT_LIST).def(List.of(64, 32)).range(ValueRange.atLeast(1))
        .doc("Widths of the hidden layers, input side first; [] gives a linear (regression) or "
            + "logistic (classification) model. All hidden layers use network.activation. Give "
            + "either network.hidden or network.layers, not both (to switch form from the command "
            + "line, unset the other: --set network.hidden=null)."));
    add(key("network.activation", STRING).def(DEFAULT_ACTIVATION)
        .constraint("one of " + TRAINABLE_ACTIVATIONS)
        .doc("Activation of every hidden layer listed in network.hidden. Not allowed with "
            + "network.layers, where each layer names its own."));
    add(key("network.layers", LAYER_LIST)
        .optional("the hidden layers are network.hidden",
            "[{width = 64, activation = relu, dropout = 0.2}, {width = 32, activation = \"leaky_relu(0.1)\"}]")
        .doc("Hidden layers, input side first, as objects {width, activation, dropout}: width is "
            + "the number of units (an integer >= 1, as in network.hidden), activation as in "
            + "network.activation (default \"relu\"), dropout as in network.dropout (default "
            + "network.dropout). Alternative to network.hidden when layers need different "
            + "activations or dropout rates."));
    add(key("network.dropout", DOUBLE).def(0.0).range(ValueRange.closedOpen(0, 1))
        .doc("Dropout rate of every hidden layer (a network.layers element may set its own "
            + "dropout): during training each hidden unit's output is dropped with this "
            + "probability and the kept ones are scaled by 1/(1 - rate); evaluation, validation, "
            + "prediction and export use the whole network. The masks are drawn from train.seed, "
            + "the epoch, the step and each row's content, so runs stay reproducible across "
            + "partitionings, retries and resumes. Hidden layers only (never the output layer); "
            + "0 disables it."));
    add(key("network.output-activation", CHOICE).def("auto")
        .choices("auto", "identity", "sigmoid", "softmax")
        .doc("Activation of the output layer. auto uses the task's (identity for regression and "
            + "autoencoder, sigmoid for binary and multilabel, softmax for multiclass); any other "
            + "value must equal it, except that an autoencoder may use sigmoid (with "
            + "binary_cross_entropy)."));
    add(key("network.loss", CHOICE).def("auto")
        .choices("auto", "mse", "squared_error", "binary_cross_entropy", "bce",
            "sigmoid_cross_entropy", "cross_entropy", "softmax_cross_entropy",
            "categorical_cross_entropy")
        .doc("Loss. auto uses the task's (mse for regression and autoencoder, "
            + "binary_cross_entropy for binary and multilabel, cross_entropy for multiclass); any "
            + "other value must equal it, except that an autoencoder may use binary_cross_entropy "
            + "(with a sigmoid output; auto output then means sigmoid)."));
    add(key("network.bottleneck", INT).optional("no code layer", "1")
        .range(ValueRange.atLeast(0))
        .constraint("an index into the hidden layers; task autoencoder only")
        .doc("Autoencoder: the hidden layer (0-based index into network.hidden or network.layers) "
            + "whose activations are the code; predict --output-layer bottleneck writes them. "
            + "Recorded in model.json."));
    add(key("network.init", CHOICE).def("auto")
        .choices("auto", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal")
        .doc("Weight initialization (biases start at 0). auto uses he_uniform for layers followed "
            + "by a ReLU-family activation (relu, leaky_relu, softplus, mish) and xavier_uniform "
            + "otherwise. Weights are drawn from train.seed."));

    section("train", "How the network is trained: data-parallel mini-batch gradient descent, one "
        + "synchronous model update per global batch (or, with train.sync-every > 1, local steps "
        + "averaged every sync-every batches).");
    add(key("train.epochs", INT).def(TrainerConfig.DEFAULT_EPOCHS).range(ValueRange.atLeast(1))
        .doc("Passes over the training data (fewer if early stopping triggers)."));
    add(key("train.batch-size", INT).def(TrainerConfig.DEFAULT_BATCH_SIZE)
        .range(ValueRange.atLeast(1))
        .doc("Global mini-batch size: expected rows per update over all partitions, independent "
            + "of the partition count."));
    add(key("train.seed", LONG).def(TrainerConfig.DEFAULT_SEED)
        .doc("Seeds weight initialization, the validation/test split and every epoch's batches: "
            + "the same seed, data and partitioning give the same model."));

    add(key("train.class-weights", CLASS_WEIGHTS)
        .optional("every class weighs 1", "balanced")
        .doc("binary and multiclass only: per-class weights of the training loss, multiplying "
            + "each row's sample weight (data.train.weight-column). balanced gives class c the "
            + "weight n / (k * n_c) from the training rows' class counts (as scikit-learn: n rows, "
            + "k classes present); an object gives weights by class label value as the data holds "
            + "it, e.g. { \"0\" = 1.0, \"1\" = 5.0 } or { cat = 2, dog = 1 }; classes left out "
            + "weigh 1 and an unknown label is an error. They apply to the training loss and "
            + "gradient and to the validation loss (early stopping watches the objective being "
            + "optimized); accuracy and the evaluation metrics weigh rows by their sample weights "
            + "only. The resolved weights are stored in model.json (provenance.weights)."));
    add(key("train.storage-level", CHOICE).def(TrainerConfig.DEFAULT_STORAGE_LEVEL)
        .choices(STORAGE_LEVELS)
        .doc("Spark storage level of the cached, packed training data."));
    add(key("train.tree-depth", INT).def(TrainerConfig.DEFAULT_TREE_DEPTH)
        .range(ValueRange.closed(0, 8))
        .doc("Depth of the tree reduction that sums gradients; 0 chooses it from the partition "
            + "count."));
    add(key("train.sync-every", INT).def(SyncSettings.DEFAULT_EVERY).range(ValueRange.atLeast(1))
        .doc("Steps between synchronizations (local SGD, periodic model averaging). 1: every step "
            + "is synchronous (the partitions' gradients are summed, one update per global "
            + "batch). H > 1: every partition takes H local steps on its own share of H global "
            + "batches (about batch-size / partitions rows each) with the configured optimizer, "
            + "then the driver averages the partitions' weights and optimizer states (weighted by "
            + "rows) and applies train.outer-optimizer: one Spark job per H steps. The result "
            + "then depends on the number of partitions."));
    add(key("train.outer-optimizer", CHOICE).def(SyncSettings.DEFAULT_OUTER.toString())
        .choices("average", "momentum", "nesterov")
        .doc("Update applied at each synchronization to the displacement d = (global weights - "
            + "averaged weights): average (x - outer-lr d; outer-lr 1 is the plain average), "
            + "momentum (heavy ball, as SlowMo) or nesterov (as DiLoCo, which uses outer-lr 0.7, "
            + "outer-momentum 0.9)."));
    add(key("train.outer-lr", DOUBLE).def(decimal(SyncSettings.DEFAULT_OUTER_LR))
        .range(ValueRange.above(0))
        .doc("Learning rate of the outer update."));
    add(key("train.outer-momentum", DOUBLE).def(decimal(SyncSettings.DEFAULT_OUTER_MOMENTUM))
        .range(ValueRange.closedOpen(0, 1))
        .doc("Momentum of the outer update (momentum and nesterov)."));
    add(key("train.transfer-precision", CHOICE).def(TransferPrecision.FLOAT32.toString())
        .choices("float32", "bfloat16")
        .doc("Precision of what a synchronous step ships: the weights sent to every task and the "
            + "gradient sum every partition returns. float32: as computed. bfloat16: both "
            + "rounded to bfloat16 (round to nearest even; half the bytes each way); tasks compute "
            + "the gradient at the rounded weights, while the driver keeps float32 master weights "
            + "and optimizer state (mixed precision) and sums the partitions in a fixed order, so "
            + "runs stay bitwise reproducible. Needs train.sync-every = 1: local-SGD rounds ship "
            + "weights and optimizer state, which are not rounded."));
    add(key("train.round-transport", CHOICE).def(RoundTransport.AUTO.toString())
        .choices("auto", "direct", "spark")
        .doc("How synchronous steps and local-SGD rounds reach the partitions; the result is the "
            + "same bits either way. spark: one Spark job per step or round (the weights "
            + "broadcast, the sums through Spark's task results). direct: one Spark job per epoch "
            + "whose tasks exchange every step or round with the driver over a TCP socket (the "
            + "executors connect to spark.driver.host on a random port, with a per-run token); "
            + "it needs a task slot for every partition, a depth-1 reduction and float32 "
            + "transfer, is not used when spark.network.crypto.enabled is true (the socket is "
            + "not encrypted), and otherwise, or after any failure (a lost executor, a task that "
            + "cannot start within 30 s), steps go through Spark jobs from the same weights. "
            + "auto: direct on a cluster when those hold, spark in local mode (steps are handed "
            + "over in memory there)."));
    add(key("train.progress-interval", DOUBLE)
        .def(TrainerConfig.DEFAULT_PROGRESS_INTERVAL_SECONDS).range(ValueRange.atLeast(0))
        .doc("Seconds between progress lines inside an epoch (step/steps, loss and samples/s so "
            + "far, ETA of the epoch and the run), also appended to metrics.jsonl; 0 = off."));

    section("train.optimizer", "The update rule and its regularization. Fields an optimizer does "
        + "not use are validated but ignored.");
    add(key("train.optimizer.type", CHOICE).def(TrainerConfig.DEFAULT_OPTIMIZER.toString())
        .choices("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")
        .doc("Update rule: sgd, momentum (heavy ball), nesterov, adagrad, rmsprop, adam, or adamw "
            + "(Adam with decoupled weight decay). Decaying state (momentum's velocity, RMSProp's "
            + "mean square, Adam's moments) is stored as 0 below 2^-100, so it never becomes "
            + "subnormal, which x86 computes tens of times slower; the effect on the weights is "
            + "below float resolution."));
    add(key("train.optimizer.learning-rate", DOUBLE)
        .def(decimal(TrainerConfig.DEFAULT_LEARNING_RATE)).range(ValueRange.above(0))
        .doc("Base learning rate, before the schedule."));
    add(key("train.optimizer.momentum", DOUBLE).def(decimal(OptimConfig.DEFAULT_MOMENTUM))
        .range(ValueRange.closedOpen(0, 1))
        .doc("momentum and nesterov: momentum coefficient."));
    add(key("train.optimizer.beta1", DOUBLE).def(decimal(OptimConfig.DEFAULT_BETA1))
        .range(ValueRange.closedOpen(0, 1))
        .doc("adam and adamw: decay of the first-moment estimate."));
    add(key("train.optimizer.beta2", DOUBLE).def(decimal(OptimConfig.DEFAULT_BETA2))
        .range(ValueRange.closedOpen(0, 1))
        .doc("adam and adamw: decay of the second-moment estimate."));
    add(key("train.optimizer.rho", DOUBLE).def(decimal(OptimConfig.DEFAULT_RHO))
        .range(ValueRange.closedOpen(0, 1))
        .doc("rmsprop: decay of the mean squared gradient."));
    add(key("train.optimizer.epsilon", DOUBLE).def(decimal(OptimConfig.DEFAULT_EPSILON))
        .range(ValueRange.above(0))
        .doc("adam, adamw: added to sqrt(v); adagrad, rmsprop: added inside the square root."));
    add(key("train.optimizer.l2", DOUBLE).def(0.0).range(ValueRange.atLeast(0))
        .doc("L2 penalty coefficient: l2 * w is added to the gradient of every weight "
            + "(and bias if decay-biases)."));
    add(key("train.optimizer.weight-decay", DOUBLE)
        .optional("0, or 0.01 with adamw", "0.01").range(ValueRange.atLeast(0))
        .constraint("learning-rate * weight-decay < 1")
        .doc("Decoupled weight decay, usable with every optimizer: each update also subtracts "
            + "learning-rate * weight-decay * w."));
    add(key("train.optimizer.decay-biases", BOOLEAN).def(false)
        .doc("Apply l2 and weight-decay to biases as well as weights."));
    add(key("train.optimizer.clip-norm", DOUBLE).def(0.0).range(ValueRange.atLeast(0))
        .doc("Rescale the gradient when its global L2 norm exceeds this; 0 disables clipping."));

    section("train.schedule", "The learning-rate schedule, counted in updates (steps). Fields a "
        + "schedule does not use are validated but ignored.");
    add(key("train.schedule.type", CHOICE).def("constant")
        .choices("constant", "step", "exponential", "cosine", "plateau")
        .doc("constant: lr. step: lr * gamma^floor(t / step-size). exponential: lr * gamma^t. "
            + "cosine: linear warm-up over warmup-steps, then cosine decay to min-learning-rate at "
            + "the last step. plateau: multiply by factor when the validation loss stops improving "
            + "(needs validation data)."));
    add(key("train.schedule.step-size", INT).def(ScheduleConfig.DEFAULT_STEP_SIZE)
        .range(ValueRange.atLeast(1))
        .doc("step: updates between two decays."));
    add(key("train.schedule.gamma", DOUBLE).def(decimal(ScheduleConfig.DEFAULT_GAMMA))
        .range(ValueRange.openClosed(0, 1))
        .doc("step and exponential: multiplicative decay (1 = none)."));
    add(key("train.schedule.warmup-steps", INT).def(0).range(ValueRange.atLeast(0))
        .doc("cosine: length of the linear warm-up, in updates."));
    add(key("train.schedule.min-learning-rate", DOUBLE).def(0.0).range(ValueRange.atLeast(0))
        .constraint("at most train.optimizer.learning-rate")
        .doc("cosine: final learning rate."));
    add(key("train.schedule.factor", DOUBLE).def(decimal(ScheduleConfig.DEFAULT_FACTOR))
        .range(ValueRange.open(0, 1))
        .doc("plateau: multiplier applied on a plateau."));
    add(key("train.schedule.patience", INT).def(ScheduleConfig.DEFAULT_PATIENCE)
        .range(ValueRange.atLeast(0))
        .doc("plateau: validations without improvement tolerated before reducing the rate."));
    add(key("train.schedule.threshold", DOUBLE)
        .def(decimal(ScheduleConfig.DEFAULT_THRESHOLD)).range(ValueRange.atLeast(0))
        .doc("plateau: minimum relative improvement of the validation loss."));
    add(key("train.schedule.min-lr", DOUBLE).def(0.0).range(ValueRange.atLeast(0))
        .constraint("at most train.optimizer.learning-rate")
        .doc("plateau: floor of the learning rate."));

    section("train.early-stopping", "Stop when the validation loss stops improving (needs "
        + "validation data).");
    add(key("train.early-stopping.patience", INT).def(TrainerConfig.DEFAULT_PATIENCE)
        .range(ValueRange.atLeast(0))
        .doc("Epochs without improvement before stopping; 0 disables early stopping."));
    add(key("train.early-stopping.min-delta", DOUBLE)
        .def(TrainerConfig.DEFAULT_MIN_DELTA).range(ValueRange.atLeast(0))
        .doc("Minimum decrease of the validation loss that counts as an improvement."));
    add(key("train.early-stopping.restore-best", BOOLEAN)
        .def(TrainerConfig.DEFAULT_RESTORE_BEST)
        .doc("Keep the weights of the best validation epoch rather than the last."));

    section("checkpoint", "Training checkpoints for resuming an interrupted run exactly: weights, "
        + "optimizer state, position in the epoch, early-stopping state and a fingerprint of the "
        + "configuration and data. Each is written atomically (temporary directory, then rename) as "
        + "<path>/step-<global step>/ (state.json and tensors.safetensors); no Java serialization.");
    add(key("checkpoint.path", STRING)
        .optional("no checkpoints are written", "\"hdfs:///user/me/ckpt/breast-cancer\"")
        .doc("Checkpoint directory (any Hadoop file system path, ideally shared and durable). "
            + "It must be empty unless checkpoint.resume is true."));
    add(key("checkpoint.every-steps", INT).def(0).range(ValueRange.atLeast(0))
        .doc("Write a checkpoint every this many global steps (updates); 0 = not by steps. A "
            + "checkpoint due at an epoch's last step is written after that epoch's validation."));
    add(key("checkpoint.every-epoch", BOOLEAN).def(true)
        .doc("Write a checkpoint at the end of every epoch, after validation."));
    add(key("checkpoint.keep", INT).def(3).range(ValueRange.atLeast(1))
        .doc("How many of the newest checkpoints to keep; older ones are deleted."));
    add(key("checkpoint.resume", BOOLEAN).def(false)
        .doc("Continue from the newest valid checkpoint under checkpoint.path (a corrupt or "
            + "partial one is skipped with a warning; none: start from scratch). The result is "
            + "bitwise identical to an uninterrupted run. Refused if the configuration or the "
            + "data changed since the checkpoint was written, unless checkpoint.force is true."));
    add(key("checkpoint.force", BOOLEAN).def(false)
        .doc("Resume even if the configuration or data fingerprint differs (the network shape "
            + "and optimizer type must still match). The result is then not reproducible."));

    section("output", "Where the trained model goes.");
    add(key("output.model", STRING)
        .optional("the model is not saved", "\"models/breast-cancer\"")
        .doc("Model directory to write (any Hadoop file system path): model.json, with this "
            + "configuration and the metrics, and weights.safetensors."));
    add(key("output.overwrite", BOOLEAN).def(false)
        .doc("Replace an existing model directory instead of failing."));

    section("generate", "The generate command (spark-mlp generate CONFIG): synthetic rows from a "
        + "fixed random teacher network, generated inside Spark tasks and written as Parquet with "
        + "a features column (array of float) and a label column, readable by train with "
        + "data.train.format = parquet and data.train.features-column = features (or as CSV: "
        + "generate.format). The teacher has "
        + "tanh hidden layers and a linear output, weights drawn from generate.seed; features are "
        + "N(0, 1). Row i depends only on the seed, the settings and i. Only generate reads this "
        + "section (with spark); train, evaluate and predict ignore it.");
    add(key("generate.output", STRING).required("\"target/data/synthetic.parquet\"")
        .doc("Output directory (any Hadoop file system path). Written to a hidden temporary "
            + "sibling, then renamed; an existing path is refused unless generate.overwrite."));
    add(key("generate.format", CHOICE).def("parquet").choices("parquet", "csv")
        .doc("Output format. parquet: a features column (array of float) and a label column. "
            + "csv: a header line, one column per feature (x1..xN) and the label column, readable "
            + "by train with data.train.format = csv (and by tools outside Spark); a single label "
            + "only (binary, multiclass, one regression target)."));
    add(key("generate.overwrite", BOOLEAN).def(false)
        .doc("Replace an existing output (only after the new one is complete)."));
    add(key("generate.task", CHOICE).def("multiclass")
        .choices("regression", "binary", "multiclass", "multilabel")
        .doc("The label: multiclass: argmax of the teacher outputs (an integer class index). "
            + "binary: 1 if the single output is > 0 (sigmoid > 0.5), else 0. multilabel: per "
            + "output 1 if > 0, else 0 (an array of floats). regression: the outputs themselves "
            + "(a double, or an array of doubles for several outputs)."));
    add(key("generate.rows", LONG).def(100_000L).range(ValueRange.atLeast(1))
        .doc("Number of rows."));
    add(key("generate.features", INT).def(50).range(ValueRange.atLeast(1))
        .doc("Number of features (the teacher's input width)."));
    add(key("generate.hidden", INT_LIST).def(List.of(64, 32)).range(ValueRange.atLeast(1))
        .doc("Widths of the teacher's hidden layers (tanh), input side first; [] gives a linear "
            + "teacher."));
    add(key("generate.outputs", INT).optional("1 for binary, 5 otherwise", "5")
        .range(ValueRange.atLeast(1))
        .constraint("1 for binary; >= 2 for multiclass")
        .doc("The teacher's output width: the class count (multiclass), 1 (binary), the label "
            + "count (multilabel) or the target count (regression)."));
    add(key("generate.seed", LONG).def(20240601L)
        .doc("Seeds the teacher's weights and every row: the same seed and settings give the same "
            + "rows, whatever generate.partitions."));
    add(key("generate.partitions", INT).def(0).range(ValueRange.atLeast(0))
        .doc("Spark partitions, one Parquet part file each, holding contiguous ranges of rows; "
            + "0 chooses the default parallelism, or more so that no partition holds more than "
            + "1,000,000 rows. Does not change the rows."));
    add(key("generate.noise", DOUBLE).def(0.0).range(ValueRange.atLeast(0))
        .doc("Standard deviation of Gaussian noise added to each teacher output before the label "
            + "is taken: target noise for regression, label noise near the decision boundaries for "
            + "classification. 0 for none."));

    section("spark", "The Spark application.");
    add(key("spark.master", STRING)
        .optional("spark-submit (or the environment) decides", "\"local[*]\"")
        .doc("Master URL, e.g. local[*] for a local run. Leave it out when submitting to a "
            + "cluster: a master set here overrides spark-submit --master."));
    add(key("spark.app-name", STRING).def("spark-mlp")
        .doc("Application name shown in the Spark UI."));
    add(key("spark.ui", BOOLEAN).def(false)
        .doc("Start Spark's web UI in a local run and log its URL (each step is a job there). "
            + "Local runs start without it; under spark-submit the cluster's spark.ui.enabled "
            + "applies unless this is true."));
    add(key("spark.conf", STRING_MAP).def(Map.of())
        .constraint("keys start with \"spark.\"; not spark.master or spark.app.name")
        .doc("Spark settings passed through to the SparkConf, e.g. "
            + "conf { \"spark.executor.memory\" = 2g }. Quote keys that contain dots."));
  }

  /** The three input sections, from one definition of their fields. */
  private static void defineSources() {
    Map<String, Function<String, ConfigKey.Builder>> fields = new LinkedHashMap<>();
    fields.put("path", p -> key(p, STRING).required("\"data/train.csv\"")
        .doc("Input path: a file, directory or glob on any Hadoop file system (local, hdfs://, "
            + "s3a://...). Relative paths are relative to the driver's working directory. "
            + "Compressed files (.gz, .bz2) are read transparently. idx: the images file (one "
            + "file, not a directory or a glob matching several)."));
    fields.put("labels-path", p -> key(p, STRING)
        .optional("no labels file (every format but idx)", "\"data/train-labels-idx1-ubyte.gz\"")
        .doc("idx only, required there: the labels file (idx1: one unsigned byte class index per "
            + "image) matching the images file in path; both must hold the same number of items. "
            + "Any Hadoop file system path, compressed or not."));
    fields.put("format", p -> key(p, CHOICE).required("csv")
        .choices("libsvm", "csv", "parquet", "idx")
        .doc("File format: libsvm (label index:value ..., 1-based indices), csv (delimited text), "
            + "parquet, or idx (the MNIST format: big-endian header, unsigned bytes; an images file "
            + "in path and a labels file in labels-path, for binary and multiclass tasks). idx "
            + "files are read and checked on the driver, then broadcast, so they must fit in "
            + "driver memory; each image becomes a dense feature vector of its pixels in row-major "
            + "order, divided by 255 (scaled to [0, 1]; data.standardize applies on top)."));
    fields.put("num-features", p -> key(p, INT).def(0).range(ValueRange.atLeast(0))
        .doc("libsvm only: number of features (the largest index); 0 infers it from the data."));
    fields.put("label-column", p -> key(p, STRING).def("label")
        .doc("csv, parquet: the label column (binary, multiclass, single-target regression). "
            + "Class labels may be numbers or strings."));
    fields.put("label-columns", p -> key(p, STRING_LIST).def(List.of())
        .doc("csv, parquet: several label columns, each 0/1 for multilabel (required there) or "
            + "numeric for multi-target regression. When non-empty it replaces label-column; "
            + "give only one of the two."));
    fields.put("features-column", p -> key(p, STRING)
        .optional("the features are numeric columns (see feature-columns)", "\"features\"")
        .doc("parquet only: one column holding all features, as a Spark ML vector or an array of "
            + "numbers. Not allowed together with feature-columns."));
    fields.put("feature-columns", p -> key(p, STRING_LIST).def(List.of())
        .doc("csv, parquet: numeric feature columns, in input order; [] means every column that "
            + "is not a label or id column."));
    fields.put("id-columns", p -> key(p, STRING_LIST).def(List.of())
        .doc("csv, parquet: columns passed through to predictions, never used as features."));
    fields.put("csv-header", p -> key(p, BOOLEAN).def(true)
        .doc("csv only: the first line holds the column names (without it Spark names the "
            + "columns _c0, _c1, ...)."));
    fields.put("csv-delimiter", p -> key(p, STRING).def(",")
        .doc("csv only: field delimiter."));
    fields.put("skip-lines", p -> key(p, INT).def(0).range(ValueRange.atLeast(0))
        .doc("csv only: leading lines of every file skipped before the header (a preamble such "
            + "as scikit-learn's 'n_samples,n_features,...' line)."));
    fields.put("options", p -> key(p, STRING_MAP).def(Map.of())
        .doc("csv, parquet: options passed as they are to Spark's reader, e.g. options { comment "
            + "= \"#\", quote = \"'\", nullValue = \"?\" } (see Spark's CSV and Parquet data "
            + "source options). They win over csv-header and csv-delimiter. Cells equal to "
            + "nullValue are missing values."));
    fields.put("categorical-columns", p -> key(p, STRING_LIST).def(List.of())
        .doc("csv, parquet: feature columns one-hot encoded as categories whatever their values "
            + "(for example integer-coded ones). Text columns are encoded without being listed "
            + "(data.categorical.auto-detect)."));
    fields.put("exclude-columns", p -> key(p, STRING_LIST).def(List.of())
        .doc("csv, parquet: columns that are never features, when the features are every other "
            + "column (feature-columns = []); unknown names are an error."));
    fields.put("weight-column", p -> key(p, STRING)
        .optional("every row weighs 1", "\"weight\"")
        .doc("csv, parquet: a numeric column of per-row sample weights (finite numbers >= 0; a "
            + "missing, negative or NaN weight is an error naming the file and column). A row's "
            + "weight scales its loss and gradient in training (the driver divides by the summed "
            + "weight instead of the row count; a weight of 2 counts the row twice) and its share "
            + "of every metric (validation loss and accuracy, test and evaluate metrics). Never a "
            + "feature; predict ignores it."));
    if (!List.copyOf(fields.keySet()).equals(SOURCE_FIELDS)) {
      throw new IllegalStateException("SOURCE_FIELDS does not match the source definitions");
    }
    for (DataSource.Format f : DataSource.Format.values()) {
      if (!SOURCE_FIELDS.containsAll(f.keys())) {
        throw new IllegalStateException(f + " declares keys that are not input fields: "
            + f.keys());
      }
    }

    section("data.train", "The training input (required). Keys marked for other formats (e.g. "
        + "csv-header with parquet) must be left out or at their defaults.");
    for (var e : fields.entrySet()) {
      add(e.getValue().apply("data.train." + e.getKey()));
    }
    for (String role : List.of("validation", "test")) {
      String s = "data." + role;
      String fraction = "data." + role + "-fraction";
      section(s, "Optional separate " + role + " input, with the keys of data.train. Any key "
          + "left out here is inherited from data.train, except path (and labels-path for idx), "
          + "which is required when this section is given. Without this section, " + fraction
          + " of the training input is held out instead.");
      for (var e : fields.entrySet()) {
        String name = e.getKey();
        ConfigKey template = e.getValue().apply("data.train." + name).build();
        ConfigKey.Builder b = key(s + "." + name, template.type()).range(template.range())
            .constraint(template.constraint());
        if (!template.choices().isEmpty()) {
          b.choices(template.choices().toArray(String[]::new));
        }
        if (name.equals("path")) {
          b.optional("no separate " + role + " input (" + fraction + " applies)",
              "\"data/" + role + ".csv\"")
              .doc("Path of the " + role + " input, as data.train.path. Required when "
                  + s + " is given; " + fraction + " is then not used.");
        } else if (name.equals("labels-path")) {
          b.optional("no labels file (every format but idx)",
              "\"data/" + role + "-labels-idx1-ubyte.gz\"")
              .doc("idx only: the labels file of the " + role + " images, as "
                  + "data.train.labels-path. Like path it is not inherited: required when " + s
                  + " is given with idx input.");
        } else {
          b.optional("inherited from data.train." + name,
              template.example() != null ? template.example() : template.defaultText())
              .doc("As data.train." + name + ".");
        }
        add(b);
      }
    }
  }
}
