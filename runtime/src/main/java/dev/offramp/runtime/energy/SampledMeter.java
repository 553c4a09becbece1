package dev.offramp.runtime.energy;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A measuring meter: a background thread reads the board at {@code sample-interval} and keeps a
 * ring of cumulative-energy samples; a frame gets the energy between its start and end, linearly
 * interpolated between samples and extrapolated at the latest power past the newest one. Reading
 * per frame would cost a sysfs read or a process start per frame; sampling keeps the pipeline
 * thread free of I/O.
 *
 * <p>The energy attributed is the whole board's (or package's) over the frame's interval, idle
 * included, the same quantity the model estimates. Thread-safe: the sampler writes, the pipeline
 * reads, under this object's lock. {@link #close()} stops the sampler; idempotent.
 */
abstract class SampledMeter implements EnergyMeter {
  private static final System.Logger LOG = System.getLogger(SampledMeter.class.getName());
  private static final int RING = 256;

  private final String method;
  private final long[] times = new long[RING];
  private final double[] joules = new double[RING];
  private int count;
  private int head; // index of the newest sample
  private double watts;
  private boolean failing;
  private ScheduledExecutorService sampler;

  SampledMeter(String method) {
    this.method = method;
  }

  /** Reads the source once: cumulative joules (counters) or the integral of power (gauges). */
  abstract double readCumulativeJoules(long nanos);

  /** Starts sampling on a daemon thread; the first sample is taken now, on the caller. */
  final SampledMeter start(Duration interval) {
    sample(System.nanoTime());
    sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "offramp-energy-" + method);
              t.setDaemon(true);
              return t;
            });
    long ns = interval.toNanos();
    sampler.scheduleAtFixedRate(this::sampleSafely, ns, ns, TimeUnit.NANOSECONDS);
    return this;
  }

  private void sampleSafely() {
    try {
      sample(System.nanoTime());
      failing = false;
    } catch (RuntimeException e) {
      if (!failing) {
        LOG.log(
            Level.WARNING,
            "energy meter {0}: reading failed, keeping the last power: {1}",
            method,
            e.getMessage());
      }
      failing = true;
    }
  }

  /** Takes one sample at {@code nanos}; tests call it directly. */
  final void sample(long nanos) {
    double j = readCumulativeJoules(nanos);
    synchronized (this) {
      if (count > 0) {
        long dt = nanos - times[head];
        if (dt <= 0) {
          return;
        }
        watts = (j - joules[head]) / (dt / 1e9);
      }
      head = (head + 1) % RING;
      times[head] = nanos;
      joules[head] = j;
      count = Math.min(count + 1, RING);
    }
  }

  /** Cumulative energy at {@code t}, interpolated between samples. Caller holds the lock. */
  private double energyAt(long t) {
    if (t - times[head] >= 0) {
      return joules[head] + watts * ((t - times[head]) / 1e9);
    }
    int i = head;
    for (int k = 1; k < count; k++) {
      int prev = (i - 1 + RING) % RING;
      if (t - times[prev] >= 0) {
        double f = (double) (t - times[prev]) / (times[i] - times[prev]);
        return joules[prev] + f * (joules[i] - joules[prev]);
      }
      i = prev;
    }
    // Older than the ring: extrapolate back from the oldest sample at the current power.
    return joules[i] - watts * ((times[i] - t) / 1e9);
  }

  @Override
  public final String method() {
    return method;
  }

  @Override
  public final synchronized double frameJoules(long startNanos, long endNanos, long macs) {
    if (count == 0 || endNanos - startNanos <= 0) {
      return 0;
    }
    return Math.max(0, energyAt(endNanos) - energyAt(startNanos));
  }

  @Override
  public final synchronized double watts() {
    return watts;
  }

  @Override
  public void close() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
  }
}
