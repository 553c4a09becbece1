package dev.offramp.exporter.report;

import dev.offramp.exporter.evaluate.ProfileMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The build's two plots, drawn by the shared {@link SvgChart}. Stateless. */
public final class SvgPlots {
  private SvgPlots() {}

  /** Accuracy vs MAC fraction, one joined series per scheme, one point per profile. */
  public static String accuracyVsMacs(
      String title, Map<String, List<ProfileMetrics>> byScheme, double backboneAccuracy) {
    List<SvgChart.Series> series = new ArrayList<>();
    for (Map.Entry<String, List<ProfileMetrics>> e : byScheme.entrySet()) {
      List<SvgChart.Point> pts = new ArrayList<>();
      for (ProfileMetrics p : e.getValue()) {
        pts.add(
            new SvgChart.Point(
                p.macsFraction(),
                p.accuracy(),
                String.format(
                    Locale.ROOT,
                    "%s: accuracy %.4f, MAC fraction %.3f",
                    p.name(),
                    p.accuracy(),
                    p.macsFraction())));
      }
      series.add(new SvgChart.Series(e.getKey(), pts, true));
    }
    return SvgChart.scatter(
        title,
        "MAC fraction (heads included)",
        "accuracy",
        series,
        Optional.of(new SvgChart.Reference("backbone", backboneAccuracy)));
  }

  /** Exit rates per stage for one profile, as bars. */
  public static String exitHistogram(String title, double[] rates) {
    List<String> labels = new ArrayList<>();
    for (int s = 0; s < rates.length; s++) {
      labels.add(s == rates.length - 1 ? "final" : "exit " + s);
    }
    return SvgChart.bars(title, "stage", "fraction of images answered", labels, rates, 1);
  }
}
