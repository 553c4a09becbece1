package dev.offramp.benchmarks.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyStatsTest {
  @ParameterizedTest(name = "n={0}: p50={1} p90={2} p99={3}")
  @CsvSource({"100, 50, 90, 99", "1000, 500, 900, 990", "10, 5, 9, 10", "1, 1, 1, 1", "3, 2, 3, 3"})
  void nearestRankPercentilesOfOneToN(int n, long p50, long p90, long p99) {
    long[] ms = LongStream.rangeClosed(1, n).map(v -> v * 1_000_000).toArray();
    LatencyStats s = LatencyStats.of(ms);
    assertEquals(p50, s.p50Ms(), 1e-9);
    assertEquals(p90, s.p90Ms(), 1e-9);
    assertEquals(p99, s.p99Ms(), 1e-9);
    assertEquals((n + 1) / 2.0, s.meanMs(), 1e-9);
    assertEquals(1, s.minMs(), 1e-9);
    assertEquals(n, s.maxMs(), 1e-9);
  }

  @Test
  void percentilesIgnoreInputOrderAndReportObservedValues() {
    long[] shuffled = {7_000_000, 1_000_000, 100_000_000, 3_000_000, 5_000_000};
    LatencyStats s = LatencyStats.of(shuffled);
    assertEquals(5, s.p50Ms(), 1e-9);
    assertEquals(100, s.p99Ms(), 1e-9);
    assertEquals(23.2, s.meanMs(), 1e-9);
    assertEquals(1000 / 23.2, s.throughputFps(), 1e-9);
    assertEquals(7_000_000, shuffled[0], "the input array is not sorted in place");
  }

  @Test
  void refusesAnEmptyMeasurement() {
    assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(new long[0]));
  }
}
