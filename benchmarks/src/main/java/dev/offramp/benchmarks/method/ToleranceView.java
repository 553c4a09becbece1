package dev.offramp.benchmarks.method;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The method comparison's secondary view, beside {@link PairedBootstrap}'s curve comparison: per
 * margin profile present in every run of both schemes, the seed-mean differences and a verdict
 * under stated tolerances. Stateless.
 */
public final class ToleranceView {
  private ToleranceView() {}

  /**
   * The secondary view: per margin profile present in every run of both schemes, the seed-mean
   * differences A − B of accuracy (points) and MAC fraction, and a verdict with tolerances.
   *
   * @param accuracyTolerance points within which accuracies count as equal
   * @param macsTolerance MAC fraction within which costs count as equal
   */
  public static List<Map<String, Object>> rows(
      String nameA,
      List<Outcomes> runsA,
      String nameB,
      List<Outcomes> runsB,
      double referenceMacs,
      double accuracyTolerance,
      double macsTolerance) {
    Map<Long, Outcomes> a = PairedBootstrap.bySeed(nameA, runsA);
    Map<Long, Outcomes> b = PairedBootstrap.bySeed(nameB, runsB);
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Outcomes.Profile> first = PairedBootstrap.curveProfiles(a.values().iterator().next());
    for (Outcomes.Profile p : first) {
      double dAcc = 0;
      double dMac = 0;
      int count = 0;
      boolean everywhere = true;
      for (Map.Entry<Long, Outcomes> e : a.entrySet()) {
        Outcomes ra = e.getValue();
        Outcomes rb = b.get(e.getKey());
        if (rb == null) {
          everywhere = false;
          break;
        }
        Optional<double[]> va = single(ra, p.name(), referenceMacs);
        Optional<double[]> vb = single(rb, p.name(), referenceMacs);
        if (va.isEmpty() || vb.isEmpty()) {
          everywhere = false;
          break;
        }
        dMac += va.get()[0] - vb.get()[0];
        dAcc += va.get()[1] - vb.get()[1];
        count++;
      }
      if (!everywhere || count == 0) {
        continue;
      }
      dAcc /= count;
      dMac /= count;
      boolean accTie = Math.abs(dAcc) <= accuracyTolerance;
      boolean macTie = Math.abs(dMac) <= macsTolerance;
      String verdict;
      if (accTie && macTie) {
        verdict = "tie";
      } else if (dAcc >= -accuracyTolerance && dMac <= macsTolerance) {
        verdict = nameA + " better";
      } else if (dAcc <= accuracyTolerance && dMac >= -macsTolerance) {
        verdict = nameB + " better";
      } else {
        verdict = "neither";
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("profile", p.name());
      row.put("margin", p.margin());
      row.put("seeds", count);
      row.put("accuracy_difference_points", dAcc);
      row.put("macs_fraction_difference", dMac);
      row.put("verdict", verdict);
      rows.add(row);
    }
    return rows;
  }

  private static Optional<double[]> single(Outcomes run, String profile, double referenceMacs) {
    for (Outcomes.Profile p : run.profiles()) {
      if (p.name().equals(profile)) {
        Outcomes one =
            new Outcomes(
                run.source(),
                run.seed(),
                run.splitSha256(),
                run.backboneMacs(),
                run.macsThrough(),
                List.of(p));
        double[][] pts = PairedBootstrap.points(one, null, referenceMacs);
        return Optional.of(new double[] {pts[0][0], pts[1][0]});
      }
    }
    return Optional.empty();
  }
}
