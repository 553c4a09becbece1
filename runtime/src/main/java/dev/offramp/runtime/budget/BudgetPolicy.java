package dev.offramp.runtime.budget;

import dev.offramp.runtime.budget.Measurements.Estimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The decision, free of threads and clocks so recorded measurement sequences can test it: among the
 * candidates, the most accurate whose estimate meets every configured limit. The running profile
 * and less accurate ones must meet the limits as they are; a more accurate one must meet them with
 * the {@code hysteresis} margin (fps ≥ target·(1+h), watts and p95 ≤ limit·(1−h)), so the
 * controller does not flap at a boundary. When no profile meets the budget it runs the cheapest. No
 * switch happens within {@code dwell} of the previous one, unless forced (budget mode just
 * resumed).
 */
public final class BudgetPolicy {
  private final BudgetSettings settings;
  private final List<Candidate> candidates;

  /**
   * @param candidates in order of preference ({@link Candidate#PREFERENCE})
   */
  public BudgetPolicy(BudgetSettings settings, List<Candidate> candidates) {
    this.settings = Objects.requireNonNull(settings, "settings");
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("candidates: expected at least one profile; found none");
    }
    this.candidates = List.copyOf(candidates);
  }

  /**
   * One decision.
   *
   * @param profile the profile to run
   * @param switched whether it differs from the current one
   * @param reason why, for people
   * @param measured the current profile's estimate
   * @param chosen the chosen profile's estimate
   */
  public record Decision(
      String profile, boolean switched, String reason, Estimate measured, Estimate chosen) {}

  /**
   * Decides.
   *
   * @param current the running profile
   * @param estimates each candidate's estimate under the current load
   * @param sinceSwitchNanos time since the previous switch
   * @param force ignore the dwell time
   */
  public Decision decide(
      String current, Function<String, Estimate> estimates, long sinceSwitchNanos, boolean force) {
    Map<String, Estimate> e = new java.util.HashMap<>();
    for (Candidate c : candidates) {
      e.put(c.name(), estimates.apply(c.name()));
    }
    Estimate now = e.get(current);
    int currentRank = rank(current);
    Candidate pick = null;
    for (int i = 0; i < candidates.size() && pick == null; i++) {
      Candidate c = candidates.get(i);
      double margin = currentRank >= 0 && i < currentRank ? settings.hysteresis() : 0;
      if (misses(e.get(c.name()), margin).isEmpty()) {
        pick = c;
      }
    }
    String why;
    if (pick == null) {
      pick = cheapest(e);
      why =
          "no profile meets the budget; "
              + pick.name()
              + " is the cheapest ("
              + String.join(", ", misses(e.get(pick.name()), 0))
              + ")";
    } else if (pick.name().equals(current)) {
      why = current + " meets the budget and no more accurate profile does with the margin";
    } else if (currentRank >= 0 && rank(pick.name()) < currentRank) {
      why =
          pick.name()
              + " is more accurate and predicted to meet the budget with a "
              + pct(settings.hysteresis())
              + " margin ("
              + describe(e.get(pick.name()))
              + ")";
    } else {
      why =
          current
              + " misses the budget ("
              + String.join(", ", misses(now, 0))
              + "); "
              + pick.name()
              + " is the most accurate predicted to meet it ("
              + describe(e.get(pick.name()))
              + ")";
    }
    if (pick.name().equals(current)) {
      return new Decision(current, false, why, now, now);
    }
    if (!force && sinceSwitchNanos < settings.dwell().toNanos()) {
      return new Decision(
          current,
          false,
          "would switch to "
              + pick.name()
              + " but the dwell time ("
              + settings.dwell().toMillis() / 1e3
              + " s) has not passed: "
              + why,
          now,
          now);
    }
    return new Decision(pick.name(), true, why, now, e.get(pick.name()));
  }

  /** The limits {@code e} misses with {@code margin}, as text; empty when it meets them all. */
  List<String> misses(Estimate e, double margin) {
    List<String> out = new ArrayList<>();
    settings
        .targetFps()
        .ifPresent(
            t -> {
              if (!(e.capacityFps() >= t * (1 + margin))) {
                out.add(
                    String.format(
                        Locale.ROOT, "fps %.1f < %.1f", e.capacityFps(), t * (1 + margin)));
              }
            });
    settings
        .maxWatts()
        .ifPresent(
            w -> {
              if (!(e.watts() <= w * (1 - margin))) {
                out.add(
                    String.format(Locale.ROOT, "watts %.3f > %.3f", e.watts(), w * (1 - margin)));
              }
            });
    settings
        .maxLatencyP95Ms()
        .ifPresent(
            l -> {
              if (!(e.latencyP95Ms() <= l * (1 - margin))) {
                out.add(
                    String.format(
                        Locale.ROOT, "p95 %.2f ms > %.2f ms", e.latencyP95Ms(), l * (1 - margin)));
              }
            });
    return out;
  }

  private int rank(String name) {
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private Candidate cheapest(Map<String, Estimate> e) {
    Candidate best = candidates.get(0);
    for (Candidate c : candidates) {
      if (e.get(c.name()).frameMs() < e.get(best.name()).frameMs()
          || (e.get(c.name()).frameMs() == e.get(best.name()).frameMs()
              && c.macsFraction() < best.macsFraction())) {
        best = c;
      }
    }
    return best;
  }

  private String describe(Estimate e) {
    List<String> parts = new ArrayList<>();
    settings
        .targetFps()
        .ifPresent(t -> parts.add(String.format(Locale.ROOT, "fps %.1f", e.capacityFps())));
    settings
        .maxWatts()
        .ifPresent(w -> parts.add(String.format(Locale.ROOT, "watts %.3f", e.watts())));
    settings
        .maxLatencyP95Ms()
        .ifPresent(l -> parts.add(String.format(Locale.ROOT, "p95 %.2f ms", e.latencyP95Ms())));
    return String.join(", ", parts);
  }

  private static String pct(double f) {
    return String.format(Locale.ROOT, "%.0f%%", f * 100);
  }
}
