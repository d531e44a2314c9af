package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.testing.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MlpClassifier composed with MLlib's feature stages on mixed-type data (credit-g: categorical and
 * numeric columns, read with a header, empty cells as nulls), tuned by CrossValidator and
 * TrainValidationSplit, and swapped in for MLlib's MultilayerPerceptronClassifier.
 */
class MlpPipelineTest {
  private static SparkSession spark;
  private static Dataset<Row>[] split;
  private static List<PipelineStage> preparation;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void start() {
    spark = PlainSpark.start();
    Dataset<Row> credit = spark.read().option("header", true).option("inferSchema", true)
        .csv(SharedSpark.dataDir().resolve("tabular-mixed/credit-g.csv.gz").toString());
    split = credit.randomSplit(new double[] {0.75, 0.25}, 11);
    List<String> categorical = new ArrayList<>();
    List<String> numeric = new ArrayList<>();
    for (StructField f : credit.schema().fields()) {
      if (!f.name().equals("class")) {
        (f.dataType() instanceof NumericType ? numeric : categorical).add(f.name());
      }
    }
    String[] cat = categorical.toArray(String[]::new);
    String[] num = numeric.toArray(String[]::new);
    String[] indexed = categorical.stream().map(c -> c + "_idx").toArray(String[]::new);
    String[] onehot = categorical.stream().map(c -> c + "_vec").toArray(String[]::new);
    String[] imputed = numeric.stream().map(c -> c + "_imp").toArray(String[]::new);
    List<String> assembled = new ArrayList<>(Arrays.asList(onehot));
    assembled.addAll(Arrays.asList(imputed));
    preparation = List.of(
        new StringIndexer().setInputCol("class").setOutputCol("label"),
        new StringIndexer().setInputCols(cat).setOutputCols(indexed).setHandleInvalid("keep"),
        new OneHotEncoder().setInputCols(indexed).setOutputCols(onehot),
        new Imputer().setInputCols(num).setOutputCols(imputed),
        new VectorAssembler().setInputCols(assembled.toArray(String[]::new))
            .setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true));
  }

  @AfterAll
  static void stop() {
    PlainSpark.stop();
  }

  private static Pipeline pipeline(PipelineStage classifier) {
    List<PipelineStage> stages = new ArrayList<>(preparation);
    stages.add(classifier);
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  private static double accuracy(Dataset<Row> scored) {
    return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
  }

  @Test
  void aPipelineOfFeatureStagesAndTheClassifierTrainsAndPredicts() {
    PipelineModel model = pipeline(new MlpClassifier().setHidden(new int[] {16}).setEpochs(20)
        .setBatchSize(64)).fit(split[0]);
    Dataset<Row> scored = model.transform(split[1]);
    assertEquals(split[1].count(), scored.count());
    double auc = new BinaryClassificationEvaluator().evaluate(scored);
    assertTrue(auc > 0.7, "test AUC " + auc);
    assertTrue(accuracy(scored) > 0.7, "test accuracy " + accuracy(scored));
  }

  @Test
  void crossValidatorAndTrainValidationSplitPickTheBetterSetting() {
    MlpClassifier mlp = new MlpClassifier().setHidden(new int[] {8}).setEpochs(10)
        .setBatchSize(64);
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(mlp.learningRate(), new double[] {1e-6, 1e-2}).build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline(mlp))
        .setEstimatorParamMaps(grid).setEvaluator(new BinaryClassificationEvaluator())
        .setNumFolds(2).setParallelism(2).setSeed(5).fit(split[0]);
    double[] metrics = cv.avgMetrics();
    assertEquals(2, metrics.length);
    assertTrue(metrics[1] > metrics[0], "a learning rate of 1e-2 beats 1e-6: "
        + Arrays.toString(metrics));
    PipelineModel best = (PipelineModel) cv.bestModel();
    MlpClassificationModel bestMlp = (MlpClassificationModel) best.stages()[preparation.size()];
    assertEquals(1e-2, bestMlp.savedModel().config().path("train").path("optimizer")
        .path("learning-rate").asDouble(), 1e-9);

    TrainValidationSplitModel tvs = new TrainValidationSplit().setEstimator(pipeline(mlp))
        .setEstimatorParamMaps(grid).setEvaluator(new MulticlassClassificationEvaluator())
        .setTrainRatio(0.75).setParallelism(2).setSeed(5).fit(split[0]);
    assertTrue(tvs.validationMetrics()[1] > tvs.validationMetrics()[0],
        Arrays.toString(tvs.validationMetrics()));
  }

  @Test
  void replacesMllibsMultilayerPerceptronClassifierWithAtLeastItsAccuracy() {
    int inputs = ((Vector) new Pipeline().setStages(preparation.toArray(PipelineStage[]::new))
        .fit(split[0]).transform(split[0]).select("features").first().get(0)).size();
    int[] layers = {inputs, 16, 2};
    double mllib = accuracy(pipeline(new MultilayerPerceptronClassifier().setLayers(layers)
        .setMaxIter(100).setBlockSize(128).setSeed(42)).fit(split[0]).transform(split[1]));
    double ours = accuracy(pipeline(new MlpClassifier().setLayers(layers)
        .setMaxIter(100).setBlockSize(128).setSeed(42)).fit(split[0]).transform(split[1]));
    assertTrue(ours >= mllib, "MlpClassifier " + ours + " vs MLlib " + mllib);
  }
}
