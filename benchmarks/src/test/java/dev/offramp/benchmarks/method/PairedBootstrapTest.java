package dev.offramp.benchmarks.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
  private static final PairedBootstrap.Settings S = new PairedBootstrap.Settings(300, 5, 11, true);

  @Test
  void identicalSchemesGiveIntervalsContainingZero() {
    PairedBootstrap.Result r = compare("a", 0.9, "b", 0.9);
    PairedBootstrap.Interval acc = r.accuracyAtEqualMacs().orElseThrow();
    PairedBootstrap.Interval mac = r.macsAtEqualAccuracy().orElseThrow();
    assertFalse(acc.excludesZero());
    assertFalse(mac.excludesZero());
    assertEquals(0, acc.estimate(), 1e-12);
    assertEquals("no measurable difference", r.accuracyVerdict());
    assertEquals("no measurable difference", r.macsVerdict());
  }

  @Test
  void sameSkillWithDifferentTrainingNoiseIsNotCalledAWin() {
    PairedBootstrap.Result r =
        compare(
            "a",
            SyntheticRuns.runs("a", 0.9, 1, 2, 3, 4, 5),
            "b",
            SyntheticRuns.runs("b", 0.9, 11, 12, 13, 14, 15).stream()
                .map(o -> relabel(o, o.seed() - 10))
                .toList());
    assertFalse(r.accuracyAtEqualMacs().orElseThrow().excludesZero(), r.toString());
  }

  @Test
  void aClearlyBetterCurveWinsOnBothStatistics() {
    PairedBootstrap.Result r = compare("good", 0.97, "poor", 0.90);
    PairedBootstrap.Interval acc = r.accuracyAtEqualMacs().orElseThrow();
    PairedBootstrap.Interval mac = r.macsAtEqualAccuracy().orElseThrow();
    assertTrue(acc.low() > 0, acc.toString());
    assertTrue(mac.high() < 0, mac.toString());
    assertEquals("good more accurate at equal MACs", r.accuracyVerdict());
    assertEquals("good cheaper at equal accuracy", r.macsVerdict());
    // Swapping the schemes mirrors the estimate.
    PairedBootstrap.Result back = compare("poor", 0.90, "good", 0.97);
    assertEquals(-acc.estimate(), back.accuracyAtEqualMacs().orElseThrow().estimate(), 1e-9);
    assertEquals("good more accurate at equal MACs", back.accuracyVerdict());
  }

  @Test
  void estimateOfTheAccuracyGapMatchesItsConstruction() {
    // At equal exits, an early answer loses (skill_a − skill_b) of the backbone-correct images.
    PairedBootstrap.Result r =
        PairedBootstrap.compare(
            "good",
            SyntheticRuns.runs("good", 1.0, 1),
            "poor",
            SyntheticRuns.runs("poor", 0.9, 1),
            1000,
            new PairedBootstrap.Settings(100, 1, 11, false));
    PairedBootstrap.Interval acc = r.accuracyAtEqualMacs().orElseThrow();
    assertTrue(acc.estimate() > 0.5 && acc.estimate() < 6, acc.toString());
    assertTrue(acc.low() <= acc.estimate() && acc.estimate() <= acc.high(), acc.toString());
  }

  @Test
  void runsOnDifferentTestImagesOrSeedsAreRefused() {
    List<Outcomes> a = SyntheticRuns.runs("a", 0.9, 1, 2);
    IllegalArgumentException seeds =
        assertThrows(
            IllegalArgumentException.class,
            () -> compare("a", a, "b", SyntheticRuns.runs("b", 0.9, 1, 3)));
    assertTrue(seeds.getMessage().contains("expected the same seeds in both"), seeds.getMessage());
    Outcomes other = SyntheticRuns.run("b", 0.9, 1);
    Outcomes moved =
        new Outcomes("b/1.json", 1, "another-split", 1000, other.macsThrough(), other.profiles());
    IllegalArgumentException split =
        assertThrows(
            IllegalArgumentException.class,
            () -> compare("a", SyntheticRuns.runs("a", 0.9, 1), "b", List.of(moved)));
    assertTrue(split.getMessage().contains("needs every run on the same test images"));
  }

  @Test
  void toleranceViewCallsSmallGapsTies() {
    List<java.util.Map<String, Object>> rows =
        ToleranceView.rows(
            "a",
            SyntheticRuns.runs("a", 0.9, 1, 2),
            "b",
            SyntheticRuns.runs("b", 0.9, 1, 2),
            1000,
            0.2,
            0.005);
    assertEquals(SyntheticRuns.MARGINS, rows.size());
    assertTrue(rows.stream().allMatch(r -> r.get("verdict").equals("tie")));
  }

  /** Scheme {@code a} against {@code b}, each of the given skill, on seeds 1, 2 and 3. */
  private static PairedBootstrap.Result compare(String a, double skillA, String b, double skillB) {
    return compare(
        a, SyntheticRuns.runs(a, skillA, 1, 2, 3), b, SyntheticRuns.runs(b, skillB, 1, 2, 3));
  }

  /** {@code a}'s runs against {@code b}'s, reference 1000 MACs, settings {@link #S}. */
  private static PairedBootstrap.Result compare(
      String a, List<Outcomes> runsA, String b, List<Outcomes> runsB) {
    return PairedBootstrap.compare(a, runsA, b, runsB, 1000, S);
  }

  private static Outcomes relabel(Outcomes o, long seed) {
    return new Outcomes(
        o.source(), seed, o.splitSha256(), o.backboneMacs(), o.macsThrough(), o.profiles());
  }
}
