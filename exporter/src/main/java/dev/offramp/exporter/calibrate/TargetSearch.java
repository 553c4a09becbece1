package dev.offramp.exporter.calibrate;

import dev.offramp.cascade.bundle.ProfileTarget;
import dev.offramp.cascade.exit.ThresholdTable;
import dev.offramp.exporter.evaluate.CascadeMetrics;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import java.util.List;
import java.util.Locale;

/**
 * Picks the CPM margin that meets a build target ({@code --max-drop}, {@code --min-saving}) on the
 * calibration split, by trying every margin of a fine grid ({@link #GRID_FROM} to {@link #GRID_TO}
 * in steps of {@link #GRID_STEP}, negative margins included: a negative margin asks the exits for
 * more precision than the backbone has). A grid rather than bisection because the drop is not
 * monotone in the margin on a finite split.
 *
 * <p>Each margin is judged by its {@linkplain OutOfFold out-of-fold} estimate, not by the drop of
 * thresholds scored on the images that set them (which is optimistic): it meets {@code --max-drop}
 * when the estimated drop plus {@link #CONFIDENCE_Z} standard errors (a one-sided 95% upper bound)
 * is within it, and {@code --min-saving} when the estimated saving reaches it. Rule: without {@code
 * --min-saving}, the meeting margin with the largest estimated saving; with it, the meeting margin
 * with the smallest estimated drop. Ties go to the smaller margin. When no margin meets the target,
 * the closest one (smallest bound, or largest saving) is returned with {@link
 * Choice#metOnCalibration()} false. The chosen profile's thresholds are calibrated on the whole
 * split at the chosen margin. Stateless.
 */
public final class TargetSearch {
  /** First margin of the grid. */
  public static final double GRID_FROM = -0.25;

  /** Last margin of the grid. */
  public static final double GRID_TO = 0.30;

  /** Grid step. */
  public static final double GRID_STEP = 0.0025;

  /** Standard errors added to the out-of-fold drop: a one-sided 95% upper bound. */
  public static final double CONFIDENCE_Z = 1.645;

  private TargetSearch() {}

  /**
   * The chosen margin.
   *
   * @param margin the margin
   * @param thresholds its thresholds
   * @param metrics its metrics on the whole calibration split with those thresholds (named {@link
   *     #profileName})
   * @param estimate its out-of-fold estimate, which the target was judged by
   * @param metOnCalibration whether the estimate meets the target (drop bound and saving)
   * @param evaluated margins tried
   */
  public record Choice(
      double margin,
      ThresholdTable thresholds,
      ProfileMetrics metrics,
      OutOfFold.Estimate estimate,
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

  /** Whether the out-of-fold estimate {@code e} meets {@code t}: its drop bound and saving. */
  public static boolean meets(OutOfFold.Estimate e, ProfileTarget t) {
    return e.dropBound(CONFIDENCE_Z) <= t.maxDropPoints() + 1e-9
        && t.minSaving().map(s -> e.saving() >= s - 1e-12).orElse(true);
  }

  /** Whether {@code m} meets {@code t} as measured (the test split's verdict). */
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
    OutOfFold folds =
        new OutOfFold(
            exitProbs,
            stageProbs,
            labels,
            reference.length,
            base.minSupport(),
            macsThrough,
            backboneMacs);
    int steps = (int) Math.round((GRID_TO - GRID_FROM) / GRID_STEP);
    double bestMargin = Double.NaN;
    OutOfFold.Estimate best = null;
    boolean bestMeets = false;
    for (int i = 0; i <= steps; i++) {
      double m = Math.round((GRID_FROM + i * GRID_STEP) * 1e6) / 1e6;
      OutOfFold.Estimate e =
          folds.at(
              new Calibration.Settings(m, base.mode(), base.minSupport(), base.survivorsOnly()));
      boolean ok = meets(e, target);
      if (best == null || better(e, ok, best, bestMeets, target)) {
        bestMargin = m;
        best = e;
        bestMeets = ok;
      }
    }
    ThresholdTable table =
        Calibration.calibrate(
            exitProbs,
            labels,
            reference,
            new Calibration.Settings(
                bestMargin, base.mode(), base.minSupport(), base.survivorsOnly()));
    ProfileMetrics pm =
        CascadeMetrics.compute(
            name, bestMargin, stageProbs, labels, table, macsThrough, backboneMacs);
    return new Choice(bestMargin, table, pm, best, bestMeets, steps + 1);
  }

  private static boolean better(
      OutOfFold.Estimate a, boolean ok, OutOfFold.Estimate b, boolean bestOk, ProfileTarget t) {
    if (ok != bestOk) {
      return ok;
    }
    if (t.minSaving().isEmpty()) {
      // Met: the largest saving. Not met: the smallest bound (the closest to the target).
      return ok
          ? a.saving() > b.saving() + 1e-12
          : a.dropBound(CONFIDENCE_Z) < b.dropBound(CONFIDENCE_Z) - 1e-9;
    }
    double floor = t.minSaving().get();
    boolean aReach = a.saving() >= floor - 1e-12;
    boolean bReach = b.saving() >= floor - 1e-12;
    if (aReach != bReach) {
      return aReach;
    }
    // Both reach the saving floor: the most accurate; neither does: the largest saving.
    return aReach ? a.dropPoints() < b.dropPoints() - 1e-9 : a.saving() > b.saving() + 1e-12;
  }

  /** One line for the build summary. */
  public static String describe(Choice c, ProfileTarget t) {
    OutOfFold.Estimate e = c.estimate();
    return String.format(
        Locale.ROOT,
        "%s: margin %.4f chosen on the calibration split (%d margins from %.2f to %.2f, each"
            + " scored out of %d folds): drop %.2f ± %.2f pt (95%% bound %.2f), saving %.1f%% —"
            + " target %s%s",
        profileName(t),
        c.margin(),
        c.evaluated(),
        GRID_FROM,
        GRID_TO,
        OutOfFold.FOLDS,
        e.dropPoints(),
        e.standardErrorPoints(),
        e.dropBound(CONFIDENCE_Z),
        100 * e.saving(),
        c.metOnCalibration() ? "met" : "NOT met",
        c.metOnCalibration()
            ? ""
            : "; no margin's 95% bound reaches drop ≤ "
                + t.maxDropPoints()
                + " pt"
                + t.minSaving().map(s -> " with saving ≥ " + s).orElse("")
                + " on this split: the closest is kept; raise --max-drop, lower --min-saving or"
                + " calibrate on more images (--calibration-data)");
  }
}
