package io.sparkmlp.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The generator on hand-made model.json trees: escaping, contents per task, and page size. */
class HtmlReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Every element the generator writes; anything else in a page came from data. */
  private static final Set<String> ELEMENTS = Set.of("!DOCTYPE", "html", "head", "meta", "title",
      "style", "body", "main", "h1", "h2", "h3", "p", "div", "b", "span", "table", "tr", "th", "td",
      "details", "summary", "svg", "text", "rect", "line", "polyline", "path");
  private static final Pattern TAG = Pattern.compile("</?([!A-Za-z][A-Za-z0-9]*)");
  private static final Pattern SERIES =
      Pattern.compile("data-series=\"([a-z_]+)\" data-points=\"(\\d+)\"");

  /** A model.json of {@code task} with {@code classes} and {@code epochs} epochs of history. */
  static ObjectNode model(String task, List<String> classes, int epochs, int features,
      String stopReason) {
    ObjectNode m = JSON.createObjectNode();
    m.put("format_version", 1);
    ObjectNode spec = m.putObject("spec");
    spec.put("input_width", features);
    spec.putArray("hidden").addObject().put("width", 64).put("activation", "relu");
    int out = "multiclass".equals(task) || "multilabel".equals(task) ? classes.size() : 1;
    spec.put("output_width", out);
    spec.put("task", task);
    spec.put("output_activation", "regression".equals(task) ? "identity"
        : "multiclass".equals(task) ? "softmax" : "sigmoid");
    spec.put("loss", "some_loss");
    if (classes != null) {
      ArrayNode c = m.putArray("class_names");
      classes.forEach(c::add);
    }
    ArrayNode names = m.putArray("feature_names");
    for (int i = 0; i < features; i++) {
      names.add("pixel<" + i + ">");
    }
    m.putArray("feature_mean").add(0.0);
    ObjectNode config = m.putObject("config");
    config.putObject("output").put("model", "models/<run & \"one\">");
    ObjectNode train = config.putObject("train");
    train.put("epochs", epochs).put("batch-size", 128).put("seed", 7);
    train.putObject("optimizer").put("type", "adam").put("learning-rate", 0.001);
    train.putObject("schedule").put("type", "step<decay>");
    config.putObject("data").put("invalid-rows", "drop").put("test-fraction", 0.2)
        .putObject("train").put("path", "data/<train>.csv").put("format", "csv");
    ObjectNode prov = m.putObject("provenance");
    prov.putObject("inputs").put("train", "data/<train>.csv");
    prov.putObject("rows").put("train", 60000).put("validation", 6000).put("test", 10000)
        .put("dropped", 3);
    prov.put("spark.version", "3.5.7");
    prov.put("blas", "native <openblas> & friends");
    prov.put("stop_reason", stopReason);
    ArrayNode history = prov.putArray("history");
    for (int e = 1; e <= epochs; e++) {
      history.addObject().put("epoch", e).put("steps", 100L * e).put("train_loss", 1.0 / e)
          .put("validation_loss", 1.1 / e + 0.01 * e).put("validation_metric", 1 - 0.5 / e)
          .put("learning_rate", 0.001 / e).put("samples_per_second", 5000 + e)
          .put("elapsed_seconds", 3.0 * e);
    }
    return m;
  }

  /** Multi-class test metrics as Metrics writes them. */
  static ObjectNode multiclassMetrics(List<String> classes, long rows) {
    ObjectNode t = JSON.createObjectNode();
    t.put("task", "multiclass").put("count", rows).put("accuracy", 0.9).put("log_loss", 0.3);
    ObjectNode per = t.putObject("per_class");
    ArrayNode names = t.putArray("classes");
    ArrayNode cm = t.putArray("confusion_matrix");
    int k = classes.size();
    for (int a = 0; a < k; a++) {
      per.putObject(classes.get(a)).put("precision", 0.9).put("recall", 0.8).put("f1", 0.85)
          .put("support", rows / k);
      names.add(classes.get(a));
      ArrayNode r = cm.addArray();
      for (int b = 0; b < k; b++) {
        r.add(a == b ? rows / k - (k - 1) : 1);
      }
    }
    return t;
  }

  private static Map<String, Integer> series(String html) {
    Map<String, Integer> out = new HashMap<>();
    Matcher m = SERIES.matcher(html);
    while (m.find()) {
      out.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    return out;
  }

  private static Set<String> elements(String html) {
    Set<String> out = new TreeSet<>();
    String css = html.substring(html.indexOf("<style>"), html.indexOf("</style>"));
    Matcher m = TAG.matcher(html.replace(css, ""));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void escapesEveryStringFromDataAndConfig() {
    List<String> classes = List.of("<b>bold</b>", "a&b", "\"quoted\" 'single'",
        "<script>alert(1)</script>");
    ObjectNode m = model("multiclass", classes, 3, 4,
        "completed 3 epochs <img src=x onerror=alert(2)>");
    m.putObject("metrics").set("test", multiclassMetrics(classes, 400));
    String html = HtmlReport.training(m, ReportCurves.none());
    for (String raw : List.of("<b>bold", "a&b", "\"quoted\"", "'single'", "<script",
        "<img", "pixel<0>", "<run", "<train>", "<openblas>", "step<decay>")) {
      assertFalse(html.contains(raw), "unescaped " + raw);
    }
    for (String escaped : List.of("&lt;b&gt;bold&lt;/b&gt;", "a&amp;b",
        "&quot;quoted&quot; &#39;single&#39;", "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;img src=x onerror=alert(2)&gt;", "pixel&lt;0&gt;",
        "models/&lt;run &amp; &quot;one&quot;&gt;", "native &lt;openblas&gt; &amp; friends")) {
      assertTrue(html.contains(escaped), "escaped " + escaped);
    }
    assertTrue(ELEMENTS.containsAll(elements(html)), "only the generator's elements: "
        + elements(html));
  }

  @Test
  void escapeAndNumberFormats() {
    assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Html.escape("<a href=\"x\">&'"));
    assertEquals("plain", Html.escape("plain"));
    assertEquals("", Html.escape(null));
    assertEquals("ab\u2026", Html.escapeShort("abcdef", 3));
    assertEquals("&lt;\u2026", Html.escapeShort("<<<<", 2));
    assertEquals("1,234", Html.num(1234));
    assertEquals("0.1235", Html.num(0.123456));
    assertEquals("1.000e-08", Html.num(1e-8));
    assertEquals("\u2013", Html.num(Double.NaN));
    assertEquals("-1.5", Html.coord(-1.46));
    assertEquals("-0.5", Html.coord(-0.5));
    assertEquals("12", Html.coord(12.01));
  }

  @Test
  void perEpochLinesHaveOnePointPerEpochAndMarkTheRestoredBestEpoch() {
    ObjectNode m = model("binary", List.of("no", "yes"), 9, 5,
        "early stopping at epoch 9: no validation improvement for 3 epochs (best epoch 6); "
            + "restored the weights of epoch 6");
    String html = HtmlReport.training(m, ReportCurves.none());
    Map<String, Integer> s = series(html);
    for (String k : List.of("train_loss", "validation_loss", "validation_metric",
        "learning_rate", "samples_per_second")) {
      assertEquals(9, s.get(k), k);
    }
    assertTrue(html.contains("best epoch 6"));
    assertTrue(html.contains("No test data"), "a model without test metrics says so");
    String noRestore = HtmlReport.training(model("binary", List.of("no", "yes"), 9, 5,
        "completed 9 epochs"), ReportCurves.none());
    assertFalse(noRestore.contains("best epoch"), "no marker without a restore");
  }

  @Test
  void binaryCurvesAndRegressionSamplesAreDrawn() {
    ObjectNode m = model("binary", List.of("benign", "malignant"), 4, 30, "completed 4 epochs");
    ObjectNode t = m.putObject("metrics").putObject("test");
    t.put("task", "binary").put("count", 100).put("roc_auc", 0.95);
    ReportCurves c = ReportCurves.binary(new double[] {0, 0.1, 1}, new double[] {0, 0.8, 1},
        new double[] {0, 0.5, 1}, new double[] {1, 0.9, 0.4}, 0.88, 0.4);
    String html = HtmlReport.training(m, c);
    assertEquals(3, series(html).get("roc"));
    assertEquals(3, series(html).get("pr"));
    assertTrue(html.contains("AUC = 0.95") && html.contains("AP = 0.88"), "areas in the legends");

    ObjectNode r = model("regression", null, 2, 10, "completed 2 epochs");
    r.putObject("metrics").putObject("test").put("task", "regression").put("count", 5000)
        .put("rmse", 1.5);
    double[] actual = new double[2000];
    double[] predicted = new double[2000];
    Random rnd = new Random(1);
    for (int i = 0; i < actual.length; i++) {
      actual[i] = rnd.nextGaussian() * 10;
      predicted[i] = actual[i] + rnd.nextGaussian();
    }
    String rh = HtmlReport.training(r, ReportCurves.regression(actual, predicted, 0, 5000));
    assertTrue(rh.contains("data-plot=\"predicted_vs_actual\"")
        && rh.contains("data-plot=\"residuals\""));
    assertEquals(2, rh.split("class=\"scatter\" data-points=\"2000\"").length - 1);
    assertTrue(rh.length() < 200_000, "2000-point scatter plots stay small: " + rh.length());
    assertTrue(rh.contains("Validation RMSE"));
  }

  @Test
  void mnistSizedReportStaysUnderOneMegabyte() {
    List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    ObjectNode m = model("multiclass", digits, 8, 784, "completed 8 epochs");
    m.putObject("metrics").set("test", multiclassMetrics(digits, 10_000));
    String html = HtmlReport.training(m, ReportCurves.none());
    int bytes = html.getBytes(StandardCharsets.UTF_8).length;
    assertTrue(bytes < 100_000, "MNIST-size report (limit 1 MB) is " + bytes + " bytes");
    assertEquals(100, html.split("class=\"cell\"").length - 1, "10 x 10 heat map cells");
    assertTrue(html.contains("(772 more)"), "784 feature names are shortened");
  }

  @Test
  void evaluationReportShowsTheEvaluatedInput() {
    ObjectNode m = model("multilabel", List.of("red", "green"), 2, 3, "completed 2 epochs");
    ObjectNode e = JSON.createObjectNode();
    e.put("task", "multilabel").put("count", 50).put("subset_accuracy", 0.7);
    ObjectNode per = e.putObject("per_label");
    per.putObject("red").put("precision", 1).put("recall", 0.5).put("f1", 0.67)
        .put("accuracy", 0.8).put("support", 20);
    per.putObject("green").put("precision", 0.5).put("recall", 0.5).put("f1", 0.5)
        .put("accuracy", 0.6).put("support", 10);
    String html = HtmlReport.evaluation(m, e, "hdfs:///data/<eval>.csv", ReportCurves.none());
    assertTrue(html.contains("Evaluation of hdfs:///data/&lt;eval&gt;.csv"));
    assertTrue(html.contains("Per label") && html.contains("positives per label"));
    assertTrue(html.contains("evaluation report"));
  }
}
