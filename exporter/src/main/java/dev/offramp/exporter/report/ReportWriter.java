package dev.offramp.exporter.report;

import dev.offramp.exporter.evaluate.ProfileMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes report.json and the SVG plots of a build, and formats summary tables. Stateless. */
public final class ReportWriter {
  /** The report file in a bundle. */
  public static final String REPORT = "report.json";

  private ReportWriter() {}

  /** JSON-friendly number: NaN becomes null. */
  public static Object num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }

  /** JSON-friendly numbers: NaN becomes null. */
  public static List<Object> nums(double[] a) {
    List<Object> out = new ArrayList<>();
    for (double v : a) {
      out.add(num(v));
    }
    return out;
  }

  /** Per scheme, every profile's metrics as {@link #metrics} maps. */
  public static Map<String, Object> byScheme(Map<String, List<ProfileMetrics>> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v.stream().map(ReportWriter::metrics).toList()));
    return out;
  }

  /** One profile's metrics as a snake_case map (also the {@code evaluate --json} shape). */
  public static Map<String, Object> metrics(ProfileMetrics p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("margin", p.margin());
    m.put("samples", p.samples());
    m.put("accuracy", p.accuracy());
    m.put("backbone_accuracy", p.backboneAccuracy());
    m.put("accuracy_drop_points", p.accuracyDropPoints());
    m.put("accuracy_drop_se_points", p.dropStandardErrorPoints());
    m.put("mean_macs", p.meanMacs());
    m.put("backbone_macs", p.backboneMacs());
    m.put("macs_fraction", p.macsFraction());
    m.put("compute_reduction", p.computeReduction());
    m.put("exit_rates", nums(p.exitRates()));
    m.put("class_precision", nums(p.classPrecision()));
    m.put("backbone_class_precision", nums(p.backboneClassPrecision()));
    return m;
  }

  /** A plain-text table of profiles. */
  public static String table(String title, List<ProfileMetrics> profiles, String defaultProfile) {
    StringBuilder sb = new StringBuilder(title).append('\n');
    sb.append(
        String.format(
            Locale.ROOT,
            "  %-10s %9s %9s %8s %10s %10s  %s%n",
            "profile",
            "accuracy",
            "backbone",
            "drop pt",
            "MAC frac",
            "reduction",
            "exit rates"));
    for (ProfileMetrics p : profiles) {
      StringBuilder rates = new StringBuilder();
      for (double e : p.exitRates()) {
        rates.append(String.format(Locale.ROOT, "%.3f ", e));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%s %-10s %9.4f %9.4f %8.2f %10.3f %9.1f%%  %s%n",
              p.name().equals(defaultProfile) ? "*" : " ",
              p.name(),
              p.accuracy(),
              p.backboneAccuracy(),
              p.accuracyDropPoints(),
              p.macsFraction(),
              100 * p.computeReduction(),
              rates.toString().trim()));
    }
    return sb.toString();
  }
}
