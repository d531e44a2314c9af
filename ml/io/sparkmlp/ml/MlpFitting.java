package io.sparkmlp.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigUtil;
import io.sparkmlp.jobs.config.JobConfig;
import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.trainer.MlpTrainer;
import io.sparkmlp.trainer.SparseInput;
import io.sparkmlp.trainer.TrainedModel;
import io.sparkmlp.trainer.state.EpochRecord;
import io.sparkmlp.trainer.store.ModelDirectory;
import io.sparkmlp.trainer.store.SavedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * One fit of an estimator: its Params become the same configuration a {@code spark-mlp train} job
 * loads ({@link JobConfig#load}, so every key is validated there), the features are standardized
 * when {@code standardize} is set (as the job does), and {@link MlpTrainer} trains, rows weighted by
 * {@code weightCol} when it is set (as {@code data.train.weight-column} weighs the job's rows). The result is a
 * {@link SavedModel} in the project's own model format, with the resolved configuration, so the
 * command line reads it like one of its own models.
 */
final class MlpFitting {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MlpFitting() {}

  /**
   * Trains on {@code dataset}.
   *
   * @param params      the estimator's training Params
   * @param dataset     rows with the features (a vector) and the label (a number)
   * @param featuresCol the features column
   * @param labelCol    the label column
   * @param task        what the network predicts
   * @param outputWidth output units: 1 for binary and single-target regression, the class count
   *                    for multiclass, the label count for multilabel
   * @param classNames  the class names in output order (null for regression)
   * @return the model, with the configuration and provenance of the run
   * @throws IllegalArgumentException naming the configuration key of an invalid Param combination
   */
  static SavedModel fit(MlpTrainingParams<?> params, Dataset<?> dataset, String featuresCol,
      String labelCol, Task task, int outputWidth, List<String> classNames) {
    String indicator = params.getValidationIndicatorCol();
    List<Column> cols = new ArrayList<>(List.of(functions.col(featuresCol).as(JobConfig.FEATURES_COL),
        labelColumn(dataset, labelCol).as(JobConfig.LABEL_COL)));
    if (indicator != null) {
      cols.add(functions.col(indicator).cast("boolean").as("validation"));
    }
    String weightCol = params.getWeightCol();
    if (weightCol != null) {
      if (!Arrays.asList(dataset.columns()).contains(weightCol)) {
        throw new IllegalArgumentException("weightCol '" + weightCol + "' is not a column; "
            + "columns: " + String.join(", ", dataset.columns()));
      }
      cols.add(functions.col(weightCol).cast("double").as(JobConfig.WEIGHT_COL));
    }
    Dataset<Row> rows = dataset.select(cols.toArray(Column[]::new));
    List<Row> first = rows.select(JobConfig.FEATURES_COL).limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new IllegalArgumentException("the training data is empty");
    }
    int inputWidth = ((Vector) first.get(0).get(0)).size();

    JobConfig cfg = JobConfig.load(null, overrides(params, task, inputWidth, outputWidth,
        classNames, params.uid(), indicator));
    Dataset<Row> train = rows;
    Dataset<Row> validation = null;
    if (indicator != null) {
      train = rows.filter(functions.not(functions.coalesce(functions.col("validation"),
          functions.lit(false)))).drop("validation");
      validation = rows.filter(functions.col("validation")).drop("validation");
    }
    // sparse features (data.sparse) stay sparse: packed as CSR and not standardized
    boolean sparse = SparseInput.resolve(cfg.training().sparseInput(),
        train.select(JobConfig.FEATURES_COL).javaRDD());
    Standardization std = null;
    if (cfg.standardize() && !sparse) {
      std = Standardization.fit(train);
      train = std.apply(train);
      validation = validation == null ? null : std.apply(validation);
    }
    NetworkSpec spec = cfg.networkSpec(inputWidth, outputWidth);
    TrainedModel model = new MlpTrainer(cfg.trainerConfig(spec).toBuilder()
        .sparseInput(sparse ? SparseInput.Mode.TRUE : SparseInput.Mode.FALSE).build())
        .fit(train, validation);
    return new SavedModel(ModelDirectory.FORMAT_VERSION, spec, model.params(), classNames,
        std == null ? null : std.mean(), std == null ? null : std.std(), null, cfg.toJson(),
        provenance(params, model), metrics(model));
  }

  /** The label as a number, or as a vector for multilabel (kept as it is). */
  private static Column labelColumn(Dataset<?> dataset, String labelCol) {
    boolean numeric = dataset.schema().apply(labelCol).dataType()
        instanceof org.apache.spark.sql.types.NumericType;
    return numeric ? functions.col(labelCol).cast("double") : functions.col(labelCol);
  }

  /**
   * The job configuration of a fit: the Params as keys, the task, and a training input that
   * describes the frame (a Parquet-like source with a features vector column and a label column;
   * for multilabel, whose configuration names its labels, one 0/1 column per label named after
   * it), so that the command line can score the saved model on such files.
   *
   * @param classNames the class (multilabel: label) names in output order, or null
   */
  static List<String> overrides(MlpTrainingParams<?> params, Task task, int inputWidth,
      int outputWidth, List<String> classNames, String uid, String indicator) {
    List<String> o = new ArrayList<>(ConfigParams.overrides(params));
    int[] layers = params.getLayers();
    if (layers != null) {
      int last = layers[layers.length - 1];
      boolean classesAsOutputs = task == Task.BINARY && last == 2; // MLlib: one unit per class
      if (layers[0] != inputWidth || (last != outputWidth && !classesAsOutputs)) {
        throw new IllegalArgumentException("layers " + Arrays.toString(layers) + " needs "
            + layers[0] + " inputs and " + layers[layers.length - 1] + " outputs, but the data has "
            + inputWidth + " features and the " + task.name().toLowerCase(Locale.ROOT)
            + " task needs " + outputWidth + " outputs");
      }
      o.add("network.hidden=" + Arrays.toString(Arrays.copyOfRange(layers, 1, layers.length - 1)));
    }
    o.add("task=" + task.name().toLowerCase(Locale.ROOT));
    o.add("data.train.path=dataframe:" + uid);
    o.add("data.train.format=parquet");
    o.add("data.train.features-column=" + JobConfig.FEATURES_COL);
    if (task == Task.MULTILABEL) {
      o.add("data.train.label-columns=" + classNames.stream().map(ConfigUtil::quoteString)
          .collect(Collectors.joining(", ", "[", "]")));
    } else {
      o.add("data.train.label-column=" + JobConfig.LABEL_COL);
    }
    if (indicator != null) {
      o.add("data.validation.path=dataframe:" + uid + ":" + indicator);
    }
    return o;
  }

  private static ObjectNode provenance(MlpTrainingParams<?> params, TrainedModel model) {
    ObjectNode p = JSON.createObjectNode();
    p.put("trained_by", params.getClass().getName());
    p.put("estimator_uid", params.uid());
    ObjectNode rows = p.putObject("rows");
    rows.put("train", model.train().rows());
    if (model.validation() != null) {
      rows.put("validation", model.validation().rows());
    }
    ObjectNode run = p.putObject("run");
    for (Map.Entry<String, String> e : model.provenance().entrySet()) {
      run.put(e.getKey(), e.getValue());
    }
    p.put("stop_reason", model.stopReason());
    return p;
  }

  private static ObjectNode metrics(TrainedModel model) {
    EpochRecord weights = model.weightsEpoch();
    ObjectNode m = JSON.createObjectNode();
    m.put("epoch", weights.epoch());
    m.put("train_loss", weights.trainLoss());
    if (!Double.isNaN(weights.validationLoss())) {
      m.put("validation_loss", weights.validationLoss());
      m.put(model.spec().task().isClassification() ? "validation_accuracy" : "validation_rmse",
          weights.validationMetric());
    }
    return m;
  }
}
