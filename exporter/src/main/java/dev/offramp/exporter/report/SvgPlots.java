package dev.offramp.exporter.report;

import dev.offramp.exporter.evaluate.ProfileMetrics;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Hand-written SVG charts (no plotting library): small, diffable, viewable in any browser. */
public final class SvgPlots {
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
  private static final int W = 560;
  private static final int H = 380;
  private static final int L = 70;
  private static final int R = 150;
  private static final int T = 40;
  private static final int B = 50;

  private SvgPlots() {}

  /** Accuracy vs MAC fraction, one polyline per scheme, one point per profile. */
  public static String accuracyVsMacs(
      String title, Map<String, List<ProfileMetrics>> byScheme, double backboneAccuracy) {
    double minA = backboneAccuracy;
    double maxA = backboneAccuracy;
    double maxX = 1.0;
    for (List<ProfileMetrics> ps : byScheme.values()) {
      for (ProfileMetrics p : ps) {
        minA = Math.min(minA, p.accuracy());
        maxA = Math.max(maxA, p.accuracy());
        maxX = Math.max(maxX, p.macsFraction());
      }
    }
    double lo = Math.floor((minA - 0.005) * 100) / 100;
    double hi = Math.ceil((maxA + 0.005) * 100) / 100;
    StringBuilder sb = header(title, "MAC fraction (heads included)", "accuracy");
    axes(sb, 0, maxX, lo, hi);
    double by = y(backboneAccuracy, lo, hi);
    sb.append(
        String.format(
            Locale.ROOT,
            "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#888' stroke-dasharray='4 3'/>"
                + "<text x='%d' y='%.1f' font-size='11' fill='#555'>backbone</text>%n",
            L,
            by,
            W - R,
            by,
            W - R + 4,
            by + 4));
    int i = 0;
    for (Map.Entry<String, List<ProfileMetrics>> e : byScheme.entrySet()) {
      String color = COLORS[i % COLORS.length];
      StringBuilder pts = new StringBuilder();
      for (ProfileMetrics p : e.getValue()) {
        double px = x(p.macsFraction(), 0, maxX);
        double py = y(p.accuracy(), lo, hi);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        sb.append(
            String.format(
                Locale.ROOT,
                "<circle cx='%.1f' cy='%.1f' r='3.5' fill='%s'><title>%s %s: accuracy %.4f,"
                    + " MAC fraction %.3f</title></circle>%n",
                px,
                py,
                color,
                e.getKey(),
                p.name(),
                p.accuracy(),
                p.macsFraction()));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "<polyline points='%s' fill='none' stroke='%s' stroke-width='1.5'/>%n",
              pts.toString().trim(),
              color));
      sb.append(
          String.format(
              Locale.ROOT,
              "<rect x='%d' y='%d' width='12' height='12' fill='%s'/>"
                  + "<text x='%d' y='%d' font-size='12'>%s</text>%n",
              W - R + 10,
              T + 20 + 18 * i,
              color,
              W - R + 28,
              T + 31 + 18 * i,
              e.getKey()));
      i++;
    }
    return sb.append("</svg>\n").toString();
  }

  /** Exit rates per stage for one profile, as bars. */
  public static String exitHistogram(String title, double[] rates) {
    StringBuilder sb = header(title, "stage", "fraction of images answered");
    axes(sb, 0, rates.length, 0, 1);
    double bw = (W - L - R) / (double) rates.length;
    for (int s = 0; s < rates.length; s++) {
      double x0 = L + s * bw + bw * 0.15;
      double y0 = y(rates[s], 0, 1);
      sb.append(
          String.format(
              Locale.ROOT,
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
              rates[s],
              x0 + bw * 0.35,
              H - B + 14,
              s == rates.length - 1 ? "final" : "exit " + s));
    }
    return sb.append("</svg>\n").toString();
  }

  private static StringBuilder header(String title, String xLabel, String yLabel) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif'>%n"
                + "<rect width='100%%' height='100%%' fill='white'/>%n"
                + "<text x='%d' y='22' font-size='15'>%s</text>%n"
                + "<text x='%d' y='%d' font-size='12' text-anchor='middle'>%s</text>%n"
                + "<text x='16' y='%d' font-size='12' text-anchor='middle'"
                + " transform='rotate(-90 16 %d)'>%s</text>%n",
            W,
            H,
            L,
            escape(title),
            (L + W - R) / 2,
            H - 10,
            escape(xLabel),
            (T + H - B) / 2,
            (T + H - B) / 2,
            escape(yLabel)));
    return sb;
  }

  private static void axes(StringBuilder sb, double x0, double x1, double y0, double y1) {
    sb.append(
        String.format(
            Locale.ROOT,
            "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>"
                + "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n",
            L,
            H - B,
            W - R,
            H - B,
            L,
            T,
            L,
            H - B));
    for (int i = 0; i <= 4; i++) {
      double yv = y0 + (y1 - y0) * i / 4;
      double xv = x0 + (x1 - x0) * i / 4;
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x='%d' y='%.1f' font-size='10' text-anchor='end'>%.3f</text>"
                  + "<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%.2f</text>%n",
              L - 4,
              y(yv, y0, y1) + 3,
              yv,
              x(xv, x0, x1),
              H - B + 28,
              xv));
    }
  }

  private static double x(double v, double lo, double hi) {
    return L + (W - L - R) * (v - lo) / (hi - lo);
  }

  private static double y(double v, double lo, double hi) {
    return H - B - (H - B - T) * (v - lo) / (hi - lo);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
