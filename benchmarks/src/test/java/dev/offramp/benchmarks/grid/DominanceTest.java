package dev.offramp.benchmarks.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.offramp.benchmarks.grid.Dominance.Point;
import dev.offramp.benchmarks.grid.Dominance.Winner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DominanceTest {
  private static final Dominance D = new Dominance(0.002, 0.005);

  @ParameterizedTest(name = "boosted ({0}, {1}) vs baseline ({2}, {3}) -> {4}")
  @CsvSource({
    // higher accuracy, lower MACs: boosted dominates
    "0.920, 0.50, 0.910, 0.60, BOOSTED",
    // equal accuracy (within tolerance), strictly lower MACs
    "0.9101, 0.50, 0.910, 0.60, BOOSTED",
    // higher accuracy, equal MACs (within tolerance)
    "0.915, 0.603, 0.910, 0.600, BOOSTED",
    // mirror images: baseline dominates
    "0.910, 0.60, 0.920, 0.50, BASELINE",
    "0.905, 0.60, 0.910, 0.60, BASELINE",
    // both differences inside the tolerances
    "0.9105, 0.603, 0.910, 0.600, TIE",
    "0.910, 0.600, 0.910, 0.600, TIE",
    // differences of exactly the tolerance are still equal
    "0.912, 0.605, 0.910, 0.600, TIE",
    // trade-offs
    "0.920, 0.70, 0.910, 0.60, NEITHER",
    "0.900, 0.50, 0.910, 0.60, NEITHER"
  })
  void classifiesTheWinnerByDominanceWithTolerances(
      double ba, double bm, double aa, double am, Winner expected) {
    assertEquals(expected, D.winner(new Point(ba, bm), new Point(aa, am)));
  }

  @Test
  void withoutToleranceAnyStrictGainOnOneAxisAtEqualOtherWins() {
    Dominance exact = new Dominance(0, 0);
    assertEquals(Winner.BOOSTED, exact.winner(new Point(0.9, 0.5), new Point(0.9, 0.5001)));
    assertEquals(Winner.TIE, exact.winner(new Point(0.9, 0.5), new Point(0.9, 0.5)));
  }

  @Test
  void refusesNegativeTolerances() {
    assertThrows(IllegalArgumentException.class, () -> new Dominance(-0.1, 0));
  }
}
