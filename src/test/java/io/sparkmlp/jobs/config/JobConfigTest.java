package io.sparkmlp.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Initializer;
import io.sparkmlp.model.LayerSpec;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.model.optim.ScheduleConfig;
import io.sparkmlp.model.optim.ScheduleKind;
import io.sparkmlp.trainer.RowPacker;
import io.sparkmlp.trainer.TrainerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Derived values: data sources, network spec, trainer config, JSON and HOCON renderings. */
class JobConfigTest {
  private static final String FULL = """
      task = multiclass
      data {
        train {
          path = "in/train.csv"
          format = csv
          label-column = species
          id-columns = [id]
          csv-delimiter = ";"
        }
        validation { path = "in/val.csv" }
        test { path = "in/test.parquet", format = parquet, csv-header = true }
        standardize = false
        invalid-rows = drop
        partitions = 6
        shuffle = true
      }
      network {
        hidden = [32, 16]
        activation = "leaky_relu(0.2)"
        output-activation = softmax
        loss = cross_entropy
        init = he_normal
      }
      train {
        epochs = 7
        batch-size = 64
        seed = 9
        optimizer {
          type = AdamW
          learning-rate = 0.003
          beta2 = 0.99
          l2 = 0.0001
          clip-norm = 5
        }
        schedule { type = cosine, warmup-steps = 10, min-learning-rate = 0.0001 }
        early-stopping { patience = 2, min-delta = 0.001, restore-best = false }
        storage-level = memory_only
        tree-depth = 3
      }
      output { model = "out/m", overwrite = true }
      spark { master = "local[2]", app-name = test }
      """;

  @TempDir
  Path dir;

  @Test
  void dataSourcesInheritFromTrain() {
    JobConfig c = ConfigFiles.load(dir, FULL);
    DataSource train = c.train();
    assertEquals(new DataSource("in/train.csv", DataSource.Format.CSV, 0, "species", List.of(),
        null, List.of(), List.of("id"), true, ";"), train);
    DataSource val = c.validation().orElseThrow();
    assertEquals(train.withPath("in/val.csv"), val);
    DataSource test = c.test().orElseThrow();
    assertEquals(DataSource.Format.PARQUET, test.format());
    assertEquals("species", test.labelColumn());
    assertEquals(List.of("id"), test.idColumns());
    assertEquals(0.0, c.validationFraction(), "a separate validation input replaces the fraction");
    assertEquals(0.0, c.testFraction());
    assertFalse(c.standardize());
    assertEquals(RowPacker.InvalidRows.DROP, c.training().invalidRows());
    assertEquals(6, c.training().partitions());
    assertTrue(c.training().shuffleInput());
    assertEquals("out/m", c.modelPath());
    assertTrue(c.overwrite());
    assertEquals("local[2]", c.sparkMaster().orElseThrow());
    assertEquals("test", c.appName());
  }

  @Test
  void idxSectionsInheritTheFormatButNotTheLabelsFile() {
    JobConfig c = ConfigFiles.load(dir, """
        task = multiclass
        data {
          train { path = "d/train-images.gz", labels-path = "d/train-labels.gz", format = idx }
          test { path = "d/t10k-images.gz", labels-path = "d/t10k-labels.gz" }
        }
        """);
    assertEquals(DataSource.idx("d/train-images.gz", "d/train-labels.gz"), c.train());
    assertEquals(DataSource.idx("d/t10k-images.gz", "d/t10k-labels.gz"), c.test().orElseThrow());
    String json = c.resolvedJson();
    assertTrue(json.contains("\"labels-path\":\"d/t10k-labels.gz\""), json);
    assertFalse(json.contains("csv-header"), "csv keys are dropped for idx input: " + json);
  }

  @Test
  void validationInheritsLabelColumnsUnlessItNamesItsOwnLabel() {
    JobConfig c = ConfigFiles.load(dir, """
        task = regression
        data.train { path = t.csv, format = csv, label-columns = [a, b] }
        data.validation { path = v.csv }
        data.test { path = x.csv, label-column = c }
        """);
    assertEquals(List.of("a", "b"), c.validation().orElseThrow().labelColumns());
    assertEquals(null, c.validation().orElseThrow().labelColumn());
    assertEquals("c", c.test().orElseThrow().labelColumn());
    assertEquals(List.of(), c.test().orElseThrow().labelColumns());
  }

  @Test
  void networkSpecUsesTheNetworkKeysAndTheGivenWidths() {
    JobConfig c = ConfigFiles.load(dir, FULL);
    NetworkSpec spec = c.networkSpec(4, 3);
    Activation leaky = Activation.leakyRelu(0.2f);
    assertEquals(new NetworkSpec(4, List.of(new LayerSpec(32, leaky), new LayerSpec(16, leaky)),
        3, Task.MULTICLASS, Task.OutputActivation.SOFTMAX, Task.Loss.SOFTMAX_CROSS_ENTROPY), spec);
    assertEquals(Initializer.HE_NORMAL, c.network().initializer());
    assertThrows(IllegalArgumentException.class, () -> c.networkSpec(4, 1),
        "multiclass needs >= 2 outputs");
  }

  @Test
  void networkSpecChecksTheConfiguredFeatureCount() {
    JobConfig c = ConfigFiles.load(dir, "task = binary\n"
        + "data.train { path = x.svm, format = libsvm, num-features = 123 }\n");
    assertEquals(123, c.networkSpec(123, 1).inputWidth());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.networkSpec(100, 1));
    assertTrue(e.getMessage().contains("data.train.num-features"), e.getMessage());
  }

  @Test
  void autoOutputAndLossFollowTheTask() {
    for (Task task : Task.values()) {
      String labels = task == Task.MULTILABEL ? ", label-columns = [a, b]" : "";
      JobConfig c = ConfigFiles.load(dir, "task = " + task + "\n"
          + "data.train { path = x.csv, format = csv" + labels + " }\n");
      int out = task == Task.MULTICLASS || task == Task.MULTILABEL ? 2
          : task == Task.AUTOENCODER ? 5 : 1;
      NetworkSpec spec = c.networkSpec(5, out);
      assertEquals(task.output(), spec.outputActivation());
      assertEquals(task.loss(), spec.loss());
    }
  }

  @Test
  void trainerConfigCarriesTheTrainingKeys() {
    JobConfig c = ConfigFiles.load(dir, FULL);
    NetworkSpec spec = c.networkSpec(4, 3);
    TrainerConfig t = c.trainerConfig(spec);
    assertEquals(spec, t.spec());
    assertEquals(c.validationFraction(), t.validationFraction(), "the trainer holds out the job's "
        + "fraction, 0 with a separate validation input");
    assertEquals("features", t.featuresCol());
    assertEquals("label", t.labelCol());
    assertEquals(7, t.epochs());
    assertEquals(64, t.batchSize());
    assertEquals(9L, t.seed());
    assertEquals(Initializer.HE_NORMAL, t.initializer());
    assertEquals(2, t.earlyStoppingPatience());
    assertEquals(0.001, t.earlyStoppingMinDelta());
    assertFalse(t.restoreBestWeights());
    assertEquals("MEMORY_ONLY", t.storageLevel());
    assertEquals(3, t.treeDepth());
    assertEquals(6, t.partitions());
    assertTrue(t.shuffleInput());
    assertEquals(RowPacker.InvalidRows.DROP, t.invalidRows());

    OptimConfig o = t.optim();
    assertEquals(OptimizerKind.ADAMW, o.optimizer());
    assertEquals(0.003f, o.learningRate());
    assertEquals(0.9f, o.beta1());
    assertEquals(0.99f, o.beta2());
    assertEquals(1e-4f, o.l2());
    assertEquals(OptimConfig.DEFAULT_ADAMW_WEIGHT_DECAY, o.weightDecay(), "adamw default");
    assertEquals(5f, o.clipNorm());
    assertEquals(ScheduleKind.COSINE, o.schedule().kind());
    assertEquals(10, o.schedule().warmupSteps());
    assertEquals(1e-4f, o.schedule().minLearningRate());
  }

  @Test
  void defaultsMatchTheTrainerDefaults() {
    JobConfig c = JobConfig.load(null,
        List.of("task=binary", "data.train.path=x.csv", "data.train.format=csv"));
    NetworkSpec spec = c.networkSpec(3, 1);
    TrainerConfig ours = c.trainerConfig(spec);
    // only the validation fraction differs: the job holds out 10% by default, the Java API none
    TrainerConfig trainers = TrainerConfig.builder(spec).validationFraction(0.1).build();
    assertEquals(trainers, ours);
    assertEquals(0.1, c.validationFraction());
    assertEquals(0.0, c.testFraction());
    assertTrue(c.standardize());
    assertEquals(List.of(new LayerSpec(64, Activation.parse("relu")),
        new LayerSpec(32, Activation.parse("relu"))), c.network().hidden());
    assertEquals("spark-mlp", c.appName());
  }

  @Test
  void trainerConfigRejectsASpecForAnotherTask() {
    JobConfig c = ConfigFiles.load(dir, FULL);
    NetworkSpec binary = NetworkSpec.of(Task.BINARY, Activation.parse("relu"), 4, 1);
    assertThrows(IllegalArgumentException.class, () -> c.trainerConfig(binary));
  }

  @Test
  void toJsonHoldsTheWholeResolvedConfig() {
    JobConfig c = ConfigFiles.load(dir, FULL, "train.epochs=8");
    ObjectNode json = c.toJson();
    assertEquals("multiclass", json.path("task").asText());
    assertEquals(8, json.path("train").path("epochs").asInt());
    assertEquals("adamw", json.path("train").path("optimizer").path("type").asText(),
        "canonical spelling");
    assertEquals(0.01, json.path("train").path("optimizer").path("weight-decay").asDouble(),
        "effective weight decay");
    assertEquals("MEMORY_ONLY", json.path("train").path("storage-level").asText());
    assertEquals(0.9, json.path("train").path("optimizer").path("beta1").asDouble(), "default");
    assertEquals("species",
        json.path("data").path("validation").path("label-column").asText(), "inherited");
    assertTrue(json.path("data").path("test").path("csv-header").isMissingNode(),
        "keys that do not apply to parquet are left out");
    assertEquals(0.0, json.path("data").path("validation-fraction").asDouble());
    json.put("task", "changed");
    assertEquals("multiclass", c.toJson().path("task").asText(), "a fresh copy each time");
  }

  @Test
  void renderedConfigLoadsBackToTheSameJob() {
    for (String text : List.of(FULL, ConfigFiles.MINIMAL,
        "task = binary\ndata.train { path = x.svm, format = libsvm }\n"
            + "network { hidden = null, layers = [{width = 3, activation = tanh}] }\n")) {
      JobConfig c = ConfigFiles.load(dir, text);
      Path hocon = ConfigFiles.write(dir, "rendered.conf", c.render());
      assertEquals(c, JobConfig.load(hocon, List.of()));
      Path json = ConfigFiles.write(dir, "model-config.json", c.toJson().toPrettyString());
      assertEquals(c, JobConfig.load(json, List.of()));
    }
  }

  @Test
  void everyAllowedStorageLevelIsASparkStorageLevel() {
    for (String level : KeyRegistry.get("train.storage-level").choices()) {
      JobConfig c = ConfigFiles.load(dir, FULL, "train.storage-level=" + level);
      assertEquals(level, c.trainerConfig(c.networkSpec(4, 3)).storageLevel());
    }
  }

  @Test
  void aKeyUnsetWithNullIsRecordedWithItsDefault() {
    JobConfig c = ConfigFiles.load(dir, FULL, "train.epochs=null");
    assertEquals(10, c.training().epochs());
    assertEquals(10, c.toJson().path("train").path("epochs").asInt());
  }

  @Test
  void renderIsReadableHocon() {
    String text = ConfigFiles.load(dir, FULL).render();
    assertTrue(text.contains("epochs=7"), text);
    assertFalse(text.contains("\"task\""), "HOCON, not JSON");
  }

  /** Every default the trainer's Java API has too is defined once: the registry uses it. */
  @Test
  void registryDefaultsAreTheBuilderDefaults() {
    TrainerConfig t = TrainerConfig.builder(NetworkSpec.of(Task.BINARY,
        Activation.of(Activation.Kind.RELU), 3, 1)).build();
    OptimConfig o = t.optim();
    ScheduleConfig s = o.schedule();
    Map<String, Object> builder = new LinkedHashMap<>();
    builder.put("train.epochs", t.epochs());
    builder.put("train.batch-size", t.batchSize());
    builder.put("train.seed", t.seed());
    builder.put("train.storage-level", t.storageLevel());
    builder.put("train.tree-depth", t.treeDepth());
    builder.put("train.early-stopping.patience", t.earlyStoppingPatience());
    builder.put("train.early-stopping.min-delta", t.earlyStoppingMinDelta());
    builder.put("train.early-stopping.restore-best", t.restoreBestWeights());
    builder.put("train.optimizer.type", o.optimizer().toString());
    builder.put("train.optimizer.learning-rate", o.learningRate());
    builder.put("train.optimizer.momentum", o.momentum());
    builder.put("train.optimizer.beta1", o.beta1());
    builder.put("train.optimizer.beta2", o.beta2());
    builder.put("train.optimizer.rho", o.rho());
    builder.put("train.optimizer.epsilon", o.epsilon());
    builder.put("train.optimizer.l2", o.l2());
    builder.put("train.optimizer.decay-biases", o.decayBiases());
    builder.put("train.optimizer.clip-norm", o.clipNorm());
    builder.put("train.schedule.type", s.kind().toString());
    builder.put("train.schedule.step-size", s.stepSize());
    builder.put("train.schedule.gamma", s.gamma());
    builder.put("train.schedule.warmup-steps", s.warmupSteps());
    builder.put("train.schedule.min-learning-rate", s.minLearningRate());
    builder.put("train.schedule.factor", s.factor());
    builder.put("train.schedule.patience", s.patience());
    builder.put("train.schedule.threshold", s.threshold());
    builder.put("train.schedule.min-lr", s.minLr());
    for (Map.Entry<String, Object> e : builder.entrySet()) {
      Object registry = KeyRegistry.get(e.getKey()).defaultValue();
      Object expected = e.getValue();
      if (expected instanceof Float f) {
        assertEquals(f, ((Number) registry).floatValue(), e.getKey());
      } else if (expected instanceof Number n && registry instanceof Number r) {
        assertEquals(n.doubleValue(), r.doubleValue(), e.getKey());
      } else {
        assertEquals(expected, registry, e.getKey());
      }
    }
    // the weight decay's default depends on the optimizer
    assertEquals(OptimConfig.defaults(OptimizerKind.ADAMW, 1e-3f).weightDecay(),
        (float) TrainSection.defaultWeightDecay(OptimizerKind.ADAMW));
    assertEquals(o.weightDecay(), (float) TrainSection.defaultWeightDecay(o.optimizer()));
  }
}
