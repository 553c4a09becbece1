package dev.offramp.benchmarks.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offramp.benchmarks.budget.ResultReader.Arrival;
import java.util.ArrayList;
import java.util.List;
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
    ObjectNode o = BudgetBench.summarize(a, 0, 4 * S, 8 * S, 12 * S, 100, 2);
    assertEquals(6, o.get("windows").size());
    assertEquals(0.0, o.get("tracking_error").get("calm").asDouble(), 1e-9);
    assertEquals((0.5 + 0.2) / 2, o.get("tracking_error").get("load").asDouble(), 1e-9);
    assertEquals(0.0, o.get("tracking_error").get("after").asDouble(), 1e-9);
    assertEquals(0.7 / 6, o.get("tracking_error").get("overall").asDouble(), 1e-9);
    assertEquals(2, o.get("switches").asInt());
    assertEquals(2 / (12 / 60.0), o.get("switches_per_minute").asDouble(), 1e-9);
    assertEquals(160, o.get("frames_per_profile").get("m0.05").asInt());
  }
}
