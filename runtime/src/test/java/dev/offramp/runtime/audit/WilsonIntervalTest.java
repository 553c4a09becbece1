package dev.offramp.runtime.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WilsonIntervalTest {
  /** Published 95% Wilson intervals (Newcombe 1998, Table I; and the textbook 5 of 10). */
  @ParameterizedTest(name = "{0} of {1}")
  @CsvSource({
    "81, 263, 0.2553, 0.3662",
    "15, 148, 0.0624, 0.1605",
    "0, 20, 0.0000, 0.1611",
    "1, 29, 0.0061, 0.1718",
    "5, 10, 0.2366, 0.7634"
  })
  void matchesPublishedIntervals(long k, long n, double low, double high) {
    WilsonInterval w = WilsonInterval.of95(k, n);
    assertEquals(low, w.low(), 5e-5);
    assertEquals(high, w.high(), 5e-5);
  }

  @Test
  void allSuccessesReachOneAndNoTrialsGiveTheWholeRange() {
    WilsonInterval all = WilsonInterval.of95(10, 10);
    assertEquals(1.0, all.high(), 1e-12);
    assertEquals(0.7225, all.low(), 5e-5);
    WilsonInterval none = WilsonInterval.of95(0, 0);
    assertEquals(0.0, none.low());
    assertEquals(1.0, none.high());
  }

  @Test
  void narrowsAsSamplesGrow() {
    WilsonInterval small = WilsonInterval.of95(9, 10);
    WilsonInterval large = WilsonInterval.of95(900, 1000);
    assertTrue(large.high() - large.low() < small.high() - small.low());
    assertTrue(large.low() < 0.9 && large.high() > 0.9);
  }

  @Test
  void impossibleCountsAreRefusedSayingWhatIsExpected() {
    var e = assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of95(11, 10));
    assertTrue(e.getMessage().contains("expected 0 <= successes <= n"), e.getMessage());
  }
}
