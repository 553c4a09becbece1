package dev.offramp.runtime.budget;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the controller knows about the running pipeline, learned from results. Two kinds of
 * knowledge are kept apart, because a change of load makes old timings stale but not old work:
 *
 * <ul>
 *   <li>load-dependent, global, recent: time and energy per frame as a line in the MACs the frame
 *       executed ({@link DecayingFit}), the time spent after classification (publishing), and the
 *       observed frame rate;
 *   <li>load-independent, per profile: the MACs its frames execute (mean and 95th percentile over
 *       its last {@value #WINDOW} frames). Before a profile has been observed its MACs come from
 *       the manifest's {@code macs_fraction}, scaled from a profile that has been.
 * </ul>
 *
 * <p>Thread-safe: {@link #add} runs on the pipeline thread, {@link #estimate} on the controller's.
 */
public final class Measurements {
  /** Frames kept per profile for its MACs distribution. */
  static final int WINDOW = 256;

  /** Frames of a profile needed before its own MACs replace the manifest prior. */
  static final int MIN_OBSERVED = 20;

  private static final long RATE_WINDOW_NANOS = 2_000_000_000L;

  private final Map<String, Double> macsFraction;
  private final Map<String, MacsWindow> perProfile = new HashMap<>();
  private final DecayingFit timeFit = new DecayingFit(0.05);
  private final DecayingFit energyFit = new DecayingFit(0.05);
  private final long[] arrivals = new long[512];
  private int arrivalCount;
  private int arrivalNext;
  private long frames;
  private double overheadMs;
  private boolean overheadSeen;

  /**
   * @param macsFraction each profile's expected MACs fraction from the manifest, the prior
   */
  public Measurements(Map<String, Double> macsFraction) {
    this.macsFraction = Map.copyOf(macsFraction);
    for (String p : this.macsFraction.keySet()) {
      perProfile.put(p, new MacsWindow());
    }
  }

  /**
   * One classified frame.
   *
   * @param profile the profile it ran under
   * @param macs MACs it executed
   * @param frameMs its processing time (preprocessing and inference)
   * @param energyMj energy attributed to it
   * @param nanos when it finished, {@link System#nanoTime()} clock
   */
  public synchronized void add(
      String profile, long macs, double frameMs, double energyMj, long nanos) {
    MacsWindow w = perProfile.get(profile);
    if (w == null) {
      return; // not a profile of this bundle
    }
    w.add(macs);
    timeFit.add(macs, frameMs);
    energyFit.add(macs, energyMj);
    arrivals[arrivalNext] = nanos;
    arrivalNext = (arrivalNext + 1) % arrivals.length;
    arrivalCount = Math.min(arrivalCount + 1, arrivals.length);
    frames++;
  }

  /**
   * Time the pipeline thread spent on a frame after classifying it (handing the result to the
   * sinks: MQTT, the event stream), which every profile pays alike; averaged like the timings.
   */
  public synchronized void addOverhead(double ms) {
    overheadMs = overheadSeen ? overheadMs * 0.95 + ms * 0.05 : ms;
    overheadSeen = true;
  }

  /** Frames seen so far. */
  public synchronized long frames() {
    return frames;
  }

  /** Frames seen under {@code profile}. */
  public synchronized long frames(String profile) {
    MacsWindow w = perProfile.get(profile);
    return w == null ? 0 : w.total;
  }

  /** Results per second over the last two seconds before {@code now}; 0 with fewer than two. */
  public synchronized double observedFps(long now) {
    int n = 0;
    long oldest = Long.MAX_VALUE;
    long newest = Long.MIN_VALUE;
    for (int i = 0; i < arrivalCount; i++) {
      long t = arrivals[i];
      if (now - t <= RATE_WINDOW_NANOS) {
        n++;
        oldest = Math.min(oldest, t);
        newest = Math.max(newest, t);
      }
    }
    if (n < 2 || newest <= oldest) {
      return 0;
    }
    return (n - 1) * 1e9 / (newest - oldest);
  }

  /**
   * What {@code profile} would do under the current load, or the measured values when it is the one
   * running.
   *
   * @param now the {@link System#nanoTime()} clock, for the observed frame rate
   */
  public synchronized Estimate estimate(String profile, long now) {
    Objects.requireNonNull(profile, "profile");
    MacsWindow w = perProfile.get(profile);
    if (w == null) {
      throw new IllegalArgumentException(
          "profile: expected one of " + perProfile.keySet() + "; found '" + profile + "'");
    }
    double mean;
    double p95;
    boolean observed = w.size >= MIN_OBSERVED;
    if (observed) {
      mean = w.mean();
      p95 = w.quantile(0.95);
    } else {
      double[] scaled = scaledFromObserved(profile);
      mean = scaled[0];
      p95 = scaled[1];
    }
    double frameMs = timeFit.predict(mean);
    double fps = observedFps(now);
    double cycleMs = frameMs + overheadMs;
    double capacity = cycleMs > 0 ? 1000 / cycleMs : Double.POSITIVE_INFINITY;
    double rate = fps > 0 ? Math.min(fps, capacity) : 0;
    double watts = energyFit.predict(mean) / 1000 * rate;
    return new Estimate(profile, observed, mean, frameMs, capacity, timeFit.predict(p95), watts);
  }

  /** Mean and p95 MACs for an unobserved profile: the best-observed profile's, scaled. */
  private double[] scaledFromObserved(String profile) {
    String best = null;
    for (Map.Entry<String, MacsWindow> e : perProfile.entrySet()) {
      if (e.getValue().size > 0
          && (best == null || e.getValue().size > perProfile.get(best).size)) {
        best = e.getKey();
      }
    }
    if (best == null || macsFraction.get(best) <= 0) {
      return new double[] {0, 0};
    }
    double ratio = macsFraction.get(profile) / macsFraction.get(best);
    MacsWindow w = perProfile.get(best);
    return new double[] {w.mean() * ratio, w.quantile(0.95) * ratio};
  }

  /**
   * A profile's predicted behaviour.
   *
   * @param profile the profile
   * @param observed whether its MACs were measured (else scaled from the manifest's prior)
   * @param macs mean MACs per frame
   * @param frameMs mean processing time per frame
   * @param capacityFps frames per second the pipeline thread can carry with it, {@code 1000 /
   *     (frameMs + publishing time)}
   * @param latencyP95Ms 95th percentile of processing time
   * @param watts power at the observed frame rate (capped by capacity)
   */
  public record Estimate(
      String profile,
      boolean observed,
      double macs,
      double frameMs,
      double capacityFps,
      double latencyP95Ms,
      double watts) {}

  private static final class MacsWindow {
    private final long[] values = new long[WINDOW];
    private int size;
    private int next;
    private long total;

    void add(long macs) {
      values[next] = macs;
      next = (next + 1) % WINDOW;
      size = Math.min(size + 1, WINDOW);
      total++;
    }

    double mean() {
      if (size == 0) {
        return 0;
      }
      double s = 0;
      for (int i = 0; i < size; i++) {
        s += values[i];
      }
      return s / size;
    }

    double quantile(double q) {
      if (size == 0) {
        return 0;
      }
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return sorted[Math.min(size - 1, (int) Math.ceil(q * size) - 1)];
    }
  }
}
