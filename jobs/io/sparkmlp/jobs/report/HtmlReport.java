package io.sparkmlp.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTML report of a model: one self-contained page (inline SVG and CSS, no script, nothing
 * fetched) built from the content of {@code model.json} plus the evaluation's curves.
 *
 * <p>Sections: a summary; per-epoch charts of the training and validation loss (best epoch marked
 * when early stopping restored it), the validation metric, the learning rate and the throughput;
 * the final metrics with the task's plots (confusion matrix heat map, ROC and precision-recall
 * curves, predicted-against-actual and residual plots, per-class or per-label tables); the data
 * (rows per split, features, class balance); the network, optimizer, schedule and the rest of the
 * configuration; the provenance. Every string that comes from data or configuration is escaped.
 *
 * <p>The generator is pure: same input, same page. Its size grows with the number of epochs,
 * classes and curve points, not with the rows (a 10-class, 8-epoch model's page is a few tens of
 * kilobytes).
 */
public final class HtmlReport {
  /** The report's file name inside a model directory. */
  public static final String FILE_NAME = "report.html";

  static final String TRAIN_COLOR = "#1f77b4";
  static final String VALIDATION_COLOR = "#d62728";
  static final String METRIC_COLOR = "#2ca02c";
  static final String RATE_COLOR = "#9467bd";
  static final String SPEED_COLOR = "#ff7f0e";
  static final String CURVE_COLOR = "#1f77b4";
  static final String SCATTER_COLOR = "#1f77b4";

  private static final double CHART_W = 540;
  private static final double CHART_H = 280;
  private static final int MAX_TABLE_ROWS = 200;
  private static final int FEATURE_NAMES_SHOWN = 12;
  private static final Pattern RESTORED = Pattern.compile("restored the weights of epoch (\\d+)");

  private static final String CSS = String.join("\n",
      "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;"
          + "background:#f4f5f7;margin:0}",
      "main{max-width:1140px;margin:0 auto;padding:16px 20px 40px}",
      "h1{font-size:22px;margin:4px 0}h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid "
          + "#d8dbe0;padding-bottom:4px}h3{font-size:14px;margin:14px 0 6px}",
      ".sub{color:#555;margin:2px 0}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}",
      ".card{background:#fff;border:1px solid #d8dbe0;border-radius:6px;padding:8px 14px;"
          + "min-width:120px}.card b{display:block;font-size:18px}.card span{color:#666;"
          + "font-size:12px}",
      ".grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:12px}",
      ".panel{background:#fff;border:1px solid #d8dbe0;border-radius:6px;padding:6px;"
          + "overflow-x:auto}",
      ".note{color:#666;font-style:italic}",
      ".row{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}",
      "table{border-collapse:collapse;background:#fff;margin:4px 0}td,th{border:1px solid "
          + "#d8dbe0;padding:3px 8px;text-align:left;vertical-align:top}th{background:#eef0f3}",
      "td.n{text-align:right;font-variant-numeric:tabular-nums}",
      ".bar{display:inline-block;height:10px;background:#1f77b4;vertical-align:middle}",
      "details{margin:6px 0}summary{cursor:pointer;color:#1f4e8c}",
      "svg.plot{display:block;font:11px system-ui,sans-serif}",
      "svg .title{font-size:13px;font-weight:600;fill:#222}svg .tick{fill:#555}",
      "svg .axis{fill:#333}svg .legend{fill:#333}svg .area{fill:#fff;stroke:#bbb}",
      "svg .grid{stroke:#ececec}svg .series{fill:none;stroke-width:2;stroke-linejoin:round}",
      "svg .dots{stroke-width:6;stroke-linecap:round;fill:none}",
      "svg .scatter{stroke-width:4;stroke-linecap:round;fill:none;stroke-opacity:.55}",
      "svg .ref{stroke:#999;stroke-dasharray:4 3}svg .marker{stroke:#444;stroke-dasharray:5 4}",
      "svg .marker-label{fill:#444}svg .cell{stroke:#fff}svg .count{font-size:12px}");

  private HtmlReport() {}

  /**
   * The report written next to a trained model: history from the provenance, final metrics from
   * {@code metrics.test} when the job had a test split.
   *
   * @param modelJson the content of {@code model.json}
   * @param curves    curves of the test split ({@link ReportCurves#none()} without one)
   * @return the page
   */
  public static String training(JsonNode modelJson, ReportCurves curves) {
    JsonNode test = modelJson.path("metrics").path("test");
    return render(modelJson, test, "Test metrics", "the test split", "training report", curves);
  }

  /**
   * The report of an evaluation: the model's training history and configuration with the metrics
   * and curves of the evaluated data.
   *
   * @param modelJson the content of the evaluated model's {@code model.json}
   * @param metrics   the evaluation's metrics (the JSON {@code evaluate} prints)
   * @param input     the evaluated input, as given
   * @param curves    curves of the evaluated data
   * @return the page
   */
  public static String evaluation(JsonNode modelJson, JsonNode metrics, String input,
      ReportCurves curves) {
    return render(modelJson, metrics, "Evaluation of " + input, "the evaluated rows",
        "evaluation report", curves);
  }

  private static String render(JsonNode model, JsonNode results, String resultsTitle,
      String resultsRows, String kind, ReportCurves curves) {
    JsonNode spec = model.path("spec");
    JsonNode prov = model.path("provenance");
    JsonNode config = model.path("config");
    String task = spec.path("task").asText("").toLowerCase(Locale.ROOT);
    String name = config.path("output").path("model").asText("");
    StringBuilder sb = new StringBuilder(64 * 1024);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<title>spark-mlp ").append(kind).append(name.isEmpty() ? "" : ": ")
        .append(Html.escape(name)).append("</title><style>").append(CSS)
        .append("</style></head><body><main>\n");
    sb.append("<h1>spark-mlp ").append(kind).append(name.isEmpty() ? "" : ": ")
        .append(Html.escape(name)).append("</h1>");
    sb.append("<p class=\"sub\">").append(Html.escape(task)).append(" \u00b7 ")
        .append(Html.escape(describe(spec))).append("</p>");
    if (prov.hasNonNull("stop_reason")) {
      sb.append("<p class=\"sub\">").append(Html.escape(prov.path("stop_reason").asText()))
          .append(prov.hasNonNull("finished") ? " \u00b7 finished "
              + Html.escape(prov.path("finished").asText()) : "").append("</p>");
    }
    List<JsonNode> history = new ArrayList<>();
    prov.path("history").forEach(history::add);
    cards(sb, history, results, task, prov);
    sb.append('\n');
    training(sb, history, task, bestEpoch(prov));
    sb.append('\n');
    results(sb, results, resultsTitle, task, curves);
    sb.append('\n');
    data(sb, model, results, resultsRows, task);
    sb.append('\n');
    network(sb, spec, config);
    sb.append('\n');
    provenance(sb, prov);
    sb.append("\n</main></body></html>\n");
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // header

  /** "30 → 32 relu → 16 relu → 1 sigmoid (binary cross-entropy)" from the spec JSON. */
  static String describe(JsonNode spec) {
    StringBuilder s = new StringBuilder().append(spec.path("input_width").asText("?"));
    for (JsonNode h : spec.path("hidden")) {
      s.append(" \u2192 ").append(h.path("width").asText("?")).append(' ')
          .append(h.path("activation").asText(""));
    }
    s.append(" \u2192 ").append(spec.path("output_width").asText("?")).append(' ')
        .append(spec.path("output_activation").asText(""));
    if (spec.hasNonNull("loss")) {
      s.append(" (").append(spec.path("loss").asText()).append(" loss)");
    }
    return s.toString();
  }

  /** The number of weights and biases of the spec. */
  static long parameters(JsonNode spec) {
    long total = 0;
    long in = spec.path("input_width").asLong();
    for (JsonNode h : spec.path("hidden")) {
      long out = h.path("width").asLong();
      total += (in + 1) * out;
      in = out;
    }
    return total + (in + 1) * spec.path("output_width").asLong();
  }

  private static void cards(StringBuilder sb, List<JsonNode> history, JsonNode results,
      String task, JsonNode prov) {
    sb.append("<div class=\"cards\">");
    card(sb, Integer.toString(history.size()), "epochs");
    if (!history.isEmpty()) {
      JsonNode last = history.get(history.size() - 1);
      // the losses of the epoch whose weights were saved (the best one when restored)
      JsonNode saved = last;
      int savedEpoch = prov.path("weights.epoch").asInt(-1);
      for (JsonNode h : history) {
        if (h.path("epoch").asInt() == savedEpoch) {
          saved = h;
        }
      }
      String which = " (epoch " + saved.path("epoch").asInt() + ", saved)";
      card(sb, Html.num(saved.path("train_loss").asDouble(Double.NaN)), "training loss" + which);
      if (saved.has("validation_loss")) {
        card(sb, Html.num(saved.path("validation_loss").asDouble(Double.NaN)),
            "validation loss" + which);
      }
      card(sb, Html.num(last.path("elapsed_seconds").asDouble(Double.NaN)) + " s",
          "training time");
    }
    for (String key : headlineKeys(task)) {
      if (results.path(key).isNumber()) {
        card(sb, Html.num(results.path(key).asDouble()), key.replace('_', ' '));
      }
    }
    if (prov.path("rows").path("train").isNumber()) {
      card(sb, Html.num(prov.path("rows").path("train").asDouble()), "training rows");
    }
    sb.append("</div>");
  }

  private static List<String> headlineKeys(String task) {
    return switch (task) {
      case "binary" -> List.of("accuracy", "roc_auc", "f1");
      case "multiclass" -> List.of("accuracy", "macro_f1");
      case "multilabel" -> List.of("subset_accuracy", "macro_f1", "hamming_loss");
      case "regression" -> List.of("rmse", "mae", "r2");
      case "autoencoder" -> List.of("reconstruction_mse");
      default -> List.of();
    };
  }

  private static void card(StringBuilder sb, String value, String label) {
    sb.append("<div class=\"card\"><b>").append(value).append("</b><span>")
        .append(Html.escape(label)).append("</span></div>");
  }

  // ---------------------------------------------------------------------------------------------
  // training history

  /** The epoch whose weights early stopping restored, or -1. */
  static int bestEpoch(JsonNode prov) {
    if (prov.path("best_epoch").canConvertToInt() && prov.path("best_epoch").isNumber()) {
      return prov.path("best_epoch").intValue();
    }
    Matcher m = RESTORED.matcher(prov.path("stop_reason").asText(""));
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static void training(StringBuilder sb, List<JsonNode> history, String task,
      int best) {
    sb.append("<h2>Training</h2>");
    if (history.isEmpty()) {
      sb.append("<p class=\"note\">model.json has no per-epoch history.</p>");
      return;
    }
    double[] epoch = column(history, "epoch");
    double[] train = column(history, "train_loss");
    double[] val = column(history, "validation_loss");
    double[] metric = column(history, "validation_metric");
    boolean hasVal = finite(val);
    String metricName = "regression".equals(task) || "autoencoder".equals(task) ? "RMSE"
        : "accuracy";
    sb.append("<div class=\"grid\">");
    LineChart loss = new LineChart("loss", "Loss per epoch", "epoch", "loss").integerX()
        .series("train_loss", "training", TRAIN_COLOR, epoch, train);
    if (hasVal) {
      loss.series("validation_loss", "validation", VALIDATION_COLOR, epoch, val);
    }
    if (best > 0) {
      loss.marker(best, "best epoch " + best);
    }
    panel(sb, loss);
    if (finite(metric)) {
      LineChart m = new LineChart("metric", "Validation " + metricName + " per epoch", "epoch",
          metricName).integerX().series("validation_metric", "", METRIC_COLOR, epoch, metric);
      if (best > 0) {
        m.marker(best, "best epoch " + best);
      }
      panel(sb, m);
    } else {
      sb.append("<div class=\"panel\"><p class=\"note\">No validation data: no validation ")
          .append(metricName).append(" per epoch.</p></div>");
    }
    panel(sb, new LineChart("learning_rate", "Learning rate per epoch (last step)", "epoch",
        "learning rate").integerX().zeroFloor()
        .series("learning_rate", "", RATE_COLOR, epoch, column(history, "learning_rate")));
    panel(sb, new LineChart("samples_per_second", "Training throughput per epoch", "epoch",
        "samples/s").integerX().zeroFloor()
        .series("samples_per_second", "", SPEED_COLOR, epoch,
            column(history, "samples_per_second")));
    sb.append("</div>");
    sb.append("<details><summary>History table</summary><table><tr><th>epoch</th><th>steps</th>")
        .append("<th>training loss</th><th>validation loss</th><th>validation ")
        .append(metricName).append("</th><th>learning rate</th><th>samples/s</th>")
        .append("<th>elapsed s</th></tr>");
    for (JsonNode h : history) {
      sb.append("<tr>");
      for (String k : List.of("epoch", "steps", "train_loss", "validation_loss",
          "validation_metric", "learning_rate", "samples_per_second", "elapsed_seconds")) {
        sb.append("<td class=\"n\">").append(Html.num(h.path(k).asDouble(Double.NaN)))
            .append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</table></details>");
  }

  private static void panel(StringBuilder sb, LineChart chart) {
    sb.append("<div class=\"panel\">");
    chart.render(sb, CHART_W, CHART_H);
    sb.append("</div>");
  }

  private static double[] column(List<JsonNode> rows, String key) {
    double[] out = new double[rows.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = rows.get(i).path(key);
      out[i] = v.isNumber() ? v.asDouble() : Double.NaN;
    }
    return out;
  }

  private static boolean finite(double[] v) {
    for (double d : v) {
      if (Double.isFinite(d)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // final metrics

  private static void results(StringBuilder sb, JsonNode results, String title, String task,
      ReportCurves curves) {
    sb.append("<h2>").append(Html.escape(title)).append("</h2>");
    if (results == null || results.isMissingNode() || !results.isObject()) {
      sb.append("<p class=\"note\">No test data: set data.test or data.test-fraction for final ")
          .append("metrics, or run evaluate --report.</p>");
      return;
    }
    switch (task) {
      case "binary" -> binaryCurves(sb, results, curves);
      case "regression" -> regressionPlots(sb, curves);
      default -> { }
    }
    sb.append("<div class=\"grid\"><div><table><tr><th>metric</th><th>value</th></tr>");
    for (Iterator<Map.Entry<String, JsonNode>> it = results.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isNumber() || v.isTextual() || v.isNull()) {
        sb.append("<tr><td>").append(Html.escape(e.getKey().replace('_', ' ')))
            .append("</td><td class=\"n\">")
            .append(v.isNumber() ? Html.num(v.asDouble()) : v.isNull() ? "\u2013"
                : Html.escape(v.asText()))
            .append("</td></tr>");
      }
    }
    sb.append("</table></div><div>");
    switch (task) {
      case "binary", "multiclass" -> {
        confusion(sb, results);
        perClass(sb, results.path("per_class"), "Per class");
      }
      case "multilabel" -> perClass(sb, results.path("per_label"), "Per label");
      case "regression" -> perTarget(sb, results.path("per_target"));
      default -> { }
    }
    sb.append("</div></div>");
  }

  private static void binaryCurves(StringBuilder sb, JsonNode results, ReportCurves c) {
    if (!c.hasRoc()) {
      return;
    }
    double auc = results.path("roc_auc").isNumber() ? results.path("roc_auc").asDouble()
        : Double.NaN;
    sb.append("<div class=\"grid\">");
    double[] unit = {-0.02, 1.02};
    LineChart roc = new LineChart("roc", "ROC curve", "false positive rate",
        "true positive rate").ranges(unit, unit).reference(0, 0, 1, 1)
        .series("roc", "AUC = " + Html.num(auc), CURVE_COLOR, c.rocFpr(), c.rocTpr());
    panel(sb, roc);
    LineChart pr = new LineChart("pr", "Precision-recall curve", "recall", "precision")
        .ranges(unit, unit)
        .series("pr", "AP = " + Html.num(c.averagePrecision()), CURVE_COLOR, c.prRecall(),
            c.prPrecision());
    if (Double.isFinite(c.positiveShare())) {
      pr.reference(0, c.positiveShare(), 1, c.positiveShare());
    }
    panel(sb, pr);
    sb.append("</div>");
  }

  private static void confusion(StringBuilder sb, JsonNode results) {
    JsonNode m = results.path("confusion_matrix");
    if (!m.isArray() || m.size() == 0) {
      return;
    }
    int k = m.size();
    if (k > Heatmap.MAX_CLASSES) {
      sb.append("<p class=\"note\">").append(k).append(" classes: the confusion matrix is too ")
          .append("large to draw; see the per-class table.</p>");
      return;
    }
    long[][] counts = new long[k][k];
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        counts[a][b] = m.path(a).path(b).asLong();
      }
    }
    List<String> names = new ArrayList<>();
    results.path("classes").forEach(n -> names.add(n.asText()));
    sb.append("<div class=\"panel\" style=\"display:inline-block\">");
    Heatmap.render(sb, counts, names, Math.min(420, Math.max(128, 64.0 * k)));
    sb.append("</div>");
  }

  private static void perClass(StringBuilder sb, JsonNode per, String title) {
    if (!per.isObject() || per.size() == 0) {
      return;
    }
    sb.append("<h3>").append(title).append("</h3><table><tr><th>name</th>");
    List<String> cols = new ArrayList<>();
    per.elements().next().fieldNames().forEachRemaining(cols::add);
    for (String c : cols) {
      sb.append("<th>").append(Html.escape(c)).append("</th>");
    }
    sb.append("<th>F1</th></tr>");
    int shown = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = per.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (shown++ == MAX_TABLE_ROWS) {
        sb.append("<tr><td colspan=\"").append(cols.size() + 2).append("\">\u2026 ")
            .append(per.size() - MAX_TABLE_ROWS).append(" more</td></tr>");
        break;
      }
      sb.append("<tr><td>").append(Html.escape(e.getKey())).append("</td>");
      for (String c : cols) {
        sb.append("<td class=\"n\">").append(Html.num(e.getValue().path(c).asDouble(Double.NaN)))
            .append("</td>");
      }
      sb.append("<td>").append(bar(e.getValue().path("f1").asDouble(0), 1)).append("</td></tr>");
    }
    sb.append("</table>");
  }

  private static void perTarget(StringBuilder sb, JsonNode per) {
    if (!per.isArray() || per.size() < 2) {
      return;
    }
    sb.append("<h3>Per target</h3><table><tr><th>target</th><th>rmse</th><th>mae</th>")
        .append("<th>r2</th></tr>");
    for (int i = 0; i < Math.min(per.size(), MAX_TABLE_ROWS); i++) {
      JsonNode t = per.get(i);
      sb.append("<tr><td class=\"n\">").append(i).append("</td>");
      for (String k : List.of("rmse", "mae", "r2")) {
        sb.append("<td class=\"n\">").append(Html.num(t.path(k).asDouble(Double.NaN)))
            .append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</table>");
  }

  private static void regressionPlots(StringBuilder sb, ReportCurves c) {
    if (!c.hasRegressionSample()) {
      return;
    }
    int n = c.actual().length;
    double[] residual = new double[n];
    for (int i = 0; i < n; i++) {
      residual[i] = c.actual()[i] - c.predicted()[i];
    }
    String what = "target " + c.target() + ", " + Html.num(n) + " of "
        + Html.num(c.sampledFrom()) + " rows";
    sb.append("<div class=\"grid\"><div class=\"panel\">");
    new ScatterPlot("predicted_vs_actual", "Predicted vs actual (" + what + ")", "actual",
        "predicted").render(sb, CHART_W, CHART_H + 60, c.actual(), c.predicted(), true,
        SCATTER_COLOR);
    sb.append("</div><div class=\"panel\">");
    new ScatterPlot("residuals", "Residuals (actual \u2212 predicted)", "predicted", "residual")
        .render(sb, CHART_W, CHART_H + 60, c.predicted(), residual, false, SCATTER_COLOR);
    sb.append("</div></div>");
  }

  private static String bar(double value, double max) {
    double w = max > 0 && Double.isFinite(value) ? Math.max(0, Math.min(1, value / max)) : 0;
    return "<span class=\"bar\" style=\"width:" + Html.coord(120 * w) + "px\"></span>";
  }

  // ---------------------------------------------------------------------------------------------
  // data

  private static void data(StringBuilder sb, JsonNode model, JsonNode results,
      String resultsRows, String task) {
    JsonNode prov = model.path("provenance");
    JsonNode cfgData = model.path("config").path("data");
    sb.append("<h2>Data</h2><div class=\"grid\"><div>");
    JsonNode rows = prov.path("rows");
    sb.append("<table><tr><th>split</th><th>rows</th><th>input</th></tr>");
    for (String split : List.of("train", "validation", "test")) {
      if (rows.has(split) || prov.path("inputs").has(split)) {
        String input = prov.path("inputs").path(split).asText("");
        if (input.isEmpty() && !"train".equals(split) && rows.path(split).asLong() > 0) {
          double f = cfgData.path(split + "-fraction").asDouble(Double.NaN);
          input = Double.isFinite(f) ? "random " + Html.num(100 * f) + "% of train" : "";
        }
        sb.append("<tr><td>").append(split).append("</td><td class=\"n\">")
            .append(Html.num(rows.path(split).asDouble(Double.NaN))).append("</td><td>")
            .append(Html.escape(input)).append("</td></tr>");
      }
    }
    if (rows.path("dropped").asLong() > 0) {
      sb.append("<tr><td>dropped (NaN or infinite)</td><td class=\"n\">")
          .append(Html.num(rows.path("dropped").asDouble())).append("</td><td></td></tr>");
    }
    sb.append("</table>");
    sb.append("<table><tr><th colspan=\"2\">features</th></tr>");
    row(sb, "inputs", Html.num(model.path("spec").path("input_width").asDouble(Double.NaN))
        + " numeric");
    JsonNode names = model.path("feature_names");
    if (names.isArray() && names.size() > 0) {
      StringBuilder n = new StringBuilder();
      for (int i = 0; i < Math.min(names.size(), FEATURE_NAMES_SHOWN); i++) {
        n.append(i > 0 ? ", " : "").append(Html.escape(names.get(i).asText()));
      }
      if (names.size() > FEATURE_NAMES_SHOWN) {
        n.append(", \u2026 (").append(names.size() - FEATURE_NAMES_SHOWN).append(" more)");
      }
      row(sb, "names", n.toString());
    }
    row(sb, "standardization", model.path("feature_mean").isArray()
        ? "mean and standard deviation of the training split" : "none");
    if (cfgData.has("invalid-rows")) {
      row(sb, "NaN or infinite values", "data.invalid-rows = "
          + Html.escape(cfgData.path("invalid-rows").asText()));
    }
    JsonNode format = cfgData.path("train").path("format");
    if (format.isTextual()) {
      row(sb, "format", Html.escape(format.asText()));
    }
    sb.append("</table></div><div>");
    balance(sb, results, resultsRows, task, model.path("class_names"));
    sb.append("</div></div>");
  }

  private static void balance(StringBuilder sb, JsonNode results, String resultsRows,
      String task, JsonNode classNames) {
    JsonNode per = "multilabel".equals(task) ? results.path("per_label")
        : results.path("per_class");
    if (!per.isObject() || per.size() == 0) {
      if (classNames.isArray() && classNames.size() > 0) {
        sb.append("<table><tr><th>classes</th></tr>");
        int i = 0;
        for (JsonNode c : classNames) {
          if (i++ == MAX_TABLE_ROWS) {
            break;
          }
          sb.append("<tr><td>").append(Html.escape(c.asText())).append("</td></tr>");
        }
        sb.append("</table>");
      }
      return;
    }
    long total = results.path("count").asLong(0);
    long max = 1;
    for (JsonNode v : per) {
      max = Math.max(max, v.path("support").asLong());
    }
    sb.append("<table><tr><th colspan=\"3\">")
        .append("multilabel".equals(task) ? "positives per label" : "class balance")
        .append(" (").append(Html.escape(resultsRows)).append(")</th></tr>");
    int shown = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = per.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (shown++ == MAX_TABLE_ROWS) {
        break;
      }
      long s = e.getValue().path("support").asLong();
      sb.append("<tr><td>").append(Html.escape(e.getKey())).append("</td><td class=\"n\">")
          .append(Html.num(s)).append(total > 0 ? " (" + Html.num(100.0 * s / total) + "%)" : "")
          .append("</td><td>").append(bar(s, max)).append("</td></tr>");
    }
    sb.append("</table>");
  }

  // ---------------------------------------------------------------------------------------------
  // network, configuration, provenance

  private static void network(StringBuilder sb, JsonNode spec, JsonNode config) {
    sb.append("<h2>Network and training configuration</h2><div class=\"row\">");
    sb.append("<table><tr><th>layer</th><th>width</th><th>activation</th></tr>");
    sb.append("<tr><td>input</td><td class=\"n\">")
        .append(Html.num(spec.path("input_width").asDouble(Double.NaN)))
        .append("</td><td></td></tr>");
    int i = 1;
    for (JsonNode h : spec.path("hidden")) {
      sb.append("<tr><td>hidden ").append(i++).append("</td><td class=\"n\">")
          .append(Html.num(h.path("width").asDouble(Double.NaN))).append("</td><td>")
          .append(Html.escape(h.path("activation").asText())).append("</td></tr>");
    }
    sb.append("<tr><td>output</td><td class=\"n\">")
        .append(Html.num(spec.path("output_width").asDouble(Double.NaN))).append("</td><td>")
        .append(Html.escape(spec.path("output_activation").asText())).append("</td></tr>");
    sb.append("</table><table><tr><th colspan=\"2\">training</th></tr>");
    row(sb, "loss", Html.escape(spec.path("loss").asText()));
    row(sb, "parameters", Html.num(parameters(spec)));
    JsonNode train = config.path("train");
    for (String k : List.of("epochs", "batch-size", "seed")) {
      if (train.has(k)) {
        row(sb, "train." + k, value(train.path(k)));
      }
    }
    sb.append("</table>");
    for (String section : List.of("optimizer", "schedule", "early-stopping")) {
      if (train.path(section).isObject()) {
        sb.append("<table><tr><th colspan=\"2\">train.").append(section).append("</th></tr>");
        flatten(sb, "", train.path(section));
        sb.append("</table>");
      }
    }
    sb.append("</div>");
    if (config.isObject()) {
      sb.append("<details><summary>Full configuration</summary><table>");
      flatten(sb, "", config);
      sb.append("</table></details>");
    }
  }

  private static void provenance(StringBuilder sb, JsonNode prov) {
    sb.append("<h2>Provenance</h2><table>");
    for (Iterator<Map.Entry<String, JsonNode>> it = prov.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!"history".equals(e.getKey())) {
        if (e.getValue().isObject()) {
          flatten(sb, e.getKey() + ".", e.getValue());
        } else {
          row(sb, Html.escape(e.getKey()), value(e.getValue()));
        }
      }
    }
    sb.append("</table>");
  }

  /** Rows "prefix.key | value" for every leaf of {@code node}. */
  private static void flatten(StringBuilder sb, String prefix, JsonNode node) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isObject() && e.getValue().size() > 0) {
        flatten(sb, prefix + e.getKey() + ".", e.getValue());
      } else {
        row(sb, Html.escape(prefix + e.getKey()), value(e.getValue()));
      }
    }
  }

  /** A JSON value for a table cell, escaped; long arrays are shortened. */
  private static String value(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return "\u2013";
    }
    if (v.isNumber()) {
      return Html.num(v.asDouble());
    }
    if (v.isTextual()) {
      return Html.escape(v.asText());
    }
    return Html.escapeShort(v.toString(), 300);
  }

  /** A two-column row; both cells are already escaped. */
  private static void row(StringBuilder sb, String key, String escapedValue) {
    sb.append("<tr><td>").append(key).append("</td><td>").append(escapedValue)
        .append("</td></tr>");
  }
}
