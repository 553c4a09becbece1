package dev.offramp.exporter.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes report.json and the SVG plots of a build, and formats summary tables. Stateless. */
public final class ReportWriter {
  /** The report file in a bundle. */
  public static final String REPORT = "report.json";

  private ReportWriter() {}

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The exporter's one JSON writer: records with snake_case keys in component order, maps in their
   * own order, indented; the text has no trailing newline.
   */
  public static String json(Object document) {
    try {
      return JSON.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + document.getClass() + ": " + e, e);
    }
  }

  /** JSON-friendly number: NaN and infinities become null. */
  public static Double num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }

  /** JSON-friendly numbers: NaN becomes null. */
  public static List<Double> nums(double[] a) {
    List<Double> out = new ArrayList<>();
    for (double v : a) {
      out.add(num(v));
    }
    return Collections.unmodifiableList(out);
  }

  /** An unmodifiable copy of a list that may hold nulls ({@code List.copyOf} refuses them). */
  public static <T> List<T> copy(List<T> values) {
    return Collections.unmodifiableList(new ArrayList<>(values));
  }

  /** Per scheme, every profile's metrics. */
  public static Map<String, List<ProfileReport>> byScheme(Map<String, List<ProfileMetrics>> m) {
    Map<String, List<ProfileReport>> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v.stream().map(ProfileReport::of).toList()));
    return out;
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
