package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.read.DataReader;
import io.sparkmlp.model.Task;
import io.sparkmlp.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate} end to end in local mode: Parquet the trainer's reader and train read, and the
 * same rows as CSV columns.
 */
class GenerateJobTest {
  @TempDir Path dir;

  @Test
  void helpListsGenerate() {
    BadInputMatrixTest.Result r = BadInputMatrixTest.main("--help");
    assertTrue(r.out().contains("generate"), r.out());
    BadInputMatrixTest.Result g = BadInputMatrixTest.main("generate", "--help");
    assertEquals(0, g.code());
    assertTrue(g.out().contains("usage: spark-mlp generate"), g.out());
  }

  @Test
  void generatesParquetThatTrainReads() throws Exception {
    SharedSpark.session();
    Path data = dir.resolve("synthetic.parquet");
    BadInputMatrixTest.Result gen = BadInputMatrixTest.main("generate",
        "conf/examples/generate-synthetic.conf", "--set", "generate.rows=3000", "--set",
        "generate.features=10", "--set", "generate.outputs=3", "--set",
        "generate.partitions=3", "--set", "generate.output=" + data, "--set",
        "spark.master=local[2]");
    assertEquals(0, gen.code(), gen.err());
    assertTrue(gen.out().contains("wrote 3,000 rows"), gen.out());
    assertTrue(gen.out().contains("class counts"), gen.out());
    try (var s = Files.list(dir)) {
      assertEquals(List.of("synthetic.parquet"), s.map(p -> p.getFileName().toString()).toList());
    }

    DataSource src = new DataSource(data.toString(), DataSource.Format.PARQUET, 0, "label",
        List.of(), "features", List.of(), List.of(), true, ",");
    PreparedData read = DataReader.read(SharedSpark.session(), src, Task.MULTICLASS, null, 0,
        true);
    assertEquals(10, read.numFeatures());
    assertEquals(3, read.outputWidth());
    assertEquals(3000, read.rows().count());

    Path model = dir.resolve("model");
    BadInputMatrixTest.Result train = BadInputMatrixTest.main("train",
        "conf/bench/large-synthetic.conf", "--set", "data.train.path=" + data, "--set",
        "train.batch-size=256", "--set", "train.epochs=1", "--set", "output.model=" + model,
        "--set", "spark.master=local[2]");
    assertEquals(0, train.code(), train.err());
    JsonNode meta = new ObjectMapper().readTree(model.resolve("model.json").toFile());
    assertTrue(meta.toString().contains("\"raw_float32_bytes\""), "provenance has the sizes");
    assertTrue(meta.path("config").path("generate").isMissingNode(),
        "the training config does not carry the generate section");
  }

  @Test
  void refusesAnExistingOutputUnlessOverwrite() throws Exception {
    Path out = dir.resolve("exists");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "mine");
    BadInputMatrixTest.Result r = BadInputMatrixTest.main("generate", "--set",
        "generate.rows=10", "--set", "generate.output=" + out, "--set", "spark.master=local[2]");
    r.fails("already exists", "overwrite");
    assertTrue(Files.exists(out.resolve("keep.txt")), "the existing output is untouched");
    BadInputMatrixTest.main("generate", "--set", "generate.rows=10", "--set",
        "generate.output=" + out, "--set", "generate.overwrite=true", "--set",
        "spark.master=local[2]").fails("refusing to replace a directory spark-mlp did not write");
    assertTrue(Files.exists(out.resolve("keep.txt")), "overwrite never replaces foreign data");
    Files.delete(out.resolve("keep.txt"));
    BadInputMatrixTest.Result first = BadInputMatrixTest.main("generate", "--set",
        "generate.rows=10", "--set", "generate.output=" + out, "--set", "generate.overwrite=true",
        "--set", "spark.master=local[2]");
    assertEquals(0, first.code(), first.err());
    assertEquals("spark-mlp generated-data\n",
        Files.readString(out.resolve("_SPARK_MLP_OUTPUT")));
    BadInputMatrixTest.Result ok = BadInputMatrixTest.main("generate", "--set",
        "generate.rows=10", "--set", "generate.output=" + out, "--set", "generate.overwrite=true",
        "--set", "generate.task=regression", "--set", "generate.outputs=2", "--set",
        "spark.master=local[2]");
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("target mean/std"), ok.out());
    assertTrue(Files.exists(out.resolve("_SPARK_MLP_OUTPUT")), "replaced by marked output");
  }

  @Test
  void csvHoldsTheParquetRowsAsColumnsThatTrainReads() throws Exception {
    SharedSpark.session();
    Path parquet = dir.resolve("synthetic.parquet");
    Path csv = dir.resolve("synthetic.csv");
    for (String[] f : new String[][] {{"parquet", parquet.toString()}, {"csv", csv.toString()}}) {
      BadInputMatrixTest.Result gen = BadInputMatrixTest.main("generate", "--set",
          "generate.rows=500", "--set", "generate.features=4", "--set", "generate.partitions=2",
          "--set", "generate.format=" + f[0], "--set", "generate.output=" + f[1], "--set",
          "spark.master=local[2]");
      assertEquals(0, gen.code(), gen.err());
      assertTrue(gen.out().contains("class counts"), gen.out());
    }
    List<String> lines;
    try (var parts = Files.list(csv)) {
      Path part = parts.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted()
          .findFirst().orElseThrow();
      lines = Files.readAllLines(part);
    }
    assertEquals("x1,x2,x3,x4,label", lines.get(0));
    // row for row, the same float32 values and labels as the Parquet output's first part file
    // (a directory read may order its files by size, so the part is named)
    Path firstParquet;
    try (var parts = Files.list(parquet)) {
      firstParquet = parts.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted()
          .findFirst().orElseThrow();
    }
    List<org.apache.spark.sql.Row> expected = SharedSpark.session().read()
        .parquet(firstParquet.toString()).collectAsList();
    assertEquals(expected.size(), lines.size() - 1, "rows of the first part files");
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i).split(",");
      List<Object> features = expected.get(i - 1).getList(0);
      for (int f = 0; f < 4; f++) {
        assertEquals(Float.floatToIntBits((Float) features.get(f)),
            Float.floatToIntBits(Float.parseFloat(cells[f])), "row " + i + " feature " + f);
      }
      assertEquals(expected.get(i - 1).getInt(1), Integer.parseInt(cells[4]), "row " + i);
    }

    Path model = dir.resolve("model");
    BadInputMatrixTest.Result train = BadInputMatrixTest.main("train", "--set",
        "task=multiclass", "--set", "data.train.path=" + csv, "--set", "data.train.format=csv",
        "--set", "train.batch-size=64", "--set", "train.epochs=1", "--set",
        "output.model=" + model, "--set", "spark.master=local[2]");
    assertEquals(0, train.code(), train.err());
    JsonNode meta = new ObjectMapper().readTree(model.resolve("model.json").toFile());
    assertEquals(4, meta.at("/spec/input_width").asInt(), meta.at("/spec").toString());

    BadInputMatrixTest.main("generate", "--set", "generate.rows=10", "--set",
        "generate.format=csv", "--set", "generate.task=multilabel", "--set",
        "generate.output=" + dir.resolve("ml.csv"), "--set", "spark.master=local[2]")
        .fails("generate.format = csv needs a single label column");
    assertTrue(!Files.exists(dir.resolve("ml.csv")), "nothing written");
  }
}
