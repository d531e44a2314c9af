package io.sparkmlp.ml;

import io.sparkmlp.trainer.store.ModelDirectory;
import io.sparkmlp.trainer.store.SavedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BiFunction;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsReader.Metadata;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

/**
 * Reads a spark-mlp model directory as a Spark ML model: the network, weights, classes and
 * standardization from {@code model.json} and {@code weights.safetensors} ({@link ModelDirectory}),
 * and, when the directory was written by {@link MlpModelWriter}, the uid and Param values from
 * Spark ML's {@code metadata/}. A directory written by {@code spark-mlp train} has no metadata and
 * loads with a new uid and default Params.
 *
 * @param <M> the model class
 */
final class MlpModelReader<M extends Params> extends MLReader<M> {
  private final Class<M> type;
  private final String uidPrefix;
  private final BiFunction<String, SavedModel, M> create;

  /**
   * @param type      the model class (checked against the metadata's class)
   * @param uidPrefix prefix of a new uid, for directories without metadata
   * @param create    builds the model from its uid and content
   */
  MlpModelReader(Class<M> type, String uidPrefix, BiFunction<String, SavedModel, M> create) {
    this.type = type;
    this.uidPrefix = uidPrefix;
    this.create = create;
  }

  @Override
  public M load(String path) {
    try {
      SavedModel saved = ModelDirectory.load(path, sc().hadoopConfiguration());
      Path metadata = new Path(path, "metadata");
      FileSystem fs = metadata.getFileSystem(sc().hadoopConfiguration());
      if (!fs.exists(metadata)) {
        return create.apply(org.apache.spark.ml.util.Identifiable.randomUID(uidPrefix), saved);
      }
      Metadata md = DefaultParamsReader$.MODULE$.loadMetadata(path, sc(), type.getName());
      M model = create.apply(md.uid(), saved);
      md.getAndSetParams(model, Option.empty());
      return model;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
