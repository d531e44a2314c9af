package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.jobs.config.ConfigKey;
import io.sparkmlp.jobs.config.JobConfig;
import io.sparkmlp.jobs.config.KeyRegistry;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.trainer.SyncSettings;
import io.sparkmlp.trainer.TrainerConfig;
import io.sparkmlp.trainer.TransferPrecision;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.junit.jupiter.api.Test;

/**
 * Every training Param has its key's name, default and range; the defaults reach the trainer as the
 * trainer's own builder defaults.
 */
class ConfigParamsTest {

  private static List<Params> estimators() {
    return List.of(new MlpClassifier(), new MlpRegressor(), new MlpMultilabelClassifier());
  }

  @Test
  void everyParamDefaultIsTheRegistryDefault() {
    for (Params p : estimators()) {
      for (Map.Entry<String, String> e : ConfigParams.KEYS.entrySet()) {
        ConfigKey key = KeyRegistry.get(e.getValue());
        Param<Object> param = ConfigParams.param(p, e.getKey());
        assertTrue(p.hasParam(e.getKey()), e.getKey() + " is listed in params()");
        assertTrue(param.doc().contains(key.path()), param.doc());
        if (key.defaultValue() == null) {
          assertFalse(p.hasDefault(param), e.getKey() + " has no default, as " + key.path());
          continue;
        }
        Object def = p.getDefault(param).get();
        Object expected = key.defaultValue();
        if (def instanceof int[] a) {
          assertArrayEquals(((List<?>) expected).stream()
              .mapToInt(o -> ((Number) o).intValue()).toArray(), a, e.getKey());
        } else if (def instanceof Number n) {
          assertEquals(((Number) expected).doubleValue(), n.doubleValue(), 0.0, e.getKey());
        } else {
          assertEquals(expected, def, e.getKey());
        }
      }
    }
  }

  @Test
  void trainerDefaultsAreTheBuilderDefaults() {
    MlpClassifier c = new MlpClassifier();
    assertEquals(TrainerConfig.DEFAULT_EPOCHS, c.getEpochs());
    assertEquals(TrainerConfig.DEFAULT_BATCH_SIZE, c.getBatchSize());
    assertEquals(TrainerConfig.DEFAULT_SEED, c.getSeed());
    assertEquals(TrainerConfig.DEFAULT_PATIENCE, c.getEarlyStoppingPatience());
    assertEquals(TrainerConfig.DEFAULT_MIN_DELTA, c.getEarlyStoppingMinDelta());
    assertEquals(TrainerConfig.DEFAULT_RESTORE_BEST, c.getEarlyStoppingRestoreBest());
    assertEquals(TrainerConfig.DEFAULT_STORAGE_LEVEL, c.getStorageLevel());
    assertEquals(TrainerConfig.DEFAULT_TREE_DEPTH, c.getTreeDepth());
    assertEquals(TrainerConfig.DEFAULT_OPTIMIZER.toString(), c.getOptimizer());
    assertEquals(TrainerConfig.DEFAULT_LEARNING_RATE, (float) c.getLearningRate());

    // the Params' defaults, through the job's configuration loader, give the builder's trainer
    JobConfig cfg = JobConfig.load(null, MlpFitting.overrides(c, Task.BINARY, 4, 1, null, c.uid(), null));
    NetworkSpec spec = cfg.networkSpec(4, 1);
    assertEquals("4-64-32-1", spec.describe().replaceAll("[^0-9-]", ""));
    TrainerConfig fromParams = cfg.trainerConfig(spec);
    TrainerConfig fromBuilder = TrainerConfig.builder(spec).build();
    assertEquals(fromBuilder.optim(), fromParams.optim());
    assertEquals(OptimConfig.defaults(TrainerConfig.DEFAULT_OPTIMIZER,
        TrainerConfig.DEFAULT_LEARNING_RATE), fromParams.optim());
    assertEquals(fromBuilder.batchSize(), fromParams.batchSize());
    assertEquals(fromBuilder.epochs(), fromParams.epochs());
    assertEquals(fromBuilder.seed(), fromParams.seed());
    assertEquals(fromBuilder.earlyStoppingPatience(), fromParams.earlyStoppingPatience());
    assertEquals(fromBuilder.restoreBestWeights(), fromParams.restoreBestWeights());
    assertEquals(fromBuilder.storageLevel(), fromParams.storageLevel());
    assertEquals(fromBuilder.checkpoint(), fromParams.checkpoint());
  }

  @Test
  void settersReachTheTrainerConfiguration() {
    MlpRegressor r = new MlpRegressor().setEpochs(7).setBatchSize(3).setSeed(9)
        .setOptimizer("sgd").setLearningRate(0.25).setSchedule("cosine").setWarmupSteps(2)
        .setLayers(new int[] {4, 5, 6, 1}).setSyncEvery(4).setOuterOptimizer("nesterov")
        .setOuterLr(0.7).setOuterMomentum(0.8);
    JobConfig cfg = JobConfig.load(null,
        MlpFitting.overrides(r, Task.REGRESSION, 4, 1, null, r.uid(), null));
    TrainerConfig t = cfg.trainerConfig(cfg.networkSpec(4, 1));
    assertEquals("4-5-6-1", t.spec().describe().replaceAll("[^0-9-]", ""));
    assertEquals(7, t.epochs());
    assertEquals(3, t.batchSize());
    assertEquals(9L, t.seed());
    assertEquals("SGD", t.optim().optimizer().name());
    assertEquals(0.25f, t.optim().learningRate());
    assertEquals(2, t.optim().schedule().warmupSteps());
    assertEquals(new SyncSettings(4, SyncSettings.Outer.NESTEROV, 0.7f, 0.8f), t.sync());
  }

  @Test
  void transferPrecisionReachesTheTrainerAndRefusesLocalSgd() {
    MlpRegressor r = new MlpRegressor();
    assertEquals("float32", r.getTransferPrecision());
    r.setTransferPrecision("bfloat16");
    JobConfig cfg = JobConfig.load(null,
        MlpFitting.overrides(r, Task.REGRESSION, 4, 1, null, r.uid(), null));
    assertEquals(TransferPrecision.BFLOAT16,
        cfg.trainerConfig(cfg.networkSpec(4, 1)).transferPrecision());
    r.setSyncEvery(4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.load(null,
            MlpFitting.overrides(r, Task.REGRESSION, 4, 1, null, r.uid(), null)));
    assertTrue(e.getMessage().contains("train.transfer-precision = bfloat16 needs "
        + "train.sync-every = 1, got 4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> r.setTransferPrecision("float16"));
  }
}
