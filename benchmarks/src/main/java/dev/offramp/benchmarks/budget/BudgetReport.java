package dev.offramp.benchmarks.budget;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.offramp.benchmarks.report.HostLine;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * budget.json (snake_case keys through {@link dev.offramp.benchmarks.report.Json}): the settings,
 * one {@link Run} with budget mode on and, unless {@code --no-baseline}, one with it off.
 */
record BudgetReport(
    String bundle,
    String source,
    double targetFps,
    double calibratedUnpacedFps,
    String stress,
    Phases phasesS,
    double windowS,
    Run budget,
    @JsonInclude(JsonInclude.Include.NON_NULL) Run baselineBudgetOff,
    HostLine machine) {

  /** The phase lengths in seconds. */
  record Phases(int calm, int load, int after) {}

  /**
   * One run: per-window frame rates, tracking error per phase, profile switches, and the
   * controller's own decisions ({@code state/budget}: what it measured and predicted, and why).
   */
  record Run(
      List<Window> windows,
      Tracking trackingError,
      int switches,
      double switchesPerMinute,
      List<String> switchSequence,
      Map<String, Integer> framesPerProfile,
      List<JsonNode> decisions) {
    Run {
      windows = List.copyOf(windows);
      switchSequence = List.copyOf(switchSequence);
      framesPerProfile = Collections.unmodifiableMap(new TreeMap<>(framesPerProfile));
      decisions = List.copyOf(decisions);
    }

    /** This run with the controller's decisions. */
    Run withDecisions(List<JsonNode> controllerDecisions) {
      return new Run(
          windows,
          trackingError,
          switches,
          switchesPerMinute,
          switchSequence,
          framesPerProfile,
          controllerDecisions);
    }
  }

  /** One window: its start (seconds after the measurement began), phase and frame rate. */
  record Window(double tS, String phase, double fps) {}

  /** Mean |fps − target| / target per phase and overall (NaN for a phase without windows). */
  record Tracking(double calm, double load, double after, double overall) {}
}
