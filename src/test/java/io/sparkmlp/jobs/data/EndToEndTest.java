package io.sparkmlp.jobs.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.jobs.data.read.DataReader;
import io.sparkmlp.jobs.data.score.Metrics;
import io.sparkmlp.jobs.data.score.Predictor;
import io.sparkmlp.jobs.data.write.PredictionWriter;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.trainer.MlpTrainer;
import io.sparkmlp.trainer.TrainedModel;
import io.sparkmlp.trainer.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reader, standardization, trainer, predictor, metrics and writer used together, as a job does. */
class EndToEndTest {
  @TempDir Path dir;

  @Test
  void trainEvaluatePredictOnStringClasses() {
    // two well-separated classes named "left" and "right", features on very different scales
    SplittableRandom rng = new SplittableRandom(3);
    List<String> lines = new ArrayList<>(List.of("id,x1,x2,label"));
    for (int i = 0; i < 200; i++) {
      boolean right = i % 2 == 0;
      double x1 = (right ? 1 : -1) + 0.3 * rng.nextGaussian();
      double x2 = 1000 + 50 * rng.nextGaussian();
      lines.add(i + "," + x1 + "," + x2 + "," + (right ? "right" : "left"));
    }
    String path = Files2.write(dir, "train.csv", lines.toArray(String[]::new));
    DataSource src = new DataSource(path, DataSource.Format.CSV, 0, "label", List.of(), null,
        List.of(), List.of("id"), true, ",");

    PreparedData train = DataReader.read(SharedSpark.session(), src, Task.BINARY, null, 0, true);
    Standardization std = Standardization.fit(train.rows());
    NetworkSpec spec = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.TANH),
        train.numFeatures(), 4, train.outputWidth());
    TrainedModel model = new MlpTrainer(TrainerConfig.builder(spec).batchSize(100).epochs(5)
        .seed(1L).optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.1f)).build())
        .fit(std.apply(train.rows()));

    PreparedData eval = DataReader.read(SharedSpark.session(), src, Task.BINARY, train.mapping(),
        spec.inputWidth(), true);
    ObjectNode m = Metrics.evaluate(eval.rows(), spec, model.params(), std, eval.mapping());
    assertEquals(List.of("left", "right"), train.mapping().classNames());
    assertTrue(m.get("accuracy").asDouble() > 0.95, m.toString());
    assertTrue(m.get("roc_auc").asDouble() > 0.98, m.toString());

    Dataset<Row> predictions = Predictor.predict(eval.rows(), spec, model.params(), std,
        eval.mapping());
    String out = dir.resolve("predictions").toString();
    PredictionWriter.write(predictions, src.idColumns(), out, "csv", false);
    Dataset<Row> back = SharedSpark.session().read().option("header", true).csv(out);
    assertEquals(List.of("id", "prediction", "prob_left", "prob_right"), List.of(back.columns()));
    assertEquals(200, back.count());
    Row first = back.filter("id = '0'").first();
    assertEquals("right", first.getString(1));
  }
}
