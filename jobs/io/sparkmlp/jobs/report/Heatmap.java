package io.sparkmlp.jobs.report;

import java.util.List;

/**
 * A confusion matrix as an SVG heat map: rows are true classes, columns predicted classes, each
 * cell shaded by its share of its row (the recall of the row's class on the diagonal) and labelled
 * with its count while cells are large enough to read.
 *
 * <p>Each cell is a {@code <rect class="cell">}; class names are escaped and shortened, the full
 * name is in the cell's tooltip.
 */
final class Heatmap {
  /** Widest matrix drawn; beyond it the report lists the per-class table only. */
  static final int MAX_CLASSES = 100;

  private static final double LABEL_SPACE = 110;
  private static final double MAX_CELL = 64;
  private static final double MIN_WIDTH = 400;
  private static final double TOP = 44;

  private Heatmap() {}

  /**
   * Writes the heat map of {@code counts} (K x K) with class names {@code names}, at most
   * {@code size} pixels wide for the cells.
   */
  static void render(StringBuilder sb, long[][] counts, List<String> names, double size) {
    int k = counts.length;
    double cell = Math.min(MAX_CELL, size / k);
    double gridW = cell * k;
    boolean text = cell >= 22;
    boolean rotated = cell < 48;
    double w = Math.max(MIN_WIDTH, LABEL_SPACE + gridW + 10);
    double h = TOP + gridW + (rotated ? LABEL_SPACE : 44);
    sb.append("<svg class=\"plot\" data-plot=\"confusion\" xmlns=\"http://www.w3.org/2000/svg\" ")
        .append("width=\"").append(Html.coord(w)).append("\" height=\"").append(Html.coord(h))
        .append("\" viewBox=\"0 0 ").append(Html.coord(w)).append(' ').append(Html.coord(h))
        .append("\"><text class=\"title\" x=\"8\" y=\"18\">Confusion matrix</text>")
        .append("<text class=\"axis\" x=\"8\" y=\"34\">rows: true class, columns: predicted; ")
        .append("shade: share of the row</text>");
    double top = TOP;
    for (int a = 0; a < k; a++) {
      long rowSum = 0;
      for (long v : counts[a]) {
        rowSum += v;
      }
      double y = top + a * cell;
      for (int b = 0; b < k; b++) {
        double share = rowSum == 0 ? 0 : (double) counts[a][b] / rowSum;
        double x = LABEL_SPACE + b * cell;
        sb.append("<rect class=\"cell\" x=\"").append(Html.coord(x)).append("\" y=\"")
            .append(Html.coord(y)).append("\" width=\"").append(Html.coord(cell))
            .append("\" height=\"").append(Html.coord(cell)).append("\" fill=\"")
            .append(shade(share)).append("\"><title>")
            .append(Html.escape(name(names, a))).append(" \u2192 ")
            .append(Html.escape(name(names, b))).append(": ").append(counts[a][b])
            .append("</title></rect>");
        if (text) {
          sb.append("<text class=\"count\" text-anchor=\"middle\" x=\"")
              .append(Html.coord(x + cell / 2)).append("\" y=\"")
              .append(Html.coord(y + cell / 2 + 4))
              .append("\" fill=\"").append(share > 0.5 ? "#fff" : "#222").append("\">")
              .append(counts[a][b]).append("</text>");
        }
      }
      if (text || k <= 40) {
        sb.append("<text class=\"tick\" text-anchor=\"end\" x=\"")
            .append(Html.coord(LABEL_SPACE - 6))
            .append("\" y=\"").append(Html.coord(y + cell / 2 + 4)).append("\">")
            .append(Html.escapeShort(name(names, a), 16)).append("</text>");
        double cx = LABEL_SPACE + a * cell + cell / 2;
        double cy = top + gridW + 14;
        if (rotated) {
          sb.append("<text class=\"tick\" text-anchor=\"end\" transform=\"translate(")
              .append(Html.coord(cx + 4)).append(' ').append(Html.coord(cy - 6))
              .append(") rotate(-60)\">");
        } else {
          sb.append("<text class=\"tick\" text-anchor=\"middle\" x=\"").append(Html.coord(cx))
              .append("\" y=\"").append(Html.coord(cy)).append("\">");
        }
        sb.append(Html.escapeShort(name(names, a), rotated ? 16 : (int) (cell / 6.5)))
            .append("</text>");
      }
    }
    sb.append("<text class=\"axis\" text-anchor=\"middle\" x=\"")
        .append(Html.coord(LABEL_SPACE + gridW / 2)).append("\" y=\"").append(Html.coord(h - 6))
        .append("\">predicted</text>");
    sb.append("</svg>");
  }

  private static String name(List<String> names, int i) {
    return names != null && i < names.size() ? names.get(i) : Integer.toString(i);
  }

  /** White to dark blue. */
  private static String shade(double share) {
    int r = (int) Math.round(247 - share * (247 - 8));
    int g = (int) Math.round(251 - share * (251 - 69));
    int b = (int) Math.round(255 - share * (255 - 148));
    return String.format("#%02x%02x%02x", r, g, b);
  }
}
