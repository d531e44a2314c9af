package io.sparkmlp.ml;

import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.jobs.data.score.Predictor;
import io.sparkmlp.trainer.store.SavedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;

/**
 * Scores a DataFrame with the command line's own prediction path ({@link Predictor#predict}: the
 * batched forward pass per partition, parameters broadcast once), so a Transformer and
 * {@code spark-mlp predict} give bitwise the same outputs. The input's columns travel inside one
 * struct column while {@link Predictor} adds its columns, so no input column name can clash with
 * them; they come back out with their metadata. Everything is a narrow, lazy DataFrame operation.
 */
final class MlpScoring {
  private static final String ROW = "__sparkmlp_row";

  private MlpScoring() {}

  /**
   * The input with {@link Predictor}'s columns added under the given names: for classification
   * {@value Predictor#PROBABILITY} (a vector) and {@value Predictor#PREDICTION} (the class index as
   * text), for regression {@value Predictor#PREDICTION}.
   *
   * @param dataset     the rows to score
   * @param featuresCol the features vector column
   * @param model       the model (standardization included)
   * @param outputs     the output columns, built from the scored frame's {@link Predictor} columns
   */
  static Dataset<Row> score(Dataset<?> dataset, String featuresCol, SavedModel model,
      Function<Dataset<Row>, List<Column>> outputs) {
    Dataset<Row> df = dataset.toDF();
    Column[] all = new Column[df.columns().length];
    for (int i = 0; i < all.length; i++) {
      all[i] = df.col(quote(df.columns()[i]));
    }
    Dataset<Row> inner = df.select(functions.struct(all).as(ROW),
        df.col(quote(featuresCol)).as("features"));
    Standardization std = model.standardized()
        ? new Standardization(model.featureMean(), model.featureStd()) : null;
    Dataset<Row> scored = Predictor.predict(inner, model.spec(), model.params(), std, null);
    List<Column> out = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      out.add(scored.col(ROW).getField(f.name()).as(f.name(), f.metadata()));
    }
    out.addAll(outputs.apply(scored));
    return scored.select(out.toArray(Column[]::new));
  }

  /** A column name as {@link Dataset#col} reads it literally (dots and backticks included). */
  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
