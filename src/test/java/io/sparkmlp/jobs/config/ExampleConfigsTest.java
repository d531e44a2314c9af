package io.sparkmlp.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.model.optim.ScheduleKind;
import io.sparkmlp.trainer.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example in conf/examples loads, validates and yields a network and trainer config. */
class ExampleConfigsTest {
  private static final Path DIR = Path.of("conf/examples");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".conf"))
          .filter(p -> !p.getFileName().toString().startsWith("generate-")).sorted().toList()
          .stream();
    }
  }

  @Test
  void theDocumentedExamplesExist() throws IOException {
    Set<String> names = examples().map(p -> p.getFileName().toString())
        .collect(Collectors.toSet());
    assertEquals(Set.of("breast-cancer.conf", "binary-a9a.conf", "multiclass-iris.conf",
        "mnist.conf", "multilabel-synthetic.conf", "multiclass-synthetic.conf",
        "regression-diabetes.conf", "credit-g.conf", "soybean.conf", "vote.conf",
        "cpu-vendor.conf", "digits-dropout.conf", "ijcnn1-balanced.conf",
        "mnist-autoencoder.conf"), names);
  }

  @Test
  void theGenerateExampleAndItsTrainingConfigMatch() {
    GenerateConfig g = GenerateConfig.load(DIR.resolve("generate-synthetic.conf"), List.of());
    assertEquals(Task.MULTICLASS, g.settings().task());
    assertEquals(List.of(64, 32), g.settings().hidden());
    assertEquals(5, g.settings().outputs());
    assertTrue(g.sparkMaster().isEmpty());
    JobConfig example = JobConfig.load(DIR.resolve("multiclass-synthetic.conf"), List.of());
    assertEquals(g.output(), example.train().path());
    assertEquals("features", example.train().featuresColumn());
    JobConfig train = JobConfig.load(Path.of("conf/bench/large-synthetic.conf"), List.of());
    assertEquals(g.output(), train.train().path());
    assertEquals(DataSource.Format.PARQUET, train.train().format());
    assertEquals("features", train.train().featuresColumn());
    assertEquals(2, train.network().hidden().size());
    assertFalse(train.toJson().has("generate"), "the training config drops the generate section");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void loadsAndDerivesTheTrainerConfig(Path file) {
    JobConfig c = JobConfig.load(file, List.of());
    int inputs = c.train().numFeatures() > 0 ? c.train().numFeatures() : 10;
    int outputs = switch (c.task()) {
      case BINARY -> 1;
      case MULTICLASS -> 3;
      case MULTILABEL -> c.train().labelColumns().size();
      case REGRESSION -> 1;
      case AUTOENCODER -> inputs;
    };
    NetworkSpec spec = c.networkSpec(inputs, outputs);
    TrainerConfig t = c.trainerConfig(spec);
    assertEquals(c.validationFraction(), t.validationFraction());
    assertTrue(c.modelPath() != null && c.modelPath().startsWith("target/models/"));
    assertTrue(c.sparkMaster().isEmpty(), "examples leave spark.master to the runner");
    assertFalse(c.render().isBlank());
  }

  @Test
  void breastCancerIsTheSmallFastQuickStart() {
    JobConfig c = JobConfig.load(DIR.resolve("breast-cancer.conf"), List.of());
    assertEquals(Task.BINARY, c.task());
    assertEquals(DataSource.Format.CSV, c.train().format());
    assertEquals("src/test/resources/data/breast_cancer.csv", c.train().path());
    assertEquals("label", c.train().labelColumn());
    assertTrue(c.standardize());
    assertEquals(20, c.training().epochs());
    assertEquals(0.2, c.validationFraction());
    assertEquals(0.2, c.testFraction());
    assertEquals("target/models/breast-cancer", c.modelPath());
  }

  @Test
  void a9aReadsTheSharedLibSvmFilesWithAnInheritedTestInput() {
    JobConfig c = JobConfig.load(DIR.resolve("binary-a9a.conf"), List.of());
    assertEquals(DataSource.Format.LIBSVM, c.train().format());
    assertEquals("../shared/data/a9a/a9a.trn.bz2", c.train().path());
    assertEquals(123, c.train().numFeatures());
    DataSource test = c.test().orElseThrow();
    assertEquals("../shared/data/a9a/a9a.tst.bz2", test.path());
    assertEquals(DataSource.Format.LIBSVM, test.format());
    assertEquals(123, test.numFeatures());
    assertEquals(0.0, c.testFraction());
    assertFalse(c.standardize());
  }

  @Test
  void mnistReadsTheSharedIdxFilesWithItsOwnTestLabels() {
    JobConfig c = JobConfig.load(DIR.resolve("mnist.conf"), List.of());
    assertEquals(Task.MULTICLASS, c.task());
    assertEquals(DataSource.idx("../shared/data/mnist/train-images-idx3-ubyte.gz",
        "../shared/data/mnist/train-labels-idx1-ubyte.gz"), c.train());
    assertEquals(DataSource.idx("../shared/data/mnist/t10k-images-idx3-ubyte.gz",
        "../shared/data/mnist/t10k-labels-idx1-ubyte.gz"), c.test().orElseThrow());
    assertTrue(c.validationFraction() > 0, "validation for early stopping");
    assertFalse(c.standardize());
  }

  @Test
  void irisAndDiabetesUseTheirLabelColumns() {
    JobConfig iris = JobConfig.load(DIR.resolve("multiclass-iris.conf"), List.of());
    assertEquals(Task.MULTICLASS, iris.task());
    assertEquals("src/test/resources/data/iris.csv", iris.train().path());
    assertEquals("label", iris.train().labelColumn());
    JobConfig diabetes = JobConfig.load(DIR.resolve("regression-diabetes.conf"), List.of());
    assertEquals(Task.REGRESSION, diabetes.task());
    assertEquals("target", diabetes.train().labelColumn());
    assertEquals(ScheduleKind.PLATEAU, diabetes.training().optim().schedule().kind());
  }

  @Test
  void theMixedTabularExamplesReadTheSharedFilesAsTheyAre() {
    for (String name : List.of("credit-g", "soybean", "vote", "cpu-vendor")) {
      JobConfig c = JobConfig.load(DIR.resolve(name + ".conf"), List.of());
      assertTrue(c.train().path().startsWith("../shared/data/tabular-mixed/"), name);
      assertTrue(c.train().tabular(), name);
      assertEquals(List.of(), c.train().featureColumns(), name + ": every other column");
      assertTrue(c.testFraction() > 0, name);
      assertTrue(c.preparation().autoDetect(), name);
    }
    JobConfig soybean = JobConfig.load(DIR.resolve("soybean.conf"), List.of());
    assertEquals(MissingPolicy.IMPUTE, soybean.preparation().missing());
    JobConfig credit = JobConfig.load(DIR.resolve("credit-g.conf"), List.of());
    assertEquals(MissingPolicy.FAIL, credit.preparation().missing());
    JobConfig cpu = JobConfig.load(DIR.resolve("cpu-vendor.conf"), List.of());
    assertEquals(Task.REGRESSION, cpu.task());
    assertTrue(cpu.preparation().standardizeTarget());
    assertEquals(3, cpu.preparation().minFrequency());
  }

  @Test
  void multilabelListsItsLabelColumns() {
    JobConfig c = JobConfig.load(DIR.resolve("multilabel-synthetic.conf"), List.of());
    assertEquals(Task.MULTILABEL, c.task());
    assertEquals(List.of("y1", "y2", "y3", "y4", "y5"), c.train().labelColumns());
    assertEquals(20, c.train().featureColumns().size());
    assertEquals(List.of("id"), c.train().idColumns());
    assertEquals(OptimizerKind.ADAMW, c.training().optim().optimizer());
    assertEquals(5, c.networkSpec(20, 5).outputWidth());
  }
}
