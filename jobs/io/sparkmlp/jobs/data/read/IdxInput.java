package io.sparkmlp.jobs.data.read;

import static org.apache.spark.sql.functions.lit;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.model.Task;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * IDX (MNIST): an images file and a labels file of unsigned bytes, read and checked whole on the
 * driver by {@link IdxFile} (so they must fit in its memory: MNIST's training images are 47 MB),
 * then broadcast. Each image becomes a dense feature vector of its pixels divided by 255, i.e.
 * scaled to [0, 1], in row-major order; the labels are class indices (binary or multi-class). The
 * two files must hold the same number of items; without a labels file (prediction) the rows have
 * no label.
 */
final class IdxInput implements InputFormat {
  /** Internal row-number column of IDX input; never in the output. */
  private static final String IDX_ROW = "__sparkmlp_idx_row";

  @Override
  public DataSource.Format format() {
    return DataSource.Format.IDX;
  }

  @Override
  public Plan plan(SparkSession spark, DataSource src, Task task, int expectedFeatures,
      boolean requireLabel) {
    String path = src.path();
    if (task != Task.BINARY && task != Task.MULTICLASS && task != Task.AUTOENCODER) {
      throw new IllegalArgumentException(path + ": idx labels are class indices; task must be "
          + "binary or multiclass, not " + task);
    }
    String labelsPath = task == Task.AUTOENCODER ? null : src.labelsPath();
    if (labelsPath == null && requireLabel) {
      throw new IllegalArgumentException(path + ": idx input needs its labels file (labels-path "
          + "in the config; for evaluate: --set data.train.labels-path=FILE)");
    }
    Configuration conf = HadoopPaths.conf(spark);
    IdxFile images = IdxFile.read(path, conf);
    if (images.dims().length < 2) {
      throw new IllegalArgumentException(images.file() + ": an idx images file has at least two "
          + "dimensions (items x values), this one has one " + Arrays.toString(images.dims())
          + "; is it a labels file?");
    }
    IdxFile labels = null;
    if (labelsPath != null) {
      labels = IdxFile.read(labelsPath, conf);
      if (labels.dims().length != 1) {
        throw new IllegalArgumentException(labels.file() + ": an idx labels file has one "
            + "dimension, this one has " + labels.dims().length + " "
            + Arrays.toString(labels.dims()) + "; is it an images file?");
      }
      if (labels.count() != images.count()) {
        throw new IllegalArgumentException(labels.file() + ": " + labels.count()
            + " labels, but the images file " + images.file() + " holds " + images.count()
            + " images");
      }
    }
    int width = images.itemSize();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<byte[]> pixels = jsc.broadcast(images.data());
    UserDefinedFunction toVector = functions.udf(
        (UDF1<Long, Vector>) row -> pixels(pixels.value(), row, width), new VectorUDT());
    int slices = Math.max(1, spark.sparkContext().defaultParallelism());
    Dataset<Row> raw = spark.range(0, images.count(), 1, slices).toDF(IDX_ROW);
    if (labels != null) {
      Broadcast<byte[]> classes = jsc.broadcast(labels.data());
      UserDefinedFunction label = functions.udf(
          (UDF1<Long, Integer>) row -> classes.value()[Math.toIntExact(row)] & 0xff,
          DataTypes.IntegerType);
      raw = raw.withColumn(DataReader.FILE, lit(labels.file()))
          .withColumn("label", label.apply(functions.col(IDX_ROW)));
    } else {
      raw = raw.withColumn(DataReader.FILE, lit(images.file()));
    }
    Plan p = new Plan(raw, path, this);
    p.features = toVector.apply(functions.col(IDX_ROW));
    p.staticWidth = width;
    p.numFeaturesOption = width;
    if (labels != null) {
      p.labelColumn = "label";
      p.labelKey = functions.col("label").cast(DataTypes.StringType);
    }
    return p;
  }

  /** Image {@code row} of {@code data} as a dense vector of pixel / 255. */
  private static Vector pixels(byte[] data, long row, int width) {
    double[] v = new double[width];
    int off = Math.multiplyExact(Math.toIntExact(row), width);
    for (int j = 0; j < width; j++) {
      v[j] = (data[off + j] & 0xff) / 255.0;
    }
    return new DenseVector(v);
  }
}
