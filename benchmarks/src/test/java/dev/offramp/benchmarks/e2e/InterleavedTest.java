package dev.offramp.benchmarks.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.benchmarks.energy.EnergyCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InterleavedTest {
  /** A fake clock that variants advance by a known cost per call. */
  static final class FakeClock {
    long now;
    double joules;
  }

  /** Costs {@code costs[i % costs.length]} ms on sample i; answers {@code answer}. */
  record FakeVariant(
      String name,
      FakeClock clock,
      long[] costsMs,
      int answer,
      long macs,
      int stage,
      List<String> log)
      implements Variant {
    @Override
    public int classify(float[] input) {
      int i = (int) input[0];
      clock.now += costsMs[i % costsMs.length] * 1_000_000;
      clock.joules += 0.5;
      log.add(name + i);
      return answer;
    }

    @Override
    public long lastMacs() {
      return macs;
    }

    @Override
    public int lastExitStage() {
      return stage;
    }
  }

  private static Interleaved.Samples samples(int n, int label) {
    return new Interleaved.Samples() {
      @Override
      public int size() {
        return n;
      }

      @Override
      public float[] input(int i) {
        return new float[] {i};
      }

      @Override
      public int label(int i) {
        return label;
      }
    };
  }

  @Test
  void eachVariantGetsItsOwnLatenciesAndPercentilesFromKnownCosts() {
    FakeClock clock = new FakeClock();
    List<String> log = new ArrayList<>();
    long[] slow = new long[100];
    for (int i = 0; i < 100; i++) {
      slow[i] = i + 1; // sample i costs i+1 ms
    }
    List<Variant> vs =
        List.of(
            new FakeVariant("a", clock, slow, 3, 1000, 0, log),
            new FakeVariant("b", clock, new long[] {2}, 4, 250, 1, log));
    List<Interleaved.Tally> t =
        Interleaved.run(vs, samples(100, 3), 0, () -> clock.now, Optional.empty(), 2);
    LatencyStats a = LatencyStats.of(t.get(0).nanos());
    assertEquals(50, a.p50Ms(), 1e-9);
    assertEquals(99, a.p99Ms(), 1e-9);
    assertEquals(50.5, a.meanMs(), 1e-9);
    LatencyStats b = LatencyStats.of(t.get(1).nanos());
    assertEquals(2, b.p50Ms(), 1e-9);
    assertEquals(2, b.p99Ms(), 1e-9);
    assertEquals(1.0, t.get(0).accuracy());
    assertEquals(0.0, t.get(1).accuracy());
    assertEquals(250.0, t.get(1).meanMacs());
    assertEquals(List.of(0, 100), t.get(1).exits());
    assertTrue(t.get(0).joules().isEmpty());
  }

  @Test
  void runsRoundRobinWithTheFirstVariantRotatingPerSampleAfterAnUnrecordedWarmup() {
    FakeClock clock = new FakeClock();
    List<String> log = new ArrayList<>();
    List<Variant> vs =
        List.of(
            new FakeVariant("a", clock, new long[] {1}, 0, 1, 0, log),
            new FakeVariant("b", clock, new long[] {1}, 0, 1, 0, log),
            new FakeVariant("c", clock, new long[] {1}, 0, 1, 0, log));
    List<Interleaved.Tally> t =
        Interleaved.run(vs, samples(3, 0), 2, () -> clock.now, Optional.empty(), 1);
    assertEquals(
        List.of(
            "a0", "b0", "c0", "b1", "c1", "a1", // warm-up: samples 0 and 1
            "a0", "b0", "c0", "b1", "c1", "a1", "c2", "a2", "b2"),
        log);
    assertEquals(3, t.get(0).frames(), "warm-up calls are not recorded");
  }

  @Test
  void attributesTheMetersDeltaAroundEachCallToThatVariant() {
    FakeClock clock = new FakeClock();
    List<Variant> vs =
        List.of(new FakeVariant("a", clock, new long[] {1}, 0, 1, 0, new ArrayList<>()));
    EnergyCounter meter =
        new EnergyCounter() {
          @Override
          public String method() {
            return "fake";
          }

          @Override
          public double joules() {
            return clock.joules;
          }
        };
    List<Interleaved.Tally> t =
        Interleaved.run(vs, samples(4, 0), 0, () -> clock.now, Optional.of(meter), 1);
    assertEquals(2.0, t.get(0).joules().orElseThrow(), 1e-12);
  }
}
