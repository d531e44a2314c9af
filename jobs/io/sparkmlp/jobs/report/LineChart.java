package io.sparkmlp.jobs.report;

import java.util.ArrayList;
import java.util.List;

/**
 * An SVG line chart of one or more series over a shared x axis (epochs, or a rate for ROC and
 * precision-recall curves), with an optional vertical marker (the best epoch) and an optional
 * dashed reference line.
 *
 * <p>Each series is one {@code <polyline class="series" data-series="<key>"
 * data-points="<n>">} over its finite points, plus a dot per point when there are few points
 * (so that a one-epoch run still shows something).
 */
final class LineChart {
  /** Series with at most this many points also get a dot per point. */
  private static final int DOTS_UP_TO = 60;

  private final String id;
  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private double[] xRange;
  private double[] yRange;
  private boolean integerX;
  private boolean zeroFloor;
  private double markerX = Double.NaN;
  private String markerLabel;
  private double[] reference;

  /** One line: a constant key for tests, a label for people, a colour and its points. */
  private record Series(String key, String label, String color, double[] x, double[] y) {}

  /**
   * A chart with these (unescaped) texts.
   *
   * @param id the chart's identifier in {@code data-plot}
   */
  LineChart(String id, String title, String xLabel, String yLabel) {
    this.id = id;
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** Adds a series; points whose x or y is not finite are left out. */
  LineChart series(String key, String label, String color, double[] x, double[] y) {
    series.add(new Series(key, label, color, x, y));
    return this;
  }

  /** Integer ticks on x (epochs). */
  LineChart integerX() {
    this.integerX = true;
    return this;
  }

  /** The y axis starts at 0 when every value is non-negative. */
  LineChart zeroFloor() {
    this.zeroFloor = true;
    return this;
  }

  /** Fixed axis intervals instead of the data's. */
  LineChart ranges(double[] x, double[] y) {
    this.xRange = x;
    this.yRange = y;
    return this;
  }

  /** A labelled vertical marker at {@code x}. */
  LineChart marker(double x, String label) {
    this.markerX = x;
    this.markerLabel = label;
    return this;
  }

  /** A dashed line from (x1, y1) to (x2, y2), in data coordinates. */
  LineChart reference(double x1, double y1, double x2, double y2) {
    this.reference = new double[] {x1, y1, x2, y2};
    return this;
  }

  /** Writes the chart, {@code width} x {@code height} pixels. */
  void render(StringBuilder sb, double width, double height) {
    double[][] xs = series.stream().map(Series::x).toArray(double[][]::new);
    double[][] ys = series.stream().map(Series::y).toArray(double[][]::new);
    double[] xr = xRange != null ? xRange : bounds(xs);
    double[] yr;
    if (yRange != null) {
      yr = yRange;
    } else {
      LinearScale fit = LinearScale.fit(ys, zeroFloor, 0, 1);
      yr = new double[] {fit.lo(), fit.hi()};
    }
    PlotFrame f = new PlotFrame(id, width, height, xr, yr, integerX);
    f.open(sb, title, xLabel, yLabel);
    if (reference != null) {
      f.reference(sb, reference[0], reference[1], reference[2], reference[3]);
    }
    if (Double.isFinite(markerX)) {
      String px = Html.coord(f.x().map(markerX));
      sb.append("<line class=\"marker\" x1=\"").append(px).append("\" x2=\"").append(px)
          .append("\" y1=\"").append(Html.coord(PlotFrame.TOP)).append("\" y2=\"")
          .append(Html.coord(height - PlotFrame.BOTTOM)).append("\"/>");
      sb.append("<text class=\"marker-label\" text-anchor=\"middle\" x=\"")
          .append(px).append("\" y=\"").append(Html.coord(PlotFrame.TOP - 4)).append("\">")
          .append(Html.escape(markerLabel)).append("</text>");
    }
    List<String> labels = new ArrayList<>();
    List<String> colors = new ArrayList<>();
    for (Series s : series) {
      StringBuilder pts = new StringBuilder();
      int n = 0;
      for (int i = 0; i < Math.min(s.x().length, s.y().length); i++) {
        if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
          if (n++ > 0) {
            pts.append(' ');
          }
          pts.append(Html.coord(f.x().map(s.x()[i]))).append(',')
              .append(Html.coord(f.y().map(s.y()[i])));
        }
      }
      sb.append("<polyline class=\"series\" data-series=\"").append(Html.escape(s.key()))
          .append("\" data-points=\"").append(n).append("\" stroke=\"").append(s.color())
          .append("\" points=\"").append(pts).append("\"/>");
      if (n > 0 && n <= DOTS_UP_TO) {
        sb.append("<path class=\"dots\" stroke=\"").append(s.color()).append("\" d=\"");
        for (String p : pts.toString().split(" ")) {
          sb.append('M').append(p).append("h0");
        }
        sb.append("\"/>");
      }
      labels.add(s.label());
      colors.add(s.color());
    }
    if (series.size() > 1 || !series.get(0).label().isEmpty()) {
      f.legend(sb, labels, colors);
    }
    f.close(sb);
  }

  private static double[] bounds(double[][] xs) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] v : xs) {
      for (double d : v) {
        if (Double.isFinite(d)) {
          lo = Math.min(lo, d);
          hi = Math.max(hi, d);
        }
      }
    }
    return lo > hi ? new double[] {0, 1} : new double[] {lo, hi};
  }
}
