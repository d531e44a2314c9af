package io.sparkmlp.jobs.report;

/**
 * An SVG scatter plot: every (x, y) point as a round dot, all dots in one {@code <path
 * class="scatter" data-points="<n>">} (a dot costs about a dozen bytes), over a dashed reference
 * line (y = x for predicted against actual, y = 0 for residuals).
 */
final class ScatterPlot {
  private final String id;
  private final String title;
  private final String xLabel;
  private final String yLabel;

  /**
   * A plot with these (unescaped) texts.
   *
   * @param id the plot's identifier in {@code data-plot}
   */
  ScatterPlot(String id, String title, String xLabel, String yLabel) {
    this.id = id;
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /**
   * Writes the plot of the finite points of {@code x} and {@code y}.
   *
   * @param identity true for a y = x reference line (both axes share one interval), false for
   *                 y = 0
   * @param color    the dots' colour (a CSS colour constant)
   */
  void render(StringBuilder sb, double width, double height, double[] x, double[] y,
      boolean identity, String color) {
    LinearScale xs = LinearScale.fit(new double[][] {x}, false, 0, 1);
    LinearScale ys = identity ? LinearScale.fit(new double[][] {x, y}, false, 0, 1)
        : LinearScale.fit(new double[][] {y, {0}}, false, 0, 1);
    double[] xr = identity ? new double[] {ys.lo(), ys.hi()} : new double[] {xs.lo(), xs.hi()};
    double[] yr = {ys.lo(), ys.hi()};
    PlotFrame f = new PlotFrame(id, width, height, xr, yr, false);
    f.open(sb, title, xLabel, yLabel);
    if (identity) {
      f.reference(sb, xr[0], xr[0], xr[1], xr[1]);
    } else {
      f.reference(sb, xr[0], 0, xr[1], 0);
    }
    StringBuilder d = new StringBuilder();
    int n = 0;
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
        d.append('M').append(Html.coord(f.x().map(x[i]))).append(',')
            .append(Html.coord(f.y().map(y[i]))).append("h0");
        n++;
      }
    }
    sb.append("<path class=\"scatter\" data-points=\"").append(n).append("\" stroke=\"")
        .append(color).append("\" d=\"").append(d).append("\"/>");
    f.close(sb);
  }
}
