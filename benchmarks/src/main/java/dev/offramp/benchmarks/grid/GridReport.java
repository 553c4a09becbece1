package dev.offramp.benchmarks.grid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.benchmarks.report.Machine;
import dev.offramp.exporter.report.SvgChart;
import dev.offramp.exporter.split.BackboneAnalysis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Aggregates the finished configurations of a grid into {@code grid.json}, {@code grid.md} and
 * {@code pareto.svg}. Only configurations of the current spec and settings count; missing ones are
 * listed. Stateless.
 */
public final class GridReport {
  private GridReport() {}

  private static final GridDocument.Definitions DEFINITIONS =
      new GridDocument.Definitions(
          Dominance.DEFAULT.accuracyTolerance(),
          Dominance.DEFAULT.macsTolerance(),
          "A dominates B when A's test accuracy is higher-or-equal and its MAC fraction"
              + " lower-or-equal, at least one strictly; values within the tolerance count as"
              + " equal",
          "both differences within the tolerances",
          "each scheme better on one axis (a trade-off)",
          "boosted accuracy minus the baseline's accuracy at the same MAC fraction, interpolated"
              + " linearly along the baseline's margins for the same placement and head (null when"
              + " the boosted MAC fraction lies outside the baseline's range); compares the two"
              + " accuracy-compute curves where same-margin points trade accuracy for compute",
          "mean MACs if every test sample left at the first exit whose argmax equals the"
              + " backbone's; share_of_oracle_reduction = (1 - macs_fraction) / (1 -"
              + " oracle_macs_fraction)");

  /** Reads {@code out/configs/*.json} and writes the aggregate; returns the grid document. */
  static GridDocument write(
      GridSettings s,
      GridSpec spec,
      Map<String, List<String>> cutsOf,
      BackboneAnalysis analysis,
      double seconds) {
    JsonNode fingerprint = Json.tree(s.fingerprint());
    List<JsonNode> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (GridSpec.Placement p : spec.placements()) {
      for (GridSpec.Head h : spec.heads()) {
        for (double m : spec.margins()) {
          String id = GridSpec.id(p, h, m);
          Path f = s.out().resolve("configs").resolve(id + ".json");
          JsonNode n = Files.isRegularFile(f) ? Json.read(f) : null;
          if (n != null && fingerprint.equals(n.get("settings"))) {
            found.add(n);
          } else {
            missing.add(id);
          }
        }
      }
    }
    Map<String, Integer> iso = isoMacs(found);
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Dominance.Winner w : Dominance.Winner.values()) {
      counts.put(w.key(), 0);
    }
    double shareSum = 0;
    int shareN = 0;
    double baseShareSum = 0;
    int baseShareN = 0;
    List<JsonNode> configurations = new ArrayList<>();
    for (JsonNode n : found) {
      counts.merge(n.get("winner").asText(), 1, Integer::sum);
      JsonNode sh = n.at("/boosted/share_of_oracle_reduction");
      if (sh.isNumber()) {
        shareSum += sh.asDouble();
        shareN++;
      }
      JsonNode bsh = n.at("/baseline/share_of_oracle_reduction");
      if (bsh.isNumber()) {
        baseShareSum += bsh.asDouble();
        baseShareN++;
      }
      configurations.add(n);
    }
    List<GridDocument.Placement> placements = new ArrayList<>();
    for (GridSpec.Placement p : spec.placements()) {
      placements.add(
          new GridDocument.Placement(
              p.name(), p.targets().length == 0 ? "auto" : p.targets(), cutsOf.get(p.name())));
    }
    GridDocument doc =
        new GridDocument(
            "offramp-grid/1",
            Machine.describe(),
            s.backbone().toString(),
            analysis.graph().sha256(),
            analysis.totalMacs(),
            s.fingerprint(),
            new GridDocument.Grid(
                placements,
                Arrays.stream(spec.margins()).boxed().toList(),
                spec.heads().stream()
                    .map(h -> new GridDocument.Head(h.name(), h.grid(), h.width(), h.layers()))
                    .toList()),
            DEFINITIONS,
            spec.size(),
            found.size(),
            missing,
            counts.get("boosted"),
            counts.get("baseline"),
            counts.get("tie"),
            counts.get("neither"),
            counts.get("boosted") + counts.get("tie"),
            shareN == 0 ? null : shareSum / shareN,
            baseShareN == 0 ? null : baseShareSum / baseShareN,
            iso,
            seconds,
            configurations);
    Json.write(s.out().resolve("grid.json"), doc);
    Json.writeString(s.out().resolve("grid.md"), markdown(doc, found));
    Json.writeString(s.out().resolve("pareto.svg"), pareto(found));
    return doc;
  }

  private static String markdown(GridDocument doc, List<JsonNode> found) {
    StringBuilder sb = new StringBuilder();
    Map<String, Object> mc = doc.machine();
    sb.append(
        f(
            "Grid on %s: %s of %s configurations finished. Aggregated %s on %s (%s cores), %s,"
                + " ONNX Runtime %s.%n%n",
            doc.backbone(),
            doc.configurationsFinished(),
            doc.configurationsExpected(),
            mc.get("date"),
            mc.get("cpu_model"),
            mc.get("cores"),
            mc.get("jdk"),
            mc.get("onnxruntime")));
    sb.append(f("Settings: `%s`%n%n", Json.tree(doc.settings()).toString()));
    sb.append(
        f(
            "**Boosted dominates: %s, baseline dominates: %s, tie: %s, neither: %s** (boosted"
                + " dominates or ties: %s). Tolerances: accuracy %.3f, MAC fraction %.3f.%n%n",
            doc.boostedWins(),
            doc.baselineWins(),
            doc.ties(),
            doc.neither(),
            doc.boostedDominatesOrTies(),
            Dominance.DEFAULT.accuracyTolerance(),
            Dominance.DEFAULT.macsTolerance()));
    sb.append(
        f(
            "At equal compute (boosted accuracy minus the baseline's interpolated at the same MAC"
                + " fraction): %s%n%n",
            doc.isoMacs()));
    sb.append(
        "| configuration | boosted acc | drop pt | MAC frac | oracle frac | share of oracle |"
            + " baseline acc | drop pt | MAC frac | oracle frac | share of oracle | winner |"
            + " iso-MAC gain pt |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
    for (JsonNode n : found) {
      JsonNode b = n.get("boosted");
      JsonNode a = n.get("baseline");
      sb.append(
          f(
              "| %s | %.4f | %.2f | %.3f | %.3f | %s | %.4f | %.2f | %.3f | %.3f | %s | %s | %s |%n",
              n.get("id").asText(),
              b.get("accuracy").asDouble(),
              b.get("accuracy_drop_points").asDouble(),
              b.get("macs_fraction").asDouble(),
              b.get("oracle_macs_fraction").asDouble(),
              share(b),
              a.get("accuracy").asDouble(),
              a.get("accuracy_drop_points").asDouble(),
              a.get("macs_fraction").asDouble(),
              a.get("oracle_macs_fraction").asDouble(),
              share(a),
              n.get("winner").asText(),
              n.path("iso_macs_accuracy_gain_points").isNumber()
                  ? f("%+.2f", n.get("iso_macs_accuracy_gain_points").asDouble())
                  : "n/a"));
    }
    return sb.toString();
  }

  /**
   * Adds {@code iso_macs_accuracy_gain_points} to every configuration (see the definitions) and
   * counts boosted better / baseline better / within the accuracy tolerance / out of range.
   */
  static Map<String, Integer> isoMacs(List<JsonNode> found) {
    Map<String, List<double[]>> curves = new LinkedHashMap<>();
    for (JsonNode n : found) {
      curves
          .computeIfAbsent(group(n), k -> new ArrayList<>())
          .add(
              new double[] {
                n.at("/baseline/macs_fraction").asDouble(), n.at("/baseline/accuracy").asDouble()
              });
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String k :
        List.of("boosted_better", "baseline_better", "within_tolerance", "out_of_range")) {
      counts.put(k, 0);
    }
    double tol = 100 * Dominance.DEFAULT.accuracyTolerance();
    for (JsonNode n : found) {
      List<double[]> curve = new ArrayList<>(curves.get(group(n)));
      curve.sort(Comparator.comparingDouble(p -> p[0]));
      double x = n.at("/boosted/macs_fraction").asDouble();
      Optional<Double> at = interpolate(curve, x);
      com.fasterxml.jackson.databind.node.ObjectNode o =
          (com.fasterxml.jackson.databind.node.ObjectNode) n;
      if (at.isEmpty()) {
        o.putNull("iso_macs_accuracy_gain_points");
        counts.merge("out_of_range", 1, Integer::sum);
        continue;
      }
      double gain = 100 * (n.at("/boosted/accuracy").asDouble() - at.get());
      o.put("iso_macs_accuracy_gain_points", gain);
      String key =
          gain > tol + 1e-9
              ? "boosted_better"
              : gain < -tol - 1e-9 ? "baseline_better" : "within_tolerance";
      counts.merge(key, 1, Integer::sum);
    }
    return counts;
  }

  private static String group(JsonNode n) {
    return n.get("placement").asText() + "|" + n.at("/head/name").asText();
  }

  /** Piecewise-linear y at x over points sorted by x; empty outside [first x, last x]. */
  static Optional<Double> interpolate(List<double[]> sorted, double x) {
    if (sorted.isEmpty() || x < sorted.get(0)[0] || x > sorted.get(sorted.size() - 1)[0]) {
      return Optional.empty();
    }
    for (int i = 0; i + 1 < sorted.size(); i++) {
      double[] a = sorted.get(i);
      double[] b = sorted.get(i + 1);
      if (x >= a[0] && x <= b[0]) {
        return Optional.of(
            b[0] == a[0]
                ? Math.max(a[1], b[1])
                : a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]));
      }
    }
    return Optional.of(sorted.get(0)[1]); // a single point, x equal to it
  }

  private static String share(JsonNode scheme) {
    JsonNode s = scheme.get("share_of_oracle_reduction");
    return s == null || !s.isNumber() ? "n/a" : f("%.2f", s.asDouble());
  }

  /** Accuracy vs MAC fraction of every configuration, both schemes, with each Pareto front. */
  static String pareto(List<JsonNode> found) {
    List<SvgChart.Series> series = new ArrayList<>();
    double backbone = found.isEmpty() ? 0 : found.get(0).get("backbone_accuracy").asDouble();
    List<String> schemes = List.of("boosted", "baseline");
    for (String scheme : schemes) {
      int color = schemes.indexOf(scheme);
      List<SvgChart.Point> pts = new ArrayList<>();
      for (JsonNode n : found) {
        JsonNode x = n.get(scheme);
        pts.add(
            new SvgChart.Point(
                x.get("macs_fraction").asDouble(),
                x.get("accuracy").asDouble(),
                f(
                    "%s: accuracy %.4f, MAC fraction %.3f",
                    n.get("id").asText(),
                    x.get("accuracy").asDouble(),
                    x.get("macs_fraction").asDouble())));
      }
      series.add(new SvgChart.Series(scheme, pts, false, color));
      series.add(new SvgChart.Series(scheme + " Pareto front", front(pts), true, color));
    }
    return SvgChart.scatter(
        "Boosted vs baseline: all configurations (test split)",
        "MAC fraction (heads included)",
        "accuracy",
        series,
        found.isEmpty()
            ? Optional.empty()
            : Optional.of(new SvgChart.Reference("backbone", backbone)));
  }

  /** Points not dominated by another (higher-or-equal accuracy at lower-or-equal MACs). */
  static List<SvgChart.Point> front(List<SvgChart.Point> pts) {
    List<SvgChart.Point> sorted = new ArrayList<>(pts);
    sorted.sort(
        Comparator.comparingDouble(SvgChart.Point::x)
            .thenComparing(Comparator.comparingDouble(SvgChart.Point::y).reversed()));
    List<SvgChart.Point> out = new ArrayList<>();
    double best = Double.NEGATIVE_INFINITY;
    for (SvgChart.Point p : sorted) {
      if (p.y() > best) {
        out.add(p);
        best = p.y();
      }
    }
    return out;
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
