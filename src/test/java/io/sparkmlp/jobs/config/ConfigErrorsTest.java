package io.sparkmlp.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of configuration error is a one-line {@link ConfigError} naming the key, prefixed by
 * the file (or --set) the offending value comes from.
 */
class ConfigErrorsTest {
  private static final String BASE = ConfigFiles.MINIMAL;

  @TempDir
  Path dir;

  /** An invalid configuration: file text added to the minimal job, and the expected message. */
  private static Arguments fileCase(String name, String text, String key, String expected) {
    return Arguments.of(name, BASE + text, List.of(), key, expected, true);
  }

  private static Arguments overrideCase(String name, String key, String expected,
      String... overrides) {
    return Arguments.of(name, BASE, List.of(overrides), key, expected, false);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        // unknown keys
        fileCase("unknown key", "train.epoch = 5", "train.epoch",
            "unknown key train.epoch; did you mean train.epochs?"),
        fileCase("key in the wrong section", "train.learning-rate = 0.1", "train.learning-rate",
            "did you mean train.optimizer.learning-rate?"),
        fileCase("unknown section", "trian { epochs = 3 }", "trian", "did you mean train?"),
        fileCase("unknown key far from any", "data.train.zzzzzzzz = 1",
            "data.train.zzzzzzzz", "known keys in data.train are path, labels-path, format"),
        overrideCase("unknown override key", "train.learning-rate",
            "unknown key train.learning-rate; did you mean train.optimizer.learning-rate?",
            "train.learning-rate=0.1"),
        fileCase("unknown layer key", "network.layers = [{widht = 3}]\nnetwork.hidden = null",
            "network.layers[0].widht", "did you mean network.layers[0].width?"),
        // wrong types
        fileCase("string for integer", "train.epochs = ten", "train.epochs",
            "train.epochs must be an integer, got string \"ten\""),
        fileCase("fraction for integer", "train.batch-size = 2.5", "train.batch-size",
            "train.batch-size must be an integer, got number 2.5"),
        fileCase("number for list", "network.hidden = 64", "network.hidden",
            "network.hidden must be a list of integers"),
        fileCase("string in list", "network.hidden = [64, x]", "network.hidden[1]",
            "network.hidden[1] must be an integer"),
        fileCase("scalar for section", "train.optimizer = adam", "train.optimizer",
            "train.optimizer must be an object with keys type, learning-rate"),
        fileCase("object for number", "train.optimizer.learning-rate { a = 1 }",
            "train.optimizer.learning-rate", "must be a finite number, got object"),
        fileCase("not a boolean", "data.standardize = maybe", "data.standardize",
            "data.standardize must be true or false"),
        fileCase("not a choice", "train.optimizer.type = adamm", "train.optimizer.type",
            "must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, got 'adamm'; "
                + "did you mean adam?"),
        fileCase("bad storage level", "train.storage-level = MEMORY", "train.storage-level",
            "train.storage-level must be one of MEMORY_AND_DISK"),
        fileCase("empty string", "output.model = \"\"", "output.model",
            "output.model must not be empty"),
        overrideCase("override of the wrong type", "train.epochs",
            "train.epochs must be an integer, got string \"abc\"", "train.epochs=abc"),
        // out of range
        fileCase("negative learning rate", "train.optimizer.learning-rate = -0.1",
            "train.optimizer.learning-rate", "train.optimizer.learning-rate must be > 0, got -0.1"),
        fileCase("zero batch size", "train.batch-size = 0", "train.batch-size",
            "train.batch-size must be >= 1, got 0"),
        fileCase("zero epochs", "train.epochs = 0", "train.epochs",
            "train.epochs must be >= 1, got 0"),
        fileCase("fraction of 1.5", "data.validation-fraction = 1.5", "data.validation-fraction",
            "data.validation-fraction must be in [0, 1), got 1.5"),
        fileCase("deep tree", "train.tree-depth = 9", "train.tree-depth",
            "train.tree-depth must be in [0, 8], got 9"),
        fileCase("beta2 of 1", "train.optimizer.beta2 = 1", "train.optimizer.beta2",
            "train.optimizer.beta2 must be in [0, 1), got 1"),
        fileCase("gamma of 0", "train.schedule.gamma = 0", "train.schedule.gamma",
            "train.schedule.gamma must be in (0, 1], got 0"),
        fileCase("zero-width hidden layer", "network.hidden = [64, 0]", "network.hidden[1]",
            "network.hidden[1] must be >= 1, got 0"),
        fileCase("zero-width layer", "network.hidden = null\nnetwork.layers = [{width = 0}]",
            "network.layers[0].width", "network.layers[0].width must be >= 1, got 0"),
        fileCase("layer without width",
            "network.hidden = null\nnetwork.layers = [{activation = tanh}]",
            "network.layers[0].width", "network.layers[0].width is required"),
        fileCase("huge integer", "train.epochs = 10000000000", "train.epochs",
            "train.epochs must be an integer"),
        // missing required keys
        Arguments.of("missing task", "data.train { path = x, format = csv }", List.of(), "task",
            "task is required (one of regression, binary, multiclass, multilabel, autoencoder)",
            true),
        Arguments.of("missing path", "task = binary\ndata.train.format = csv", List.of(),
            "data.train.path", "data.train.path is required", true),
        Arguments.of("missing format", "task = binary\ndata.train.path = x", List.of(),
            "data.train.format", "data.train.format is required (one of libsvm, csv, parquet, idx)",
            true),
        fileCase("validation without path", "data.validation { format = parquet }",
            "data.validation.path", "data.validation.path is required when data.validation is "
                + "given"),
        // values the model records reject
        fileCase("unknown activation", "network.activation = relux", "network.activation",
            "network.activation: unknown activation 'relux'"),
        fileCase("untrainable activation", "network.activation = step", "network.activation",
            "network.activation = step cannot be trained"),
        fileCase("bad leaky slope", "network.activation = \"leaky_relu(2)\"",
            "network.activation", "network.activation: leaky_relu slope must be in [0, 1)"),
        fileCase("weight decay too large", "train.optimizer { learning-rate = 2, "
                + "weight-decay = 0.6 }", "train.optimizer.weight-decay",
            "train.optimizer.weight-decay * train.optimizer.learning-rate must be < 1"),
        fileCase("cosine floor above the rate", "train.schedule { type = cosine, "
                + "min-learning-rate = 0.01 }", "train.schedule.min-learning-rate",
            "train.schedule.min-learning-rate 0.01 exceeds train.optimizer.learning-rate 0.001"),
        // incompatible combinations
        fileCase("softmax for regression",
            "task = regression\nnetwork.output-activation = softmax",
            "network.output-activation", "network.output-activation = softmax is incompatible "
                + "with task regression, which needs identity (or auto)"),
        fileCase("mse for binary", "network.loss = mse", "network.loss",
            "network.loss = mse is incompatible with task binary, which needs "
                + "binary_cross_entropy"),
        fileCase("multilabel without label columns", "task = multilabel",
            "data.train.label-columns", "data.train.label-columns is required for task "
                + "multilabel"),
        fileCase("multilabel from libsvm", "task = multilabel\ndata.train.format = libsvm",
            "data.train.format", "data.train.format must be csv or parquet for task multilabel"),
        fileCase("label columns for binary", "data.train.label-columns = [a, b]",
            "data.train.label-columns", "data.train.label-columns is only for multilabel"),
        fileCase("both network forms", "network.hidden = [4]\nnetwork.layers = [{width = 8}]",
            "network.layers",
            "give either network.hidden (with network.activation) or network.layers, not both"),
        fileCase("activation with layers", "network.hidden = null\nnetwork.activation = tanh\n"
                + "network.layers = [{width = 8}]", "network.activation",
            "network.activation applies only to network.hidden"),
        fileCase("label key for libsvm", "data.train { format = libsvm, label-column = y }",
            "data.train.label-column", "data.train.label-column does not apply to libsvm input"),
        fileCase("idx without labels", "data.train.format = idx", "data.train.labels-path",
            "data.train.labels-path is required for idx input"),
        fileCase("idx test section without labels", "data.train { format = idx, labels-path = l }"
                + "\ndata.test.path = t", "data.test.labels-path",
            "data.test.labels-path is required for idx input: the labels file (idx1) matching "
                + "data.test.path (it is not inherited from data.train)"),
        fileCase("labels path for csv", "data.train.labels-path = l", "data.train.labels-path",
            "data.train.labels-path does not apply to csv input"),
        fileCase("idx for regression", "task = regression\ndata.train { format = idx, "
                + "labels-path = l }", "data.train.format",
            "data.train.format = idx needs task binary or multiclass (idx labels are one class "
                + "index per image), not regression"),
        fileCase("label key for idx", "data.train { format = idx, labels-path = l, "
                + "label-column = y }", "data.train.label-column",
            "data.train.label-column does not apply to idx input"),
        fileCase("csv key for parquet", "data.train { format = parquet, csv-header = false }",
            "data.train.csv-header", "data.train.csv-header does not apply to parquet input"),
        fileCase("label column and label columns",
            "task = multilabel\ndata.train { label-column = y, label-columns = [a, b] }",
            "data.train.label-columns",
            "give either data.train.label-column or data.train.label-columns, not both"),
        fileCase("features column and feature columns", "data.train { format = parquet, "
                + "features-column = f, feature-columns = [a] }", "data.train.features-column",
            "give either data.train.features-column or data.train.feature-columns, not both"),
        fileCase("label among the features", "data.train.feature-columns = [a, label]",
            "data.train.feature-columns",
            "data.train.feature-columns contains 'label', which is also a label column"),
        fileCase("duplicate id column", "data.train.id-columns = [id, id]",
            "data.train.id-columns", "data.train.id-columns lists column 'id' twice"),
        fileCase("fraction and validation path", "data.validation.path = v.csv\n"
                + "data.validation-fraction = 0.2", "data.validation-fraction",
            "data.validation-fraction and data.validation.path exclude each other"),
        fileCase("fractions summing to 1", "data.validation-fraction = 0.5\n"
                + "data.test-fraction = 0.5", "data.validation-fraction",
            "data.validation-fraction + data.test-fraction must be < 1, got 0.5 + 0.5"),
        fileCase("early stopping without validation", "data.validation-fraction = 0\n"
                + "train.early-stopping.patience = 3", "train.early-stopping.patience",
            "train.early-stopping.patience = 3 needs validation data"),
        fileCase("plateau without validation", "data.validation-fraction = 0\n"
                + "train.schedule.type = plateau", "train.schedule.type",
            "train.schedule.type = plateau needs validation data"),
        fileCase("bfloat16 transfer with local SGD", "train.transfer-precision = bfloat16\n"
                + "train.sync-every = 4", "train.transfer-precision",
            "train.transfer-precision = bfloat16 needs train.sync-every = 1, got 4"),
        fileCase("unknown transfer precision", "train.transfer-precision = float16",
            "train.transfer-precision", "train.transfer-precision"),
        fileCase("unknown round transport", "train.round-transport = rdma",
            "train.round-transport", "auto, direct, spark"),
        fileCase("shuffle without repartitioning", "data.shuffle = true", "data.shuffle",
            "data.shuffle = true needs data.partitions > 0"),
        fileCase("non-Spark setting", "spark.conf { \"foo.bar\" = 1 }", "spark.conf.\"foo.bar\"",
            "spark.conf.\"foo.bar\" is not a Spark setting"),
        fileCase("master in spark.conf", "spark.conf { \"spark.master\" = local }",
            "spark.conf.\"spark.master\"", "is not allowed here: set spark.master"),
        fileCase("list in spark.conf", "spark.conf { \"spark.jars\" = [a, b] }",
            "spark.conf.\"spark.jars\"", "must be a string, number or boolean, got list"),
        fileCase("Kryo registration switched off",
            "spark.conf { \"spark.kryo.registrationRequired\" = false }",
            "spark.conf.\"spark.kryo.registrationRequired\"", "must stay true"),
        fileCase("Kryo registrator replaced",
            "spark.conf { \"spark.kryo.registrator\" = com.example.Mine }",
            "spark.conf.\"spark.kryo.registrator\"",
            "must include io.sparkmlp.trainer.SparkMlpKryoRegistrator"),
        overrideCase("Java serializer", "spark.conf.\"spark.serializer\"",
            "must be org.apache.spark.serializer.KryoSerializer",
            "spark.conf.\"spark.serializer\"=org.apache.spark.serializer.JavaSerializer"),
        fileCase("blank master", "spark.master = \" \"", "spark.master",
            "spark.master must not be blank"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void errorNamesTheKey(String name, String text, List<String> overrides, String key,
      String expected, boolean fromFile) {
    Path file = ConfigFiles.write(dir, "job.conf", text);
    ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(file, overrides));
    String msg = e.getMessage();
    assertTrue(msg.contains(expected), () -> "message: " + msg + "\nexpected to contain: "
        + expected);
    assertFalse(msg.contains("\n"), "one line");
    assertTrue(msg.contains(key), "names the key");
    assertEquals(key, e.key());
    String prefix = (fromFile ? file.toString() : "--set") + ": ";
    assertTrue(msg.startsWith(prefix), () -> msg + " should start with " + prefix);
  }

  @Test
  void messageHasTheDocumentedForm() throws IOException {
    Path file = Path.of("target/test-configs/x.conf");
    Files.createDirectories(file.getParent());
    Files.writeString(file, BASE + "train.optimizer.learning-rate = -0.1\n");
    ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(file, List.of()));
    assertEquals("target/test-configs/x.conf: train.optimizer.learning-rate must be > 0, got -0.1",
        e.getMessage());
    assertEquals("train.optimizer.learning-rate must be > 0, got -0.1", e.problem());
    assertEquals("target/test-configs/x.conf", e.origin());
  }

  @Test
  void errorIsAnIllegalArgumentException() {
    assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(null, List.of("task=binary")));
  }

  @Test
  void overrideErrorsNameTheOverride() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> JobConfig.load(ConfigFiles.write(dir, "job.conf", BASE), List.of("train.epochs")));
    assertEquals("--set: expected key=value, got 'train.epochs'", e.getMessage());
    e = assertThrows(ConfigError.class, () -> JobConfig.load(null,
        List.of("task=binary", "data.train.path=x", "data.train.format=csv",
            "network.hidden=[64,")));
    assertTrue(e.getMessage().startsWith("--set: network.hidden: cannot parse '[64,'"),
        e.getMessage());
  }

  @Test
  void valueFromTheCommandLineIsBlamedOnTheCommandLine() {
    Path file = ConfigFiles.write(dir, "job.conf", BASE + "train.epochs = 5\n");
    ConfigError e = assertThrows(ConfigError.class,
        () -> JobConfig.load(file, List.of("train.epochs=-2")));
    assertEquals("--set: train.epochs must be >= 1, got -2", e.getMessage());
  }

  @Test
  void missingFileAndSyntaxErrorsNameTheFile() {
    Path missing = dir.resolve("missing.conf");
    ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(missing, List.of()));
    assertEquals(missing + ": config file not found (or not a file)", e.getMessage());

    Path broken = ConfigFiles.write(dir, "broken.conf", "task = binary\ntrain {\n  epochs = 3\n");
    e = assertThrows(ConfigError.class, () -> JobConfig.load(broken, List.of()));
    assertTrue(e.getMessage().startsWith(broken.toString()), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void unresolvedSubstitutionIsAnError() {
    Path file = ConfigFiles.write(dir, "job.conf",
        BASE + "output.model = ${SPARK_MLP_SURELY_UNDEFINED_VARIABLE}\n");
    ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(file, List.of()));
    assertTrue(e.getMessage().contains("SPARK_MLP_SURELY_UNDEFINED_VARIABLE"), e.getMessage());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  @Test
  void kryoSettingsThatKeepTheRegistrationAreAccepted() {
    Path file = ConfigFiles.write(dir, "job.conf", BASE + "spark.conf {\n"
        + "  \"spark.kryo.registrator\" = \"com.example.Mine, "
        + "io.sparkmlp.trainer.SparkMlpKryoRegistrator\"\n"
        + "  \"spark.kryo.registrationRequired\" = true\n"
        + "  \"spark.kryoserializer.buffer.max\" = 256m\n}\n");
    assertEquals("256m", JobConfig.load(file, List.of()).sparkConf()
        .get("spark.kryoserializer.buffer.max"));
  }

  @Test
  void aMissingIncludeIsAnErrorNamingItUnlessMarkedOptional() {
    Path file = ConfigFiles.write(dir, "job.conf", "include \"nothere.conf\"\n" + BASE);
    ConfigError e = assertThrows(ConfigError.class, () -> JobConfig.load(file, List.of()));
    assertEquals(file + ": include \"nothere.conf\": file not found (names are relative to the "
        + "including file); write \"?nothere.conf\" for an optional include", e.getMessage());

    Path file2 = ConfigFiles.write(dir, "job2.conf", "include file(\"gone.conf\")\n" + BASE);
    e = assertThrows(ConfigError.class, () -> JobConfig.load(file2, List.of()));
    assertTrue(e.getMessage().contains("gone.conf"), e.getMessage());

    Path optional = ConfigFiles.write(dir, "job3.conf", "include \"?nothere.conf\"\n" + BASE
        + "train.epochs = 4\n");
    assertEquals(4, JobConfig.load(optional, List.of()).training().epochs());
  }

  @Test
  void anIncludeIsReadRelativeToTheIncludingFileEvenWhenNamedRelatively() throws IOException {
    ConfigFiles.write(dir, "base.conf", "train.epochs = 6\n");
    ConfigFiles.write(dir, "job.conf", "include \"base.conf\"\n" + BASE);
    Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("job.conf"));
    assertEquals(6, JobConfig.load(relative, List.of()).training().epochs());
  }
}
