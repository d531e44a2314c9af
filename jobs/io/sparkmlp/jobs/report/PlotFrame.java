package io.sparkmlp.jobs.report;

import java.util.List;

/**
 * The frame every chart shares: an inline {@code <svg>} of a fixed size with a title, a plot area
 * (a white rectangle with a light grid), tick labels and axis labels. Charts add their marks
 * between {@link #open} and {@link #close}.
 *
 * <p>The {@code <svg>} carries {@code class="plot"} and {@code data-plot="<id>"}; the plot area
 * rectangle carries {@code class="area"}, so tests can find both in the DOM.
 */
final class PlotFrame {
  static final double LEFT = 64;
  static final double RIGHT = 16;
  static final double TOP = 36;
  static final double BOTTOM = 42;

  private final String id;
  private final double width;
  private final double height;
  private final LinearScale x;
  private final LinearScale y;
  private final boolean integerX;

  /**
   * A frame of {@code width} x {@code height} pixels over the data intervals of {@code xRange} and
   * {@code yRange}.
   *
   * @param id       the chart's identifier (a constant of the report, never data)
   * @param integerX whether x ticks are whole numbers (epochs)
   */
  PlotFrame(String id, double width, double height, double[] xRange, double[] yRange,
      boolean integerX) {
    this.id = id;
    this.width = width;
    this.height = height;
    this.x = new LinearScale(xRange[0], xRange[1], LEFT, width - RIGHT);
    this.y = new LinearScale(yRange[0], yRange[1], height - BOTTOM, TOP);
    this.integerX = integerX;
  }

  /** The x scale. */
  LinearScale x() {
    return x;
  }

  /** The y scale. */
  LinearScale y() {
    return y;
  }

  /** The plot area's width in pixels. */
  double areaWidth() {
    return width - LEFT - RIGHT;
  }

  /**
   * Writes the opening tag, the title, the grid, the ticks and the axis labels; the texts are
   * escaped here.
   */
  void open(StringBuilder sb, String title, String xLabel, String yLabel) {
    sb.append("<svg class=\"plot\" data-plot=\"").append(Html.escape(id))
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(Html.coord(width))
        .append("\" height=\"").append(Html.coord(height)).append("\" viewBox=\"0 0 ")
        .append(Html.coord(width)).append(' ').append(Html.coord(height)).append("\">");
    sb.append("<text class=\"title\" x=\"").append(Html.coord(LEFT)).append("\" y=\"18\">")
        .append(Html.escape(title)).append("</text>");
    double top = TOP;
    double bottom = height - BOTTOM;
    sb.append("<rect class=\"area\" x=\"").append(Html.coord(LEFT)).append("\" y=\"")
        .append(Html.coord(top)).append("\" width=\"").append(Html.coord(areaWidth()))
        .append("\" height=\"").append(Html.coord(bottom - top)).append("\"/>");
    List<Double> xt = integerX ? x.integerTicks(8) : x.ticks(6);
    for (double t : xt) {
      String px = Html.coord(x.map(t));
      sb.append("<line class=\"grid\" x1=\"").append(px).append("\" x2=\"").append(px)
          .append("\" y1=\"").append(Html.coord(top)).append("\" y2=\"")
          .append(Html.coord(bottom)).append("\"/>");
      sb.append("<text class=\"tick\" text-anchor=\"middle\" x=\"").append(px).append("\" y=\"")
          .append(Html.coord(bottom + 14)).append("\">").append(Html.num(t)).append("</text>");
    }
    for (double t : y.ticks(5)) {
      String py = Html.coord(y.map(t));
      sb.append("<line class=\"grid\" x1=\"").append(Html.coord(LEFT)).append("\" x2=\"")
          .append(Html.coord(width - RIGHT)).append("\" y1=\"").append(py).append("\" y2=\"")
          .append(py).append("\"/>");
      sb.append("<text class=\"tick\" text-anchor=\"end\" x=\"").append(Html.coord(LEFT - 5))
          .append("\" y=\"").append(Html.coord(y.map(t) + 4)).append("\">").append(Html.num(t))
          .append("</text>");
    }
    sb.append("<text class=\"axis\" text-anchor=\"middle\" x=\"")
        .append(Html.coord(LEFT + areaWidth() / 2)).append("\" y=\"")
        .append(Html.coord(height - 8)).append("\">").append(Html.escape(xLabel)).append("</text>");
    sb.append("<text class=\"axis\" text-anchor=\"middle\" transform=\"translate(14 ")
        .append(Html.coord((top + bottom) / 2)).append(") rotate(-90)\">")
        .append(Html.escape(yLabel)).append("</text>");
  }

  /**
   * A straight reference line from data point (x1, y1) to (x2, y2), dashed, drawn under the
   * marks that follow.
   */
  void reference(StringBuilder sb, double x1, double y1, double x2, double y2) {
    sb.append("<line class=\"ref\" x1=\"").append(Html.coord(x.map(x1))).append("\" y1=\"")
        .append(Html.coord(y.map(y1))).append("\" x2=\"").append(Html.coord(x.map(x2)))
        .append("\" y2=\"").append(Html.coord(y.map(y2))).append("\"/>");
  }

  /**
   * A legend in the title row, right-aligned: one line sample and escaped label per entry.
   *
   * @param labels the entries' labels
   * @param colors their colours (CSS colour constants of the report)
   */
  void legend(StringBuilder sb, List<String> labels, List<String> colors) {
    double right = width - RIGHT;
    for (int i = labels.size() - 1; i >= 0; i--) {
      sb.append("<text class=\"legend\" text-anchor=\"end\" x=\"").append(Html.coord(right))
          .append("\" y=\"18\">").append(Html.escape(labels.get(i))).append("</text>");
      right -= labels.get(i).length() * 6.6 + 6;
      sb.append("<line stroke=\"").append(colors.get(i)).append("\" stroke-width=\"3\" x1=\"")
          .append(Html.coord(right - 16)).append("\" x2=\"").append(Html.coord(right))
          .append("\" y1=\"14\" y2=\"14\"/>");
      right -= 28;
    }
  }

  /** Writes the closing tag. */
  void close(StringBuilder sb) {
    sb.append("</svg>");
  }
}
