package io.sparkmlp.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.LayerSpec;
import io.sparkmlp.model.optim.OptimizerKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command-line overrides win over the file, which wins over the defaults. */
class OverridesTest {
  private static final String FILE = ConfigFiles.MINIMAL + """
      train {
        epochs = 20
        optimizer { type = sgd, learning-rate = 0.1 }
      }
      network.hidden = [16]
      spark.master = "local[2]"
      """;

  @TempDir
  Path dir;

  @Test
  void overridesWinOverTheFileAndTheFileOverTheDefaults() {
    JobConfig c = ConfigFiles.load(dir, FILE, "train.epochs=5", "network.hidden=[64,32]",
        "train.optimizer.learning-rate=0.05");
    assertEquals(5, c.training().epochs());
    assertEquals(List.of(64, 32), c.network().hidden().stream().map(LayerSpec::width).toList());
    assertEquals(0.05f, c.training().optim().learningRate());
    assertEquals(OptimizerKind.SGD, c.training().optim().optimizer(), "from the file");
    assertEquals(256, c.training().batchSize(), "default");
    assertEquals("local[2]", c.sparkMaster().orElseThrow());
  }

  @Test
  void laterOverridesWin() {
    JobConfig c = ConfigFiles.load(dir, FILE, "train.epochs=5", "train.epochs=7");
    assertEquals(7, c.training().epochs());
  }

  @Test
  void stringValuesAreTakenLiterally() {
    JobConfig c = ConfigFiles.load(dir, FILE, "spark.master=local[*]",
        "data.train.path=s3a://bucket/data/part-*.csv", "output.model=hdfs:///models/m#1",
        "data.train.csv-delimiter=;");
    assertEquals("local[*]", c.sparkMaster().orElseThrow());
    assertEquals("s3a://bucket/data/part-*.csv", c.train().path());
    assertEquals("hdfs:///models/m#1", c.modelPath());
    assertEquals(";", c.train().csvDelimiter());
  }

  @Test
  void quotedStringValuesAreUnquoted() {
    JobConfig c = ConfigFiles.load(dir, FILE, "spark.app-name=\"my job\"");
    assertEquals("my job", c.appName());
  }

  @Test
  void nullUnsetsAKey() {
    JobConfig c = ConfigFiles.load(dir, FILE, "spark.master=null", "network.hidden=null",
        "network.layers=[{width=8, activation=tanh}, {width=4}]");
    assertTrue(c.sparkMaster().isEmpty());
    assertEquals(List.of(new LayerSpec(8, Activation.parse("tanh")),
        new LayerSpec(4, Activation.parse("relu"))), c.network().hidden());
  }

  @Test
  void sparkSettingsCanBeAddedWithQuotedOrNestedKeys() {
    JobConfig c = ConfigFiles.load(dir, FILE + "spark.conf { \"spark.executor.cores\" = 2 }\n",
        "spark.conf.\"spark.executor.memory\"=2g", "spark.conf.spark.driver.memory=1g");
    assertEquals(Map.of("spark.executor.cores", "2", "spark.executor.memory", "2g",
        "spark.driver.memory", "1g"), c.sparkConf());
    assertEquals(List.of("spark.driver.memory", "spark.executor.cores", "spark.executor.memory"),
        List.copyOf(c.sparkConf().keySet()), "sorted");
  }

  @Test
  void aSectionCanBeGivenAsAnObject() {
    JobConfig c = ConfigFiles.load(dir, FILE, "train.early-stopping={patience=4, min-delta=0.01}");
    assertEquals(4, c.training().earlyStoppingPatience());
    assertEquals(0.01, c.training().earlyStoppingMinDelta());
    assertTrue(c.training().restoreBestWeights(), "other keys keep their defaults");
  }

  @Test
  void overridesAloneMakeAJob() {
    JobConfig c = JobConfig.load(null, List.of("task=regression", "data.train.path=d.parquet",
        "data.train.format=parquet", "data.train.features-column=features",
        "data.train.label-columns=[y1, y2]"));
    assertEquals("features", c.train().featuresColumn());
    assertEquals(List.of("y1", "y2"), c.train().labelColumns());
    assertNull(c.train().labelColumn());
    assertNull(c.modelPath());
    assertFalse(c.overwrite());
  }

  @Test
  void environmentSubstitutionsAreResolved() {
    String home = System.getenv("HOME");
    if (home == null) {
      return;
    }
    JobConfig c = ConfigFiles.load(dir, ConfigFiles.MINIMAL
        + "output.model = ${HOME}\"/models/x\"\ndata.train.path = ${?SPARK_MLP_NOT_SET_EVER}\n");
    assertEquals(home + "/models/x", c.modelPath());
    assertEquals("data/train.csv", c.train().path(), "optional substitution keeps the value");
  }
}
