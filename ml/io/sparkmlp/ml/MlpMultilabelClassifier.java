package io.sparkmlp.ml;

import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.model.Task;
import io.sparkmlp.trainer.store.SavedModel;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * spark-mlp's trainer as a Spark ML {@link Estimator} for multi-label classification: each row
 * has any subset of L labels, given as a vector (or an array of numbers) of L values 0 or 1; the
 * network has one sigmoid output per label and is trained with summed binary cross-entropy (task
 * {@code multilabel}), by the same {@link io.sparkmlp.trainer.MlpTrainer} and configuration checks
 * as {@code spark-mlp train}. Its training Params are {@link MlpTrainingParams}, as the other
 * estimators'; its columns and {@code thresholds} are {@link MlpMultilabelParams}.
 *
 * <pre>{@code
 * MlpMultilabelModel model = new MlpMultilabelClassifier().setHidden(new int[] {32})
 *     .setEpochs(20).fit(train); // features: vector, label: vector of 0/1
 * model.transform(test);          // probability, rawPrediction, prediction: vectors per label
 * }</pre>
 *
 * <p>The labels are named by the label column's attribute names when it has them (as after a
 * {@code VectorAssembler} of 0/1 columns y1, y2, ...), else "0", "1", ...; the saved model's
 * configuration describes its input as Parquet with the features vector and one 0/1 column per
 * label under those names, so {@code spark-mlp evaluate} reads such files.
 *
 * <p>Rows are not weighted: the trainer has no per-row sample weights, so there is no
 * {@code weightCol}.
 */
public final class MlpMultilabelClassifier extends Estimator<MlpMultilabelModel>
    implements MlpTrainingParams<MlpMultilabelClassifier>,
    MlpMultilabelParams<MlpMultilabelClassifier>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  /** The most labels a label column may have. */
  public static final int MAX_LABELS = 10_000;

  private final String uid;

  /** An estimator with the configuration defaults and a new uid. */
  public MlpMultilabelClassifier() {
    this(MlpMultilabelModel.newUid());
  }

  /** An estimator with the configuration defaults and the given uid. */
  public MlpMultilabelClassifier(String uid) {
    this.uid = uid;
    ConfigParams.setDefaults(this);
    MlpMultilabelParams.setColumnDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  /**
   * Trains on the rows' features and label vectors; the label count is the label column's
   * attribute count when it has one, else the first row's label length (every row must have it).
   *
   * @throws IllegalArgumentException if the columns are missing or of the wrong type, the data is
   *     empty, or the Params do not make a valid configuration (naming the key)
   */
  @Override
  public MlpMultilabelModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    List<String> labels = labelNames(dataset);
    SavedModel model = MlpFitting.fit(this, dataset, getFeaturesCol(), getLabelCol(),
        Task.MULTILABEL, labels.size(), labels);
    MlpMultilabelModel fitted = new MlpMultilabelModel(MlpMultilabelModel.newUid(), model);
    copyValues(fitted, ParamMap.empty());
    return fitted.setParent(this);
  }

  /**
   * The schema a fitted model's {@code transform} gives, after checking the label column too; the
   * label count, which the output vectors' attributes need, is known only after {@link #fit}, so
   * they carry no attributes here.
   */
  @Override
  public StructType transformSchema(StructType schema) {
    labelField(schema);
    return MlpMultilabelModel.outputSchema(this, schema, List.of());
  }

  private StructField labelField(StructType schema) {
    String name = getLabelCol();
    StructField field = MlpMultilabelModel.column(schema, name, "label");
    DataType t = field.dataType();
    boolean ok = t.equals(SQLDataTypes.VectorType())
        || (t instanceof ArrayType a && a.elementType() instanceof NumericType);
    if (!ok) {
      throw new IllegalArgumentException("label column '" + name + "' has type "
          + t.simpleString() + "; a multi-label label is a vector or an array of numbers, 0 or 1 "
          + "per label");
    }
    return field;
  }

  /** The label names: the vector's attribute names when all are there, else "0", "1", .... */
  private List<String> labelNames(Dataset<?> dataset) {
    StructField field = labelField(dataset.schema());
    int width = -1;
    if (field.dataType().equals(SQLDataTypes.VectorType())) {
      AttributeGroup group = AttributeGroup.fromStructField(field);
      width = group.size();
      if (group.attributes().isDefined()) {
        List<String> names = Arrays.stream(group.attributes().get())
            .map(Attribute::name).filter(n -> n.isDefined()).map(n -> n.get()).toList();
        if (names.size() == width && new HashSet<>(names).size() == width) {
          return names;
        }
      }
    }
    if (width < 0) {
      List<Row> first = dataset.select(functions.col(MlpScoring.quote(getLabelCol())))
          .filter(functions.col(MlpScoring.quote(getLabelCol())).isNotNull()).limit(1)
          .collectAsList();
      if (first.isEmpty()) {
        throw new IllegalArgumentException("the training data is empty (no row has a label in '"
            + getLabelCol() + "')");
      }
      Object v = first.get(0).get(0);
      width = v instanceof Vector vec ? vec.size() : ((scala.collection.Seq<?>) v).length();
    }
    if (width < 1 || width > MAX_LABELS) {
      throw new IllegalArgumentException("label column '" + getLabelCol() + "' has " + width
          + " labels; a multi-label network needs 1 to " + MAX_LABELS);
    }
    return LabelMapping.indices(width).classNames();
  }

  @Override
  public MlpMultilabelClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** The reader of saved (unfitted) estimators. */
  public static MLReader<MlpMultilabelClassifier> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads an estimator saved with {@code write().save(path)}. */
  public static MlpMultilabelClassifier load(String path) {
    return read().load(path);
  }
}
