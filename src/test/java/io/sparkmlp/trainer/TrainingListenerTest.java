package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.testing.Synthetic;
import io.sparkmlp.trainer.state.EpochRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress inside epochs, epoch events, and the metrics log they feed. */
class TrainingListenerTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.TANH), 6, 8, 3);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private static JavaRDD<Row> data() {
    return SharedSpark.jsc().parallelize(Synthetic.classification(200, 6, 3, 7L), 2);
  }

  private static TrainerConfig.Builder cfg() {
    return TrainerConfig.builder(SPEC).batchSize(20).epochs(3).seed(11L).validationFraction(0.2)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f));
  }

  @Test
  void progressAtEveryStepAndOneEventPerEpochWithoutChangingTheResult() throws Exception {
    List<Progress> progress = new ArrayList<>();
    List<EpochRecord> epochs = new ArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onProgress(Progress p) {
        progress.add(p);
      }

      @Override
      public void onEpoch(EpochRecord e) {
        epochs.add(e);
      }
    };
    // an interval shorter than any step: a report after every step
    TrainedModel reported = new MlpTrainer(cfg().progressIntervalSeconds(1e-9).build(), listener)
        .fitRows(data(), null);
    TrainedModel quiet = new MlpTrainer(cfg().progressIntervalSeconds(0).build())
        .fitRows(data(), null);
    assertArrayEquals(quiet.params(), reported.params(), "observing does not change training");
    assertEquals(reported.history(), epochs);
    long steps = reported.lastEpoch().steps();
    assertEquals(steps, progress.size(), "one report per step");
    Progress last = progress.get(progress.size() - 1);
    assertEquals(3, last.epoch());
    assertEquals(last.stepsPerEpoch(), last.step());
    assertEquals(steps, last.globalStep());
    assertEquals(0.0, last.epochEtaSeconds(), 1e-9);
    assertEquals(0.0, last.runEtaSeconds(), 1e-9);
    assertTrue(last.samplesPerSecond() > 0 && Double.isFinite(last.trainLoss()), last.toString());
    assertTrue(last.describe().startsWith("epoch 3/3  step " + last.step() + "/"),
        last.describe());
  }

  @Test
  void theMetricsLogHasAnEpochLinePerEpochLiveAndInMemory() throws Exception {
    Path dir = tmp.resolve("ck");
    TrainedModel model;
    try (MetricsLog log = MetricsLog.open(dir.toString(), false, new Configuration())) {
      log.startupPhases(java.util.Map.of("session", 1.5));
      model = new MlpTrainer(cfg().progressIntervalSeconds(1e-9).build(), log)
          .fitRows(data(), null);
      List<String> live = Files.readAllLines(dir.resolve(MetricsLog.FILE_NAME),
          StandardCharsets.UTF_8);
      assertEquals(log.lines(), live, "the live file is flushed line by line");
      assertEquals(new String(log.bytes(), StandardCharsets.UTF_8),
          String.join("\n", live) + "\n");
    }
    List<String> lines = Files.readAllLines(dir.resolve(MetricsLog.FILE_NAME));
    // the first line: the start-up phases and the rows packed
    JsonNode start = JSON.readTree(lines.get(0));
    assertEquals("start", start.get("event").asText());
    assertEquals(1.5, start.at("/phase_seconds/session").asDouble());
    assertTrue(start.at("/phase_seconds/pack").asDouble() > 0, start.toString());
    assertEquals(model.train().rows(), start.get("train_rows").asLong());
    assertEquals(model.validation().rows(), start.get("validation_rows").asLong());
    List<JsonNode> epochLines = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      JsonNode n = JSON.readTree(l);
      if (n.get("event").asText().equals("epoch")) {
        epochLines.add(n);
      } else {
        assertEquals("progress", n.get("event").asText());
      }
    }
    assertEquals(model.history().size(), epochLines.size());
    for (int i = 0; i < epochLines.size(); i++) {
      EpochRecord r = model.history().get(i);
      assertEquals(r.epoch(), epochLines.get(i).get("epoch").asInt());
      assertEquals(r.trainLoss(), epochLines.get(i).get("train_loss").asDouble());
      assertEquals(r.validationLoss(), epochLines.get(i).get("validation_loss").asDouble());
    }
    assertTrue(lines.size() > epochLines.size(), "progress lines too");

    // a resumed run keeps what the interrupted one logged; a fresh one starts afresh
    try (MetricsLog resumed = MetricsLog.open(dir.toString(), true, new Configuration())) {
      assertEquals(lines, resumed.lines());
    }
    try (MetricsLog fresh = MetricsLog.open(dir.toString(), false, new Configuration())) {
      assertTrue(fresh.lines().isEmpty());
    }
  }

  @Test
  void durationsReadLikeAClock() {
    assertEquals("42s", Progress.duration(41.6));
    assertEquals("3m05s", Progress.duration(185));
    assertEquals("2h07m", Progress.duration(7625));
    assertEquals("?", Progress.duration(Double.NaN));
  }
}
