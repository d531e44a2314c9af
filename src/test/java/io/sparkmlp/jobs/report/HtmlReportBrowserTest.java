package io.sparkmlp.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.jobs.Main;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a person sees it: trains the README's breast cancer example, opens the model
 * directory's {@code report.html} in headless Chromium, and checks in the screenshot that every
 * plot has drawn marks in its series' colours inside its plot area (located in the rendered DOM),
 * and in the HTML that each per-epoch line has one point per epoch. The page and its screenshot
 * are kept in {@code target/html-report-test/} for a look.
 */
class HtmlReportBrowserTest {
  private static final int WIDTH = 1200;
  private static final int HEIGHT = 4000;
  private static final Pattern SVG_TAG = Pattern.compile("<svg [^>]*>");
  private static final Pattern PLOT = Pattern.compile("data-plot=\"([a-z_]+)\"");
  private static final Pattern RECT = Pattern.compile("data-rect=\"(\\d+),(\\d+),(\\d+),(\\d+)\"");
  private static final Pattern SERIES =
      Pattern.compile("data-series=\"([a-z_]+)\" data-points=\"(\\d+)\"");
  /** Marks each plot with the page position of its plot area (or of itself). */
  private static final String LOCATE = "<script>document.querySelectorAll('svg.plot')"
      + ".forEach(function(s){var a=s.querySelector('rect.area')||s;"
      + "var r=a.getBoundingClientRect();s.setAttribute('data-rect',[r.left+scrollX,"
      + "r.top+scrollY,r.width,r.height].map(Math.round).join(','));});</script>";

  @TempDir
  Path dir;

  @Test
  void breastCancerReportDrawsItsPlots() throws Exception {
    assumeTrue(HeadlessChromium.available(), "headless browser test skipped: "
        + HeadlessChromium.BINARY + " is missing (install the Debian package chromium: "
        + "apt-get install -y chromium)");
    Path model = dir.resolve("breast-cancer");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"train", "conf/examples/breast-cancer.conf",
        "--set", "output.model=" + model, "--set", "spark.master=local[2]"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    Path report = model.resolve(HtmlReport.FILE_NAME);
    assertTrue(Files.isRegularFile(report), "train leaves " + report);
    String html = Files.readString(report, StandardCharsets.UTF_8);
    String outside = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assertFalse(outside.contains("http://") || outside.contains("https://"),
        "the report references nothing on the network");
    assertFalse(html.contains("<script"), "the report has no script");

    JsonNode modelJson = new ObjectMapper().readTree(model.resolve("model.json").toFile());
    int epochs = modelJson.path("provenance").path("history").size();
    assertTrue(epochs > 1, "history has epochs");
    Map<String, Integer> points = new HashMap<>();
    Matcher s = SERIES.matcher(html);
    while (s.find()) {
      points.put(s.group(1), Integer.parseInt(s.group(2)));
    }
    for (String series : List.of("train_loss", "validation_loss", "validation_metric",
        "learning_rate", "samples_per_second")) {
      assertEquals(epochs, points.get(series), series + ": one point per epoch");
    }
    assertTrue(points.get("roc") > 2 && points.get("roc") <= 300, "ROC points " + points);
    assertTrue(points.get("pr") > 2 && points.get("pr") <= 300, "PR points " + points);

    Path located = dir.resolve("located.html");
    Files.writeString(located, html.replace("</main>", "</main>" + LOCATE),
        StandardCharsets.UTF_8);
    HeadlessChromium browser = new HeadlessChromium(dir, WIDTH, HEIGHT);
    Map<String, int[]> rects = rects(browser.dumpDom(located));
    Path png = dir.resolve("report.png");
    browser.screenshot(report, png);
    Path keep = Path.of("target", "html-report-test");
    Files.createDirectories(keep);
    Files.copy(png, keep.resolve("report.png"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(report, keep.resolve("report.html"), StandardCopyOption.REPLACE_EXISTING);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(WIDTH, image.getWidth());

    assertEquals(List.of("loss", "metric", "learning_rate", "samples_per_second", "roc", "pr",
        "confusion"), List.copyOf(rects.keySet()), "plots in page order");
    assertDrawn(image, rects, "loss", HtmlReport.TRAIN_COLOR, HtmlReport.VALIDATION_COLOR);
    assertDrawn(image, rects, "metric", HtmlReport.METRIC_COLOR);
    assertDrawn(image, rects, "learning_rate", HtmlReport.RATE_COLOR);
    assertDrawn(image, rects, "samples_per_second", HtmlReport.SPEED_COLOR);
    assertDrawn(image, rects, "roc", HtmlReport.CURVE_COLOR);
    assertDrawn(image, rects, "pr", HtmlReport.CURVE_COLOR);
    assertDrawn(image, rects, "confusion", "#084594");
  }

  /** Plot id to {x, y, width, height} in page pixels, in page order. */
  private static Map<String, int[]> rects(String dom) {
    Map<String, int[]> out = new java.util.LinkedHashMap<>();
    Matcher tag = SVG_TAG.matcher(dom);
    while (tag.find()) {
      Matcher id = PLOT.matcher(tag.group());
      Matcher r = RECT.matcher(tag.group());
      if (id.find() && r.find()) {
        out.put(id.group(1), new int[] {Integer.parseInt(r.group(1)),
            Integer.parseInt(r.group(2)), Integer.parseInt(r.group(3)),
            Integer.parseInt(r.group(4))});
      }
    }
    return out;
  }

  /**
   * Asserts that the plot's area lies in the screenshot and holds at least 150 pixels close to
   * each of {@code colors} (a line across the area is several hundred).
   */
  private static void assertDrawn(BufferedImage image, Map<String, int[]> rects, String plot,
      String... colors) {
    int[] r = rects.get(plot);
    assertTrue(r != null, "plot " + plot + " is on the page: " + rects.keySet());
    assertTrue(r[2] > 50 && r[3] > 50 && r[0] + r[2] <= image.getWidth()
        && r[1] + r[3] <= image.getHeight(), plot + " area " + java.util.Arrays.toString(r)
        + " is inside the screenshot");
    for (String color : colors) {
      int rgb = Integer.parseInt(color.substring(1), 16);
      int n = 0;
      for (int y = r[1] + 1; y < r[1] + r[3] - 1; y++) {
        for (int x = r[0] + 1; x < r[0] + r[2] - 1; x++) {
          if (close(image.getRGB(x, y), rgb)) {
            n++;
          }
        }
      }
      assertTrue(n >= 150, plot + ": " + n + " pixels of " + color + " in its plot area");
    }
  }

  private static boolean close(int a, int b) {
    int dr = ((a >> 16) & 0xff) - ((b >> 16) & 0xff);
    int dg = ((a >> 8) & 0xff) - ((b >> 8) & 0xff);
    int db = (a & 0xff) - (b & 0xff);
    return dr * dr + dg * dg + db * db < 40 * 40;
  }
}
