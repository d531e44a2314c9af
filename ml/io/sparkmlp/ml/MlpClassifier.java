package io.sparkmlp.ml;

import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.model.Task;
import io.sparkmlp.trainer.store.SavedModel;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * spark-mlp's trainer as a Spark ML {@link ProbabilisticClassifier}: binary (labels 0 and 1, one
 * sigmoid output) and multi-class (labels 0 .. k-1, softmax) networks, trained by the same
 * {@link io.sparkmlp.trainer.MlpTrainer} and configuration checks as {@code spark-mlp train}. Its
 * training Params are the configuration keys ({@link MlpTrainingParams}, {@link ConfigParams}); it
 * also takes MLlib's {@code MultilayerPerceptronClassifier} settings {@code layers},
 * {@code maxIter} and {@code blockSize}, so it replaces that class in a pipeline.
 *
 * <pre>{@code
 * MlpClassifier mlp = new MlpClassifier().setHidden(new int[] {32, 16}).setEpochs(20);
 * MlpClassificationModel model = mlp.fit(train);
 * }</pre>
 *
 * <p>Rows are not weighted: the trainer has no per-row sample weights, so there is no
 * {@code weightCol}.
 */
public final class MlpClassifier
    extends ProbabilisticClassifier<Vector, MlpClassifier, MlpClassificationModel>
    implements MlpTrainingParams<MlpClassifier>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final String PREFIX = "mlpc";
  /** The most classes a label column may have. */
  public static final int MAX_CLASSES = 10_000;

  private String uid;

  /** A classifier with the configuration defaults and a new uid. */
  public MlpClassifier() {
    this(Uids.hold(org.apache.spark.ml.util.Identifiable.randomUID(PREFIX)));
  }

  /** A classifier with the configuration defaults and the given uid. */
  public MlpClassifier(String uid) {
    this(Uids.hold(uid));
  }

  private MlpClassifier(Object token) {
    uid();
    ConfigParams.setDefaults(this);
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take(PREFIX);
    }
    return uid;
  }

  /**
   * Trains on the rows' features and labels: two classes give a binary network, more a
   * multi-class one. The class count comes from the label column's metadata when it has it (as
   * after a {@code StringIndexer}), else from the largest label.
   */
  @Override
  public MlpClassificationModel train(Dataset<?> dataset) {
    int k = Math.max(2, getNumClasses(dataset, MAX_CLASSES));
    Task task = k == 2 ? Task.BINARY : Task.MULTICLASS;
    SavedModel model = MlpFitting.fit(this, dataset, getFeaturesCol(), getLabelCol(), task,
        task == Task.BINARY ? 1 : k, LabelMapping.indices(k).classNames());
    return new MlpClassificationModel(org.apache.spark.ml.util.Identifiable.randomUID(PREFIX),
        model);
  }

  @Override
  public MlpClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** The reader of saved (unfitted) classifiers. */
  public static MLReader<MlpClassifier> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads a classifier saved with {@code write().save(path)}. */
  public static MlpClassifier load(String path) {
    return read().load(path);
  }
}
