package io.sparkmlp.jobs;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.config.JobConfig;
import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.prep.Preparation;
import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.jobs.data.read.DataReader;
import io.sparkmlp.jobs.data.read.RawTable;
import io.sparkmlp.trainer.store.SavedModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** What evaluate and predict need from a saved model: its data description, classes, scaling. */
final class SavedModels {
  private static final String LABELS_PATH = "data.train.labels-path";

  private SavedModels() {}

  /**
   * The data source of the model's training config, at {@code input}, with {@code overrides}
   * (e.g. {@code data.train.format=csv}) applied on top of the saved config. For idx input the
   * training labels file is not carried over: the labels of {@code input} come from an override
   * {@code data.train.labels-path=...}, and without one the input is unlabelled.
   */
  static DataSource source(SavedModel model, String input, List<String> overrides)
      throws IOException {
    if (model.config() == null) {
      throw new IllegalArgumentException("the model records no training config; cannot tell how "
          + "to read " + input);
    }
    Path tmp = Files.createTempFile("spark-mlp-model-config", ".conf");
    try {
      Files.writeString(tmp, model.config().toString(), StandardCharsets.UTF_8);
      JobConfig cfg = JobConfig.load(tmp, overrides);
      DataSource src = cfg.train().withPath(input);
      boolean ownLabels = overrides.stream()
          .anyMatch(o -> o.split("=", 2)[0].trim().equals(LABELS_PATH));
      return src.format() == DataSource.Format.IDX && !ownLabels ? src.withLabelsPath(null) : src;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Fails if the input's feature names are known and differ from the model's (a CSV whose columns
   * are ordered differently would otherwise be scored silently with the wrong features).
   */
  static void checkFeatureNames(SavedModel model, io.sparkmlp.jobs.data.PreparedData data) {
    List<String> expected = model.featureNames();
    List<String> actual = data.featureNames();
    if (expected != null && actual != null && !expected.equals(actual)) {
      int i = 0;
      while (i < Math.min(expected.size(), actual.size()) && expected.get(i).equals(actual.get(i))) {
        i++;
      }
      throw new IllegalArgumentException(data.path() + ": feature columns differ from the model's "
          + "at position " + i + ": expected '" + (i < expected.size() ? expected.get(i) : "")
          + "', got '" + (i < actual.size() ? actual.get(i) : "") + "'");
    }
  }

  /**
   * Reads {@code src} for {@code model} as its training data was read: a table input goes
   * through the model's stored preparation (same columns, imputed values, vocabularies; rows
   * with a missing value in a column of policy drop are left out and counted on {@code out}),
   * any other input (and a model without a preparation) through {@link DataReader#read}.
   *
   * @throws IllegalArgumentException naming the file, column and row of a bad cell
   */
  static PreparedData read(SparkSession spark, SavedModel model, DataSource src,
      boolean requireLabel, PrintStream out) {
    Preparation prep = Preparation.fromJson(model.preparation());
    PreparedData data;
    if (prep != null && src.tabular()) {
      RawTable raw = DataReader.readTable(spark, src, model.spec().task(), mapping(model),
          prep.inputColumns(), requireLabel);
      Preparation.Counts counts = prep.check(raw, "the model was trained with missing-value "
          + "policy fail for this column, so the input needs a value there");
      if (counts.dropped() > 0) {
        out.println("left out " + counts.dropped() + " of " + counts.rows() + " rows with missing"
            + " values (the model's missing-value policy is drop for their columns)");
      }
      data = prep.apply(raw);
    } else {
      data = DataReader.read(spark, src, model.spec().task(), mapping(model),
          model.spec().inputWidth(), requireLabel);
    }
    checkFeatureNames(model, data);
    return data;
  }

  /** The model's classes, or null for regression. */
  static LabelMapping mapping(SavedModel model) {
    return model.classNames() == null ? null : new LabelMapping(model.classNames());
  }

  /** The model's standardization, or null. */
  static Standardization standardization(SavedModel model) {
    return model.standardized() ? new Standardization(model.featureMean(), model.featureStd())
        : null;
  }
}
