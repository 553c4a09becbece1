package dev.offramp.benchmarks.method;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * Compares two schemes' accuracy-vs-MACs curves with a paired bootstrap (the method protocol,
 * benchmarks/README.md). Each run (one seed of one scheme) gives one curve: a point per profile of
 * its margin grid (target profiles left out), x = mean MACs over the reference backbone's, y =
 * accuracy in points. Runs of the two schemes are paired by seed.
 *
 * <p>Statistics, for a pair of runs: (a) the mean over a grid of {@code gridPoints} MAC fractions
 * evenly spread over the range every curve covers of acc_A(x) − acc_B(x) (points; positive: A more
 * accurate at equal compute); (b) the mean over a grid of accuracies every curve covers of mac_A(y)
 * − mac_B(y) (fraction of the reference backbone; negative: A cheaper at equal accuracy). Both are
 * averaged over the seeds. The grids are fixed on the full data, before resampling.
 *
 * <p>Each bootstrap replicate draws the test images with replacement (the same draw for every run
 * of both schemes: the pairing) and, with {@code resampleSeeds}, the seed pairs with replacement;
 * the 95% interval is the 2.5th–97.5th percentile of the replicates. A "win" is an interval that
 * excludes 0. Stateless.
 */
public final class PairedBootstrap {
  private PairedBootstrap() {}

  /**
   * Settings.
   *
   * @param replicates bootstrap replicates (≥ 100)
   * @param seed random seed of the resampling
   * @param gridPoints points of each comparison grid (≥ 1)
   * @param resampleSeeds also resample the seed pairs (when there are at least two)
   */
  public record Settings(int replicates, long seed, int gridPoints, boolean resampleSeeds) {
    /** Validates the counts. */
    public Settings {
      if (replicates < 100 || gridPoints < 1) {
        throw new IllegalArgumentException(
            "bootstrap: expected ≥ 100 replicates and ≥ 1 grid point, found "
                + replicates
                + " and "
                + gridPoints);
      }
    }
  }

  /**
   * One statistic: the estimate on the full data and its 95% bootstrap interval.
   *
   * @param estimate value on the full data
   * @param low 2.5th percentile
   * @param high 97.5th percentile
   * @param from first grid point
   * @param to last grid point
   */
  public record Interval(
      double estimate,
      double low,
      double high,
      @JsonProperty("grid_from") double from,
      @JsonProperty("grid_to") double to) {
    /** True when the interval excludes 0. */
    @JsonProperty("excludes_zero")
    public boolean excludesZero() {
      return low > 0 || high < 0;
    }
  }

  /**
   * A comparison of scheme A against scheme B.
   *
   * @param a scheme A
   * @param b scheme B
   * @param seeds the paired seeds
   * @param accuracyAtEqualMacs (a), in points; empty when the curves share no MAC range
   * @param macsAtEqualAccuracy (b), in fractions of the reference; empty when the curves share no
   *     accuracy range
   * @param accuracyVerdict plain words for (a)
   * @param macsVerdict plain words for (b)
   */
  public record Result(
      String a,
      String b,
      List<Long> seeds,
      Optional<Interval> accuracyAtEqualMacs,
      Optional<Interval> macsAtEqualAccuracy,
      String accuracyVerdict,
      String macsVerdict) {
    /** Copies the list. */
    public Result {
      seeds = List.copyOf(seeds);
    }
  }

  /** Per-profile sums of one run under image weights. */
  static double[][] points(Outcomes run, int[] w, double referenceMacs) {
    List<Outcomes.Profile> ps = curveProfiles(run);
    double[] x = new double[ps.size()];
    double[] y = new double[ps.size()];
    int n = run.samples();
    long[] through = run.macsThrough();
    for (int p = 0; p < ps.size(); p++) {
      Outcomes.Profile pr = ps.get(p);
      long correct = 0;
      double macs = 0;
      for (int i = 0; i < n; i++) {
        int wi = w == null ? 1 : w[i];
        if (wi == 0) {
          continue;
        }
        if (pr.correct()[i]) {
          correct += wi;
        }
        macs += wi * (double) through[pr.stage()[i] + 1];
      }
      x[p] = macs / n / referenceMacs;
      y[p] = 100.0 * correct / n;
    }
    return new double[][] {x, y};
  }

  /** The profiles that make a run's curve: every margin profile, not the target ones. */
  static List<Outcomes.Profile> curveProfiles(Outcomes run) {
    List<Outcomes.Profile> ps = run.profiles().stream().filter(p -> !p.target()).toList();
    return ps.isEmpty() ? run.profiles() : ps;
  }

  /** Runs of a scheme by seed; duplicate seeds are an error. */
  static Map<Long, Outcomes> bySeed(String scheme, List<Outcomes> runs) {
    Map<Long, Outcomes> m = new TreeMap<>();
    for (Outcomes r : runs) {
      Outcomes prev = m.put(r.seed(), r);
      if (prev != null) {
        throw new IllegalArgumentException(
            scheme
                + ": two runs with seed "
                + r.seed()
                + " ("
                + prev.source()
                + ", "
                + r.source()
                + "); expected one run per seed");
      }
    }
    return m;
  }

  /**
   * Compares A with B.
   *
   * @param referenceMacs MACs that MAC fractions are relative to (the reference backbone's)
   */
  public static Result compare(
      String nameA,
      List<Outcomes> runsA,
      String nameB,
      List<Outcomes> runsB,
      double referenceMacs,
      Settings s) {
    Map<Long, Outcomes> a = bySeed(nameA, runsA);
    Map<Long, Outcomes> b = bySeed(nameB, runsB);
    if (!a.keySet().equals(b.keySet()) || a.isEmpty()) {
      throw new IllegalArgumentException(
          "paired comparison "
              + nameA
              + " vs "
              + nameB
              + ": expected the same seeds in both, found "
              + a.keySet()
              + " and "
              + b.keySet());
    }
    List<Long> seeds = new ArrayList<>(a.keySet());
    List<Outcomes> pa = seeds.stream().map(a::get).toList();
    List<Outcomes> pb = seeds.stream().map(b::get).toList();
    int n = pa.get(0).samples();
    String split = pa.get(0).splitSha256();
    for (Outcomes r : concat(pa, pb)) {
      if (r.samples() != n || !r.splitSha256().equals(split)) {
        throw new IllegalArgumentException(
            r.source()
                + ": "
                + r.samples()
                + " images of split "
                + r.splitSha256()
                + ", expected "
                + n
                + " images of split "
                + split
                + " like "
                + pa.get(0).source()
                + "; a paired comparison needs every run on the same test images");
      }
    }
    int k = seeds.size();
    double[][][] fullA = new double[k][][];
    double[][][] fullB = new double[k][][];
    for (int j = 0; j < k; j++) {
      fullA[j] = points(pa.get(j), null, referenceMacs);
      fullB[j] = points(pb.get(j), null, referenceMacs);
    }
    Optional<double[]> gridX = grid(fullA, fullB, 0, s.gridPoints());
    Optional<double[]> gridY = grid(fullA, fullB, 1, s.gridPoints());
    double[] estimate = stats(fullA, fullB, gridX, gridY, null);
    Random rng = new Random(s.seed());
    double[][] reps = new double[2][s.replicates()];
    int[] w = new int[n];
    int[] seedCount = new int[k];
    for (int r = 0; r < s.replicates(); r++) {
      Arrays.fill(w, 0);
      for (int i = 0; i < n; i++) {
        w[rng.nextInt(n)]++;
      }
      Arrays.fill(seedCount, 0);
      if (s.resampleSeeds() && k > 1) {
        for (int j = 0; j < k; j++) {
          seedCount[rng.nextInt(k)]++;
        }
      } else {
        Arrays.fill(seedCount, 1);
      }
      double[][][] ra = new double[k][][];
      double[][][] rb = new double[k][][];
      for (int j = 0; j < k; j++) {
        if (seedCount[j] > 0) {
          ra[j] = points(pa.get(j), w, referenceMacs);
          rb[j] = points(pb.get(j), w, referenceMacs);
        }
      }
      double[] st = stats(ra, rb, gridX, gridY, seedCount);
      reps[0][r] = st[0];
      reps[1][r] = st[1];
    }
    Optional<Interval> acc = gridX.map(g -> interval(estimate[0], reps[0], g[0], g[g.length - 1]));
    Optional<Interval> mac = gridY.map(g -> interval(estimate[1], reps[1], g[0], g[g.length - 1]));
    String accVerdict =
        acc.map(
                i ->
                    i.low() > 0
                        ? nameA + " more accurate at equal MACs"
                        : i.high() < 0
                            ? nameB + " more accurate at equal MACs"
                            : "no measurable difference")
            .orElse("not comparable: the curves share no MAC range");
    String macVerdict =
        mac.map(
                i ->
                    i.high() < 0
                        ? nameA + " cheaper at equal accuracy"
                        : i.low() > 0
                            ? nameB + " cheaper at equal accuracy"
                            : "no measurable difference")
            .orElse("not comparable: the curves share no accuracy range");
    return new Result(nameA, nameB, seeds, acc, mac, accVerdict, macVerdict);
  }

  private static List<Outcomes> concat(List<Outcomes> a, List<Outcomes> b) {
    List<Outcomes> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Evenly spaced points over the range every curve covers on axis {@code axis} (0 = x). */
  private static Optional<double[]> grid(double[][][] a, double[][][] b, int axis, int points) {
    double lo = Double.NEGATIVE_INFINITY;
    double hi = Double.POSITIVE_INFINITY;
    for (double[][][] group : List.of(a, b)) {
      for (double[][] run : group) {
        double[] v = run[axis];
        lo = Math.max(lo, Arrays.stream(v).min().orElseThrow());
        hi = Math.min(hi, Arrays.stream(v).max().orElseThrow());
      }
    }
    if (lo > hi + 1e-12) {
      return Optional.empty();
    }
    double[] g = new double[points];
    for (int i = 0; i < points; i++) {
      g[i] = points == 1 ? (lo + hi) / 2 : lo + (hi - lo) * i / (points - 1);
    }
    return Optional.of(g);
  }

  /** {(a), (b)} averaged over seeds, each seed weighted by {@code seedCount} (null: 1 each). */
  private static double[] stats(
      double[][][] a,
      double[][][] b,
      Optional<double[]> gridX,
      Optional<double[]> gridY,
      int[] seedCount) {
    double accSum = 0;
    double macSum = 0;
    int total = 0;
    for (int j = 0; j < a.length; j++) {
      int c = seedCount == null ? 1 : seedCount[j];
      if (c == 0) {
        continue;
      }
      total += c;
      if (gridX.isPresent()) {
        Curve ca = new Curve(a[j][0], a[j][1]);
        Curve cb = new Curve(b[j][0], b[j][1]);
        accSum += c * meanDiff(ca, cb, gridX.get());
      }
      if (gridY.isPresent()) {
        Curve ca = new Curve(a[j][1], a[j][0]);
        Curve cb = new Curve(b[j][1], b[j][0]);
        macSum += c * meanDiff(ca, cb, gridY.get());
      }
    }
    return new double[] {accSum / total, macSum / total};
  }

  private static double meanDiff(Curve a, Curve b, double[] grid) {
    double sum = 0;
    for (double g : grid) {
      sum += a.at(g) - b.at(g);
    }
    return sum / grid.length;
  }

  private static Interval interval(double estimate, double[] reps, double from, double to) {
    double[] sorted = reps.clone();
    Arrays.sort(sorted);
    return new Interval(estimate, percentile(sorted, 0.025), percentile(sorted, 0.975), from, to);
  }

  /** Linear-interpolated percentile of sorted values. */
  static double percentile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
