package dev.offramp.benchmarks.e2e;

import java.util.Arrays;

/**
 * Summary of per-frame wall latencies. Percentiles use the nearest-rank definition: the p-th
 * percentile of n sorted values is the value at rank ⌈p/100 · n⌉ (1-based), i.e. the smallest
 * observed value with at least p% of the observations at or below it; never an interpolation, so
 * every reported percentile is a latency that actually happened.
 *
 * @param count frames
 * @param meanMs arithmetic mean, ms
 * @param p50Ms median (nearest rank), ms
 * @param p90Ms 90th percentile, ms
 * @param p99Ms 99th percentile, ms
 * @param minMs fastest frame, ms
 * @param maxMs slowest frame, ms
 */
public record LatencyStats(
    int count,
    double meanMs,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double minMs,
    double maxMs) {

  /** Summarises {@code nanos} (not modified). */
  public static LatencyStats of(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("latency: expected at least one measured frame, found 0");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    return new LatencyStats(
        sorted.length,
        sum / sorted.length / 1e6,
        percentile(sorted, 50) / 1e6,
        percentile(sorted, 90) / 1e6,
        percentile(sorted, 99) / 1e6,
        sorted[0] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }

  /** Nearest-rank percentile of ascending {@code sorted}, {@code 0 < p ≤ 100}. */
  public static long percentile(long[] sorted, double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile: expected 0 < p <= 100, found " + p);
    }
    if (sorted.length == 0) {
      throw new IllegalArgumentException("percentile of no values");
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  /** Frames per second when frames run back to back at this mean latency. */
  public double throughputFps() {
    return 1000.0 / meanMs;
  }
}
