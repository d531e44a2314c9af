package io.sparkmlp.jobs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.jobs.config.JobConfig;
import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.prep.Preparation;
import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.jobs.data.prep.TargetScaler;
import io.sparkmlp.jobs.data.read.DataReader;
import io.sparkmlp.jobs.data.read.RawTable;
import io.sparkmlp.model.Task;
import io.sparkmlp.trainer.RowPacker;
import io.sparkmlp.trainer.SparseInput;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The splits of a training job, ready for the trainer: read, split (the test split first), the
 * table preparation fitted on the training split and applied to every split, missing values
 * dropped from every split and counted once, then features standardized and regression targets
 * scaled with statistics of the (prepared) training split. An autoencoder's training and
 * validation rows then get their label: the row's own prepared (standardized) feature vector; its
 * test rows stay unlabelled (the scorer reconstructs them after standardizing).
 *
 * @param train          training rows (the trainer may still hold out a validation fraction)
 * @param validation     separate validation rows, or null
 * @param test           test rows, or null
 * @param mapping        classification classes, or null
 * @param numFeatures    feature vector width
 * @param featureNames   feature names, or null
 * @param outputWidth    network output width the labels need
 * @param preparation    the fitted table preparation, or null (vector input)
 * @param std            feature standardization, or null
 * @param target         regression target scaling, or null
 * @param droppedTrain   rows of the training split (with the trainer's validation fraction)
 *                       dropped: missing values of table columns (data.missing), or NaN or
 *                       infinite rows of vector input (data.invalid-rows = drop)
 * @param droppedValidation rows of the separate validation input dropped
 * @param droppedTest    rows of the test split dropped
 * @param testRows       rows of the test split after drops
 * @param sparse         the features are packed sparse (data.sparse, resolved on the training
 *                       split); they are then not standardized
 */
record TrainingData(Dataset<Row> train, Dataset<Row> validation, Dataset<Row> test,
    LabelMapping mapping, int numFeatures, List<String> featureNames, int outputWidth,
    Preparation preparation, Standardization std, TargetScaler target, long droppedTrain,
    long droppedValidation, long droppedTest, long testRows, boolean sparse) {

  private static final String HINT = "set data.missing.policy = drop or impute, or per column "
      + "data.missing.columns";

  /** Reads and prepares the inputs of {@code cfg}; prints what it decided to {@code out}. */
  static TrainingData prepare(SparkSession spark, JobConfig cfg, PrintStream out) {
    long seed = cfg.training().seed();
    Task task = cfg.task();
    Dataset<Row> train;
    Dataset<Row> validation = null;
    Dataset<Row> test = null;
    LabelMapping mapping;
    int numFeatures;
    List<String> names;
    int outputWidth;
    Preparation prep = null;
    long dTrain = 0;
    long dVal = 0;
    long dTest = 0;
    long testRows = -1;
    if (cfg.train().tabular()) {
      RawTable raw = DataReader.readTable(spark, cfg.train(), task, null, null, true);
      mapping = raw.mapping();
      outputWidth = raw.outputWidth();
      RawTable trainRaw = raw;
      RawTable testRaw = null;
      RawTable valRaw = null;
      if (cfg.test().isPresent()) {
        testRaw = DataReader.readTable(spark, cfg.test().get(), task, mapping, raw.columns(),
            true);
      } else if (cfg.testFraction() > 0) {
        Dataset<Row>[] parts = raw.rows().randomSplit(
            new double[] {1 - cfg.testFraction(), cfg.testFraction()}, seed ^ 0x7E57L);
        trainRaw = raw.withRows(parts[0]);
        testRaw = raw.withRows(parts[1]);
      }
      if (cfg.validation().isPresent()) {
        valRaw = DataReader.readTable(spark, cfg.validation().get(), task, mapping,
            raw.columns(), true);
      }
      // the fit checks the training rows in its own passes (no check pass of their own)
      Preparation.Fitted fitted = Preparation.fitChecked(trainRaw, cfg.preparation(),
          cfg.train().categoricalColumns(), out);
      prep = fitted.preparation();
      dTrain = fitted.counts().dropped();
      train = prep.apply(trainRaw).rows();
      if (valRaw != null) {
        dVal = prep.check(valRaw, HINT).dropped();
        validation = prep.apply(valRaw).rows();
      }
      if (testRaw != null) {
        Preparation.Counts c = prep.check(testRaw, HINT);
        dTest = c.dropped();
        testRows = c.kept();
        test = prep.apply(testRaw).rows();
      }
      numFeatures = prep.width();
      names = prep.featureNames();
      if (dTrain + dVal + dTest > 0) {
        out.println("dropped " + (dTrain + dVal + dTest) + " rows with missing values (train "
            + dTrain + (valRaw != null ? ", validation " + dVal : "")
            + (testRaw != null ? ", test " + dTest : "") + "; data.missing policy drop)");
      }
    } else {
      PreparedData d = DataReader.read(spark, cfg.train(), task, null, 0, true);
      mapping = d.mapping();
      outputWidth = d.outputWidth();
      numFeatures = d.numFeatures();
      names = d.featureNames();
      train = d.rows();
      if (cfg.test().isPresent()) {
        test = DataReader.read(spark, cfg.test().get(), task, mapping, numFeatures, true).rows();
      } else if (cfg.testFraction() > 0) {
        Dataset<Row>[] parts = train.randomSplit(
            new double[] {1 - cfg.testFraction(), cfg.testFraction()}, seed ^ 0x7E57L);
        train = parts[0];
        test = parts[1];
      }
      if (cfg.validation().isPresent()) {
        validation = DataReader.read(spark, cfg.validation().get(), task, mapping, numFeatures,
            true).rows();
      }
      org.apache.spark.sql.Column label = task == Task.AUTOENCODER ? functions.lit(0.0)
          : functions.col(PreparedData.LABEL);
      if (cfg.training().invalidRows() == RowPacker.InvalidRows.DROP) {
        // drop NaN or infinite rows from every split here, before standardization, so that the
        // statistics come from the kept rows and each split is counted once
        long[] c = invalidRows(train, label);
        dTrain = c[1];
        train = train.filter(FINITE.apply(functions.col(PreparedData.FEATURES), label));
        if (validation != null) {
          dVal = invalidRows(validation, label)[1];
          validation = validation.filter(FINITE.apply(functions.col(PreparedData.FEATURES), label));
        }
        if (test != null) {
          c = invalidRows(test, label);
          dTest = c[1];
          testRows = c[0] - c[1];
          test = test.filter(FINITE.apply(functions.col(PreparedData.FEATURES), label));
        }
        if (dTrain + dVal + dTest > 0) {
          out.println("dropped " + (dTrain + dVal + dTest) + " rows with NaN or infinite values "
              + "(train " + dTrain + (validation != null ? ", validation " + dVal : "")
              + (test != null ? ", test " + dTest : "") + "; data.invalid-rows = drop)");
        }
      }
    }
    boolean sparse = sparse(cfg.training().sparseInput(), task, train, out);
    Standardization std = null;
    if (cfg.standardize() && sparse) {
      out.println("sparse features are not standardized (centering would make them dense; "
          + "data.standardize applies to dense input)");
    } else if (cfg.standardize()) {
      std = Standardization.fit(train, names);
      train = std.apply(train);
      if (validation != null) {
        validation = std.apply(validation);
      }
    }
    TargetScaler target = null;
    if (task == Task.REGRESSION && cfg.preparation().standardizeTarget()) {
      target = TargetScaler.fit(train, outputWidth);
      train = target.apply(train);
      if (validation != null) {
        validation = target.apply(validation);
      }
      out.println("regression targets standardized: " + target
          + " (data.standardize-target; predictions and test metrics are in original units)");
    }
    if (task == Task.AUTOENCODER) {
      // the target of a row is its own prepared feature vector (dense), standardized as above
      outputWidth = numFeatures;
      train = train.withColumn(PreparedData.LABEL,
          DENSE.apply(functions.col(PreparedData.FEATURES)));
      if (validation != null) {
        validation = validation.withColumn(PreparedData.LABEL,
            DENSE.apply(functions.col(PreparedData.FEATURES)));
      }
      out.println("autoencoder: the target of each row is its own "
          + (std != null ? "standardized " : "") + "feature vector (" + numFeatures + " values)");
    }
    return new TrainingData(train, validation, test, mapping, numFeatures, names, outputWidth,
        prep, std, target, dTrain, dVal, dTest, testRows, sparse);
  }

  /**
   * Resolves data.sparse on the training rows (see {@link SparseInput#resolve}: auto measures the
   * density of sparse vectors in one pass) and says what it decided when it measured.
   */
  private static boolean sparse(SparseInput.Mode mode, Task task, Dataset<Row> train,
      PrintStream out) {
    if (task == Task.AUTOENCODER) {
      // its target is the dense feature vector, so the rows are packed densely
      if (mode == SparseInput.Mode.TRUE) {
        throw new IllegalArgumentException("data.sparse = true does not apply to task autoencoder "
            + "(its target is the whole feature vector); leave data.sparse at auto or false");
      }
      return false;
    }
    if (mode != SparseInput.Mode.AUTO) {
      return mode == SparseInput.Mode.TRUE;
    }
    org.apache.spark.api.java.JavaRDD<Row> rows = train.select(PreparedData.FEATURES).javaRDD();
    if (!SparseInput.arrivesSparse(rows)) {
      return false;
    }
    SparseInput.Density d = SparseInput.measure(rows);
    out.println("features: " + d.describe() + ": " + (d.sparse() ? "sparse" : "dense")
        + " (data.sparse = auto, sparse below " + SparseInput.DENSITY_THRESHOLD + ")");
    return d.sparse();
  }

  /** The dense form of a feature vector: an autoencoder's target. */
  private static final org.apache.spark.sql.expressions.UserDefinedFunction DENSE =
      functions.udf((org.apache.spark.sql.api.java.UDF1<Vector, Vector>) Vector::toDense,
          org.apache.spark.ml.linalg.SQLDataTypes.VectorType());

  /** True when a row's features and label are all finite numbers. */
  private static final org.apache.spark.sql.expressions.UserDefinedFunction FINITE =
      functions.udf((org.apache.spark.sql.api.java.UDF2<Vector, Object, Boolean>) (v, y) -> {
        // the stored values only: a sparse vector's implicit zeros are finite
        double[] stored = v instanceof org.apache.spark.ml.linalg.SparseVector sv ? sv.values()
            : v.toArray();
        for (double x : stored) {
          if (!Double.isFinite(x)) {
            return false;
          }
        }
        if (y instanceof Vector yv) {
          for (double x : yv.toArray()) {
            if (!Double.isFinite(x)) {
              return false;
            }
          }
          return true;
        }
        return !(y instanceof Number n) || Double.isFinite(n.doubleValue());
      }, DataTypes.BooleanType);

  /** {rows, rows with a NaN or infinite feature or label} of {@code rows}, in one pass. */
  private static long[] invalidRows(Dataset<Row> rows, org.apache.spark.sql.Column label) {
    Row r = rows.agg(functions.count(functions.lit(1)), functions.sum(functions.when(
        FINITE.apply(functions.col(PreparedData.FEATURES), label),
        0L).otherwise(1L))).first();
    return new long[] {r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1)};
  }

  /** What model.json stores under {@code preparation}, or null when nothing was learned. */
  ObjectNode preparationJson() {
    if (preparation == null && target == null) {
      return null;
    }
    ObjectNode o = preparation != null ? preparation.toJson()
        : JsonNodeFactory.instance.objectNode();
    if (target != null) {
      o.set("target", target.toJson());
    }
    return o;
  }
}
