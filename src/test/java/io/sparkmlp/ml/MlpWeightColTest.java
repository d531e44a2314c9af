package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark's {@code weightCol} on the estimators: the rows' sample weights go through the same
 * trainer path as {@code data.train.weight-column} (weights of 1 are bitwise no weights, other
 * weights change the model), and the saved configuration names the column.
 */
class MlpWeightColTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = PlainSpark.start();
  }

  @AfterAll
  static void stop() {
    PlainSpark.stop();
  }

  private static MlpClassifier classifier() {
    return new MlpClassifier().setHidden(new int[] {8}).setEpochs(3).setBatchSize(32)
        .setLearningRate(5e-3).setSeed(3L);
  }

  @Test
  void weightColTrainsWithTheRowsWeights() {
    Dataset<Row> data = MlpClassifierTest.breastCancer(spark)
        .withColumn("ones", functions.lit(1.0))
        .withColumn("w", functions.when(functions.col("label").equalTo(1.0), 3.0)
            .otherwise(0.5));
    MlpClassificationModel plain = classifier().fit(data);
    MlpClassificationModel ones = classifier().setWeightCol("ones").fit(data);
    MlpClassificationModel weighted = classifier().setWeightCol("w").fit(data);
    assertEquals("ones", classifier().setWeightCol("ones").getWeightCol());
    assertArrayEquals(plain.savedModel().params(), ones.savedModel().params(),
        "weights of 1 train the bits of no weights");
    assertTrue(!Arrays.equals(plain.savedModel().params(), weighted.savedModel().params()),
        "weights change the model");
    assertEquals("w", weighted.savedModel().config().path("data").path("train")
        .path("weight-column").asText(), weighted.savedModel().config().toString());
    // positives weigh 3 and negatives 0.5: more rows are called positive
    long plainPositives = plain.transform(data).filter("prediction = 1.0").count();
    long weightedPositives = weighted.transform(data).filter("prediction = 1.0").count();
    assertTrue(weightedPositives >= plainPositives,
        plainPositives + " -> " + weightedPositives + " positive predictions");
  }

  @Test
  void aMissingOrNegativeWeightColumnIsAnError() {
    Dataset<Row> data = MlpClassifierTest.breastCancer(spark);
    Exception missing = assertThrows(IllegalArgumentException.class,
        () -> classifier().setWeightCol("nope").fit(data));
    assertTrue(missing.getMessage().startsWith("weightCol 'nope' is not a column"),
        missing.getMessage());
    Exception negative = assertThrows(Exception.class, () -> new MlpRegressor()
        .setHidden(new int[] {4}).setEpochs(1).setBatchSize(32).setWeightCol("w")
        .fit(data.withColumn("w", functions.lit(-1.0))));
    String msg = negative.getMessage();
    for (Throwable t = negative; t != null; t = t.getCause()) {
      msg = t.getMessage();
    }
    assertTrue(msg.contains("weight column 'weight' has the negative weight -1.0"), msg);
  }
}
