package io.sparkmlp.ml;

import io.sparkmlp.trainer.store.ModelDirectory;
import io.sparkmlp.trainer.store.SavedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * Writes a model as a spark-mlp model directory ({@code model.json} and
 * {@code weights.safetensors}, through {@link ModelDirectory}, as {@code spark-mlp train} writes
 * it) plus Spark ML's {@code metadata/} (class, uid and Param values), which
 * {@link org.apache.spark.ml.PipelineModel} needs to find the class when it loads a stage. The
 * command line ignores {@code metadata/}; a directory without it loads with defaults.
 */
final class MlpModelWriter extends MLWriter {
  private final Params instance;
  private final SavedModel model;

  MlpModelWriter(Params instance, SavedModel model) {
    this.instance = instance;
    this.model = model;
  }

  @Override
  public void saveImpl(String path) {
    try {
      ModelDirectory.save(model, path, true, sc().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sc(), Option.empty(),
        Option.empty());
  }
}
