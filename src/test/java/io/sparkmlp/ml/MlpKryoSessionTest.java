package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.testing.SharedSpark;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The estimator and its model in a session configured as production runs (Kryo with registration
 * required and the project's registrator): training and scoring ship only registered classes.
 */
class MlpKryoSessionTest {

  @Test
  void fitsAndScoresInAKryoSessionRequiringRegistration() {
    SparkSession spark = SharedSpark.session();
    assertEquals("true", spark.conf().get("spark.kryo.registrationRequired"));
    StringBuilder ddl = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      ddl.append("x").append(i).append(" DOUBLE, ");
    }
    Dataset<Row> csv = spark.read().option("header", true).schema(ddl + "label DOUBLE")
        .csv("src/test/resources/data/breast_cancer.csv");
    Dataset<Row> data = new VectorAssembler().setInputCols(Arrays.copyOf(csv.columns(), 30))
        .setOutputCol("features").transform(csv);
    MlpClassificationModel model = new MlpClassifier().setHidden(new int[] {8}).setEpochs(5)
        .setBatchSize(32).setLearningRate(1e-2).fit(data);
    List<Row> rows = model.transform(data).select("label", "probability", "prediction")
        .collectAsList();
    assertEquals(569, rows.size());
    long correct = rows.stream().filter(r -> r.getDouble(0) == r.getDouble(2)).count();
    assertTrue(correct > 0.9 * 569, correct + " of 569 correct");
    Vector p = rows.get(0).getAs("probability");
    assertEquals(1.0, p.apply(0) + p.apply(1), 1e-6);
  }
}
