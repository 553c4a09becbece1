package dev.offramp.benchmarks.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offramp.benchmarks.budget.ResultReader.Arrival;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.exporter.testing.JsonShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How a run's arrivals become tracking error per phase and switches per minute. */
class BudgetSummaryTest {
  private static final long S = 1_000_000_000L;

  /** {@code fps} results per second from {@code fromS} to {@code toS} under {@code profile}. */
  private static void arrive(List<Arrival> out, double fromS, double toS, int fps, String profile) {
    for (long t = (long) (fromS * S); t < (long) (toS * S); t += S / fps) {
      out.add(new Arrival(t, profile));
    }
  }

  @Test
  void trackingErrorIsTheMeanRelativeMissPerPhaseAndSwitchesCountProfileChanges() {
    List<Arrival> a = new ArrayList<>();
    arrive(a, 0, 4, 100, "m0"); // calm: on target
    arrive(a, 4, 6, 50, "m0"); // loaded, first window: half the target
    arrive(a, 6, 8, 80, "m0.05"); // loaded after a switch: 20 % short
    arrive(a, 8, 12, 100, "m0"); // after: back, on target
    JsonNode o = Json.tree(BudgetBench.summarize(a, 0, 4 * S, 8 * S, 12 * S, 100, 2));
    assertEquals(6, o.get("windows").size());
    assertEquals(0.0, o.get("tracking_error").get("calm").asDouble(), 1e-9);
    assertEquals((0.5 + 0.2) / 2, o.get("tracking_error").get("load").asDouble(), 1e-9);
    assertEquals(0.0, o.get("tracking_error").get("after").asDouble(), 1e-9);
    assertEquals(0.7 / 6, o.get("tracking_error").get("overall").asDouble(), 1e-9);
    assertEquals(2, o.get("switches").asInt());
    assertEquals(2 / (12 / 60.0), o.get("switches_per_minute").asDouble(), 1e-9);
    assertEquals(160, o.get("frames_per_profile").get("m0.05").asInt());
  }

  @Test
  void theDocumentHasTheKeysOfTheCommittedRun() {
    List<Arrival> a = new ArrayList<>();
    arrive(a, 0, 6, 100, "m0");
    arrive(a, 6, 12, 100, "m0.05");
    BudgetReport.Run run = BudgetBench.summarize(a, 0, 4 * S, 8 * S, 12 * S, 100, 2);
    List<Arrival> steady = new ArrayList<>();
    arrive(steady, 0, 12, 100, "m0"); // budget mode off: the most accurate profile throughout
    BudgetReport.Run off = BudgetBench.summarize(steady, 0, 4 * S, 8 * S, 12 * S, 100, 2);
    BudgetReport doc =
        new BudgetReport(
            "b",
            "s",
            100,
            160,
            "stress-ng --cpu 1",
            new BudgetReport.Phases(4, 4, 4),
            2,
            run,
            off,
            dev.offramp.benchmarks.report.HostLine.here());
    // Both committed runs together: one has no switch (an empty switch_sequence shows no element).
    TreeSet<String> committed = keys(Json.read(Path.of("results/budget.json")));
    committed.addAll(keys(Json.read(Path.of("results/budget-cpus2.json"))));
    assertEquals(String.join("\n", committed), String.join("\n", keys(Json.tree(doc))));
  }

  /**
   * The document's key paths: array positions and profile names (data, not keys) generalised, the
   * daemon's decision records left out.
   */
  private static TreeSet<String> keys(JsonNode doc) {
    return Arrays.stream(JsonShape.of(doc).split("\n"))
        .map(l -> l.replaceAll("/[0-9]+", "/#"))
        .map(l -> l.replaceAll("/frames_per_profile/[^ ]+", "/frames_per_profile/*"))
        .filter(l -> !l.contains("/decisions/"))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
