package dev.offramp.exporter.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one SVG chart writer of the project (the build's plots, the benchmarks' charts): scatter
 * charts of named series, optionally joined, with a legend, a hover title per point and an optional
 * dashed reference line; and bar charts. Hand-written (no plotting library): small, diffable,
 * viewable in any browser. Stateless.
 */
public final class SvgChart {
  private static final String[] COLORS = {
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"
  };
  private static final int W = 620;
  private static final int H = 400;
  private static final int L = 70;
  private static final int R = 170;
  private static final int T = 40;
  private static final int B = 50;

  private SvgChart() {}

  /** One point with its hover text. */
  public record Point(double x, double y, String label) {}

  /**
   * A named series; {@code joined} draws a polyline through the points in x order; {@code color}
   * indexes the palette ({@code -1}: the series' position).
   */
  public record Series(String name, List<Point> points, boolean joined, int color) {
    public Series {
      points = List.copyOf(points);
    }

    /** A series coloured by its position. */
    public Series(String name, List<Point> points, boolean joined) {
      this(name, points, joined, -1);
    }
  }

  /** A horizontal reference line at {@code y}. */
  public record Reference(String label, double y) {}

  /** A scatter chart as an SVG document. */
  public static String scatter(
      String title,
      String xLabel,
      String yLabel,
      List<Series> series,
      Optional<Reference> reference) {
    double x0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (Point p : s.points()) {
        x0 = Math.min(x0, p.x());
        x1 = Math.max(x1, p.x());
        y0 = Math.min(y0, p.y());
        y1 = Math.max(y1, p.y());
      }
    }
    if (reference.isPresent()) {
      y0 = Math.min(y0, reference.get().y());
      y1 = Math.max(y1, reference.get().y());
    }
    if (!(x0 <= x1)) {
      x0 = 0;
      x1 = 1;
      y0 = 0;
      y1 = 1;
    }
    double[] xr = pad(x0, x1);
    double[] yr = pad(y0, y1);
    StringBuilder sb = header(title, xLabel, yLabel);
    axes(sb, xr, yr);
    if (reference.isPresent()) {
      double ry = y(reference.get().y(), yr);
      sb.append(
          f(
              "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#888' stroke-dasharray='4 3'/>"
                  + "<text x='%d' y='%.1f' font-size='11' fill='#555'>%s</text>%n",
              L, ry, W - R, ry, L + 4, ry - 4, esc(reference.get().label())));
    }
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      String color = COLORS[(s.color() >= 0 ? s.color() : i) % COLORS.length];
      if (s.joined() && s.points().size() > 1) {
        StringBuilder pts = new StringBuilder();
        s.points().stream()
            .sorted(java.util.Comparator.comparingDouble(Point::x))
            .forEach(p -> pts.append(f("%.1f,%.1f ", x(p.x(), xr), y(p.y(), yr))));
        sb.append(
            f(
                "<polyline points='%s' fill='none' stroke='%s' stroke-width='1.5'/>%n",
                pts.toString().trim(), color));
      }
      for (Point p : s.points()) {
        sb.append(
            f(
                "<circle cx='%.1f' cy='%.1f' r='3.5' fill='%s' fill-opacity='0.8'><title>%s</title>"
                    + "</circle>%n",
                x(p.x(), xr), y(p.y(), yr), color, esc(s.name() + " " + p.label())));
      }
      sb.append(
          f(
              "<rect x='%d' y='%d' width='12' height='12' fill='%s'/>"
                  + "<text x='%d' y='%d' font-size='12'>%s</text>%n",
              W - R + 10, T + 20 + 18 * i, color, W - R + 28, T + 31 + 18 * i, esc(s.name())));
    }
    return sb.append("</svg>\n").toString();
  }

  /**
   * A bar chart: one bar per label, its value written above it, on a y axis from 0 to {@code yMax}.
   */
  public static String bars(
      String title,
      String xLabel,
      String yLabel,
      List<String> labels,
      double[] values,
      double yMax) {
    if (labels.size() != values.length || values.length == 0) {
      throw new IllegalArgumentException(
          "bar chart: expected one label per value (at least one), found "
              + labels.size()
              + " labels for "
              + values.length
              + " values");
    }
    double[] yr = {0, yMax};
    StringBuilder sb = header(title, xLabel, yLabel);
    axes(sb, null, yr);
    double bw = (W - L - R) / (double) values.length;
    for (int s = 0; s < values.length; s++) {
      double x0 = L + s * bw + bw * 0.15;
      double y0 = y(values[s], yr);
      sb.append(
          f(
              "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'/>"
                  + "<text x='%.1f' y='%.1f' font-size='11' text-anchor='middle'>%.3f</text>"
                  + "<text x='%.1f' y='%d' font-size='11' text-anchor='middle'>%s</text>%n",
              x0,
              y0,
              bw * 0.7,
              H - B - y0,
              COLORS[0],
              x0 + bw * 0.35,
              y0 - 4,
              values[s],
              x0 + bw * 0.35,
              H - B + 16,
              esc(labels.get(s))));
    }
    return sb.append("</svg>\n").toString();
  }

  private static StringBuilder header(String title, String xLabel, String yLabel) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        f(
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d'"
                + " font-family='sans-serif'>%n<rect width='100%%' height='100%%' fill='white'/>%n"
                + "<text x='%d' y='22' font-size='15'>%s</text>%n"
                + "<text x='%d' y='%d' font-size='12' text-anchor='middle'>%s</text>%n"
                + "<text x='16' y='%d' font-size='12' text-anchor='middle'"
                + " transform='rotate(-90 16 %d)'>%s</text>%n",
            W,
            H,
            L,
            esc(title),
            (L + W - R) / 2,
            H - 10,
            esc(xLabel),
            (T + H - B) / 2,
            (T + H - B) / 2,
            esc(yLabel)));
    return sb;
  }

  /** Draws the axes with five ticks on y and, unless {@code xr} is null (bars), on x. */
  private static void axes(StringBuilder sb, double[] xr, double[] yr) {
    sb.append(
        f(
            "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>"
                + "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n",
            L, H - B, W - R, H - B, L, T, L, H - B));
    for (int i = 0; i <= 4; i++) {
      double yv = yr[0] + (yr[1] - yr[0]) * i / 4;
      sb.append(
          f(
              "<text x='%d' y='%.1f' font-size='10' text-anchor='end'>%s</text>",
              L - 4, y(yv, yr) + 3, tick(yv, yr)));
      if (xr != null) {
        double xv = xr[0] + (xr[1] - xr[0]) * i / 4;
        sb.append(
            f(
                "<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%s</text>",
                x(xv, xr), H - B + 16, tick(xv, xr)));
      }
      sb.append('\n');
    }
  }

  private static double[] pad(double lo, double hi) {
    double span = hi - lo;
    if (span <= 0) {
      span = Math.max(Math.abs(hi), 1e-3);
    }
    return new double[] {lo - 0.05 * span, hi + 0.05 * span};
  }

  private static String tick(double v, double[] r) {
    double span = r[1] - r[0];
    return span < 0.05 ? f("%.4f", v) : span < 5 ? f("%.3f", v) : f("%.1f", v);
  }

  private static double x(double v, double[] r) {
    return L + (W - L - R) * (v - r[0]) / (r[1] - r[0]);
  }

  private static double y(double v, double[] r) {
    return H - B - (H - B - T) * (v - r[0]) / (r[1] - r[0]);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
  }
}
