package dev.offramp.benchmarks.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.exporter.report.SvgChart;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GridReportTest {
  @Test
  void interpolatesLinearlyInsideTheCurveAndNotOutside() {
    List<double[]> curve = List.of(new double[] {0.4, 0.80}, new double[] {0.6, 0.90});
    assertEquals(0.85, GridReport.interpolate(curve, 0.5).orElseThrow(), 1e-12);
    assertEquals(0.80, GridReport.interpolate(curve, 0.4).orElseThrow(), 1e-12);
    assertEquals(Optional.empty(), GridReport.interpolate(curve, 0.61));
  }

  private static JsonNode config(double ba, double bm, double aa, double am) {
    return Json.tree(
        Map.of(
            "placement", "p",
            "head", Map.of("name", "h"),
            "boosted", Map.of("accuracy", ba, "macs_fraction", bm),
            "baseline", Map.of("accuracy", aa, "macs_fraction", am)));
  }

  @Test
  void isoMacsComparesBoostedWithTheBaselineCurveAtTheSameCompute() {
    // Baseline curve over margins: (0.4, 0.80) (0.6, 0.90). At 0.5 the baseline reaches 0.85.
    List<JsonNode> found =
        List.of(
            config(0.87, 0.5, 0.80, 0.4), config(0.84, 0.5, 0.90, 0.6), config(0.9, 0.7, 0.9, 0.6));
    Map<String, Integer> counts = GridReport.isoMacs(found);
    assertEquals(2.0, found.get(0).get("iso_macs_accuracy_gain_points").asDouble(), 1e-9);
    assertEquals(-1.0, found.get(1).get("iso_macs_accuracy_gain_points").asDouble(), 1e-9);
    assertEquals(1, counts.get("boosted_better"));
    assertEquals(1, counts.get("baseline_better"));
    assertEquals(1, counts.get("out_of_range"));
  }

  @Test
  void paretoFrontKeepsOnlyUndominatedPoints() {
    List<SvgChart.Point> pts =
        List.of(
            new SvgChart.Point(0.5, 0.80, "a"),
            new SvgChart.Point(0.6, 0.79, "dominated"),
            new SvgChart.Point(0.7, 0.85, "b"),
            new SvgChart.Point(0.4, 0.70, "c"));
    assertEquals(
        List.of("c", "a", "b"), GridReport.front(pts).stream().map(SvgChart.Point::label).toList());
  }
}
