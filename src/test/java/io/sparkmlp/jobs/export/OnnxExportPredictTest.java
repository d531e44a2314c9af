package io.sparkmlp.jobs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.jobs.data.score.Predictor;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Task;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.trainer.store.SavedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exported graph mirrors what {@code predict} writes ({@link Predictor#predict} on Spark, with
 * the model's standardization and class names): the same probabilities or values within 1e-5 and
 * the same predicted classes, for every task.
 */
class OnnxExportPredictTest {
  private static final StructType SCHEMA = new StructType().add("id", DataTypes.IntegerType)
      .add("features", SQLDataTypes.VectorType());

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0} standardized={1}")
  @CsvSource({"regression,true", "regression,false", "binary,true", "binary,false",
      "multiclass,true", "multiclass,false", "multilabel,true", "multilabel,false"})
  void onnxOutputsMatchPredict(String taskName, boolean standardized) throws Exception {
    Task task = Task.parse(taskName);
    SavedModel model = OnnxFixtures.savedModel(tmp.resolve("m"), task,
        List.of(Activation.of(Activation.Kind.MISH), Activation.leakyRelu(0.1f),
            Activation.of(Activation.Kind.SOFTPLUS)), standardized, 23);
    float[][] x = OnnxFixtures.features(model, 40, 5);
    List<Row> in = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      double[] v = new double[x[i].length];
      for (int j = 0; j < v.length; j++) {
        v[j] = x[i][j];
      }
      in.add(RowFactory.create(i, Vectors.dense(v)));
    }
    Standardization std = model.standardized()
        ? new Standardization(model.featureMean(), model.featureStd()) : null;
    LabelMapping mapping = model.classNames() == null ? null : new LabelMapping(model.classNames());
    List<Row> predicted = Predictor.predict(
        SharedSpark.session().createDataFrame(in, SCHEMA).repartition(2), model.spec(),
        model.params(), std, mapping).collectAsList();
    assertEquals(x.length, predicted.size());

    Map<String, Object> onnx = OnnxFixtures.run(OnnxExport.toOnnx(model).toByteArray(), x);
    int k = model.spec().outputWidth();
    for (Row r : predicted) {
      int i = r.getInt(0);
      String what = task + " row " + i;
      if (task == Task.REGRESSION) {
        float[] got = ((float[][]) onnx.get(OnnxExport.PREDICTION))[i];
        double[] want = k == 1 ? new double[] {r.getDouble(2)} : ((Vector) r.get(2)).toArray();
        assertClose(want, got, what);
        continue;
      }
      double[] want = ((Vector) r.get(3)).toArray();
      float[] prob = ((float[][]) onnx.get(OnnxExport.PROBABILITY))[i];
      assertClose(want, prob, what);
      if (task == Task.MULTILABEL) {
        long[] labels = ((long[][]) onnx.get(OnnxExport.PREDICTION))[i];
        if (!anyNearThreshold(prob)) {
          List<String> names = new ArrayList<>();
          for (int j = 0; j < k; j++) {
            if (labels[j] == 1) {
              names.add(mapping.name(j));
            }
          }
          assertEquals(r.getString(2), String.join(",", names), what);
        }
      } else if (task == Task.MULTICLASS || !anyNearThreshold(prob)) {
        long index = ((long[]) onnx.get(OnnxExport.PREDICTION))[i];
        assertEquals(r.get(2), mapping.predictionValue((int) index), what);
      }
    }
  }

  private static boolean anyNearThreshold(float[] p) {
    for (float v : p) {
      if (OnnxExportTest.nearThreshold(v)) {
        return true;
      }
    }
    return false;
  }

  private static void assertClose(double[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what);
    for (int j = 0; j < want.length; j++) {
      assertEquals(want[j], got[j], OnnxExportTest.TOLERANCE * Math.max(1, Math.abs(want[j])),
          what + " output " + j);
    }
  }
}
