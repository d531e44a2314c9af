package io.sparkmlp.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.jobs.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate --report}: the page of the evaluated data, written atomically. */
class EvaluateReportTest {
  private static final String DATA = "src/test/resources/data/breast_cancer.csv";

  @TempDir
  Path dir;

  private static int main(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    return code;
  }

  @Test
  void evaluateWritesTheReportOfTheEvaluatedRows() throws Exception {
    Path model = dir.resolve("model");
    main("train", "conf/examples/breast-cancer.conf", "--set", "train.epochs=2",
        "--set", "output.model=" + model, "--set", "spark.master=local[2]");
    assertTrue(Files.isRegularFile(model.resolve(HtmlReport.FILE_NAME)));
    Path out = dir.resolve("reports");
    Path report = out.resolve("eval.html");
    main("evaluate", "--model", model.toString(), "--input", DATA, "--report",
        report.toString(), "--master", "local[2]");
    String html = Files.readString(report, StandardCharsets.UTF_8);
    assertTrue(html.contains("spark-mlp evaluation report"));
    assertTrue(html.contains("Evaluation of " + DATA));
    assertTrue(html.contains("data-plot=\"roc\"") && html.contains("data-plot=\"pr\"")
        && html.contains("data-plot=\"confusion\""), "the evaluated data's plots");
    assertTrue(html.contains("data-series=\"train_loss\" data-points=\"2\""),
        "the model's training history");
    assertTrue(html.contains("<td>count</td><td class=\"n\">569</td>"), "all 569 rows evaluated");
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of("eval.html"), s.map(p -> p.getFileName().toString()).toList(),
          "no temporary file is left");
    }
  }
}
