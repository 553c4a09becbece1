package dev.offramp.exporter.calibrate;

import dev.offramp.cascade.bundle.ProfileTarget;
import dev.offramp.cascade.exit.ThresholdTable;
import dev.offramp.exporter.evaluate.CascadeMetrics;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import java.util.List;
import java.util.Locale;

/**
 * Picks the CPM margin that meets a build target ({@code --max-drop}, {@code --min-saving}) on the
 * calibration split, by calibrating and scoring every margin of a fine grid ({@link #GRID_FROM} to
 * {@link #GRID_TO} in steps of {@link #GRID_STEP}, negative margins included: a negative margin
 * asks the exits for more precision than the backbone has). A grid rather than bisection because
 * the drop is not monotone in the margin on a finite split.
 *
 * <p>Rule: without {@code --min-saving}, the margin with the largest MAC saving whose drop is at
 * most {@code --max-drop}; with it, the most accurate margin whose saving reaches {@code
 * --min-saving}. Ties go to the smaller margin. When no margin meets the target, the closest one
 * (smallest drop, or largest saving) is returned with {@link Choice#metOnCalibration()} false.
 * Stateless.
 */
public final class TargetSearch {
  /** First margin of the grid. */
  public static final double GRID_FROM = -0.25;

  /** Last margin of the grid. */
  public static final double GRID_TO = 0.30;

  /** Grid step. */
  public static final double GRID_STEP = 0.0025;

  private TargetSearch() {}

  /**
   * The chosen margin.
   *
   * @param margin the margin
   * @param thresholds its thresholds
   * @param metrics its metrics on the calibration split (named {@link #profileName})
   * @param metOnCalibration whether the calibration split meets the target
   * @param evaluated margins tried
   */
  public record Choice(
      double margin,
      ThresholdTable thresholds,
      ProfileMetrics metrics,
      boolean metOnCalibration,
      int evaluated) {}

  /** The profile name of a target, e.g. {@code target-drop1.0} or {@code target-drop1-save0.5}. */
  public static String profileName(ProfileTarget t) {
    String name = "target-drop" + plain(t.maxDropPoints());
    if (t.minSaving().isPresent()) {
      name += "-save" + plain(t.minSaving().get());
    }
    return name;
  }

  private static String plain(double v) {
    String s = java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    return s.contains(".") ? s : s + ".0";
  }

  /** Whether {@code m} meets {@code t}. */
  public static boolean meets(ProfileMetrics m, ProfileTarget t) {
    return m.accuracyDropPoints() <= t.maxDropPoints() + 1e-9
        && t.minSaving().map(s -> m.computeReduction() >= s - 1e-12).orElse(true);
  }

  /**
   * Searches the grid.
   *
   * @param exitProbs per exit, per calibration sample probabilities
   * @param stageProbs [sample][stage][class] (exits then the backbone)
   * @param labels calibration labels
   * @param reference P_c per class
   * @param base calibration settings (the margin is replaced)
   * @param macsThrough MACs of running the first s stages
   * @param backboneMacs the backbone's MACs
   * @param target the target
   */
  public static Choice search(
      List<float[][]> exitProbs,
      float[][][] stageProbs,
      int[] labels,
      double[] reference,
      Calibration.Settings base,
      long[] macsThrough,
      long backboneMacs,
      ProfileTarget target) {
    String name = profileName(target);
    int steps = (int) Math.round((GRID_TO - GRID_FROM) / GRID_STEP);
    Choice best = null;
    boolean bestMeets = false;
    for (int i = 0; i <= steps; i++) {
      double m = Math.round((GRID_FROM + i * GRID_STEP) * 1e6) / 1e6;
      ThresholdTable table =
          Calibration.calibrate(
              exitProbs,
              labels,
              reference,
              new Calibration.Settings(m, base.mode(), base.minSupport(), base.survivorsOnly()));
      ProfileMetrics pm =
          CascadeMetrics.compute(name, m, stageProbs, labels, table, macsThrough, backboneMacs);
      boolean ok = meets(pm, target);
      Choice c = new Choice(m, table, pm, ok, i + 1);
      if (best == null || better(c, ok, best, bestMeets, target)) {
        best = c;
        bestMeets = ok;
      }
    }
    return new Choice(best.margin(), best.thresholds(), best.metrics(), bestMeets, steps + 1);
  }

  private static boolean better(
      Choice c, boolean ok, Choice best, boolean bestOk, ProfileTarget t) {
    if (ok != bestOk) {
      return ok;
    }
    ProfileMetrics a = c.metrics();
    ProfileMetrics b = best.metrics();
    if (t.minSaving().isEmpty()) {
      // Met: the largest saving. Not met: the smallest drop (the closest to the target).
      return ok
          ? a.computeReduction() > b.computeReduction() + 1e-12
          : a.accuracyDropPoints() < b.accuracyDropPoints() - 1e-9;
    }
    double floor = t.minSaving().get();
    boolean aReach = a.computeReduction() >= floor - 1e-12;
    boolean bReach = b.computeReduction() >= floor - 1e-12;
    if (aReach != bReach) {
      return aReach;
    }
    // Both reach the saving floor: the most accurate; neither does: the largest saving.
    return aReach
        ? a.accuracyDropPoints() < b.accuracyDropPoints() - 1e-9
        : a.computeReduction() > b.computeReduction() + 1e-12;
  }

  /** One line for the build summary. */
  public static String describe(Choice c, ProfileTarget t) {
    return String.format(
        Locale.ROOT,
        "%s: margin %.4f chosen on the calibration split (%d margins from %.2f to %.2f): drop %.2f"
            + " pt, saving %.1f%% — target %s%s",
        profileName(t),
        c.margin(),
        c.evaluated(),
        GRID_FROM,
        GRID_TO,
        c.metrics().accuracyDropPoints(),
        100 * c.metrics().computeReduction(),
        c.metOnCalibration() ? "met" : "NOT met",
        c.metOnCalibration()
            ? ""
            : "; no margin reaches drop ≤ "
                + t.maxDropPoints()
                + " pt"
                + t.minSaving().map(s -> " with saving ≥ " + s).orElse("")
                + " on this split: the closest is kept; raise --max-drop or lower --min-saving");
  }
}
