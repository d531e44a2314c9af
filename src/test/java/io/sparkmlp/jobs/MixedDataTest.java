package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four example configs on {@code ../shared/data/tabular-mixed} (text categories, missing
 * values), trained as a user runs them: no preprocessing outside spark-mlp, test metrics near the
 * published references of the data's README, and what was learned checked in model.json.
 * Training is seeded and the inputs are single gzip files (one partition), so the figures are
 * reproducible; the bounds leave a margin under what the examples reach.
 */
class MixedDataTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private JsonNode train(String example) throws IOException {
    Path tabular = SharedSpark.dataDir().resolve("tabular-mixed");
    assertTrue(Files.isDirectory(tabular), tabular.toString());
    Path model = dir.resolve(example);
    TabularJobsTest.Result r = TabularJobsTest.main(List.of("train",
        "conf/examples/" + example + ".conf", "--set", "spark.master=local[2]",
        "--set", "output.model=" + model));
    assertEquals(0, r.code(), r.err() + r.out());
    return JSON.readTree(model.resolve("model.json").toFile());
  }

  private static double test(JsonNode m, String metric) {
    return m.get("metrics").get("test").get(metric).asDouble();
  }

  private static JsonNode column(JsonNode m, String name) {
    for (JsonNode c : m.get("preparation").get("columns")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no column " + name);
  }

  @Test
  void creditG() throws IOException {
    JsonNode m = train("credit-g");
    assertTrue(test(m, "accuracy") >= 0.75, "reference ~75%: " + m.get("metrics"));
    assertEquals("[\"bad\",\"good\"]", m.get("class_names").toString());
    JsonNode checking = column(m, "checking_status");
    assertEquals("categorical", checking.get("kind").asText());
    assertEquals(4, checking.get("categories").size());
    assertEquals("numeric", column(m, "duration").get("kind").asText());
    assertEquals(13, countCategorical(m));
  }

  @Test
  void soybean() throws IOException {
    JsonNode m = train("soybean");
    assertTrue(test(m, "accuracy") >= 0.90, "reference ~92%: " + m.get("metrics"));
    assertEquals(19, m.get("class_names").size());
    assertEquals(35, countCategorical(m), "every column is text");
    JsonNode hail = column(m, "hail");
    assertEquals("impute", hail.get("missing").asText());
    assertTrue(m.get("feature_names").toString().contains("\"hail=<missing>\""));
  }

  @Test
  void vote() throws IOException {
    JsonNode m = train("vote");
    assertTrue(test(m, "accuracy") >= 0.90, "reference ~95%: " + m.get("metrics"));
    assertEquals(16, countCategorical(m));
    assertEquals(0, m.get("provenance").get("rows").get("dropped").asLong(), "imputed, not dropped");
  }

  @Test
  void cpuWithAnUnseenVendorAtPredictTime() throws IOException {
    JsonNode m = train("cpu-vendor");
    assertTrue(test(m, "r2") >= 0.85, "reference R^2 ~0.85: " + m.get("metrics"));
    JsonNode vendor = column(m, "vendor");
    assertEquals("categorical", vendor.get("kind").asText());
    assertTrue(vendor.get("categories").size() < 30, "rare vendors share <other>");
    JsonNode target = m.get("preparation").get("target");
    assertTrue(target.get("mean").get(0).asDouble() > 50, target.toString());
    Path in = dir.resolve("new-machines.csv");
    Files.writeString(in, String.join("\n", "vendor,MYCT,MMIN,MMAX,CACH,CHMIN,CHMAX",
        "ibm,29,8000,32000,32,8,32", "newco,29,8000,32000,32,8,32") + "\n",
        StandardCharsets.UTF_8);
    Path out = dir.resolve("pred");
    TabularJobsTest.Result r = TabularJobsTest.main(List.of("predict", "--model",
        dir.resolve("cpu-vendor").toString(), "--input", in.toString(), "--output",
        out.toString(), "--master", "local[2]"));
    assertEquals(0, r.code(), r.err());
    List<Row> rows = SharedSpark.session().read().parquet(out.toString()).collectAsList();
    assertEquals(2, rows.size());
    for (Row row : rows) {
      double p = row.<Double>getAs("prediction");
      assertTrue(p > 50 && p < 1500, "a prediction in the target's units: " + p);
    }
  }

  private static int countCategorical(JsonNode m) {
    List<String> kinds = new ArrayList<>();
    m.get("preparation").get("columns").forEach(c -> kinds.add(c.get("kind").asText()));
    return (int) kinds.stream().filter("categorical"::equals).count();
  }
}
