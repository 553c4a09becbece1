package dev.offramp.runtime.budget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.bundle.Profile;
import dev.offramp.runtime.budget.Measurements.Estimate;
import dev.offramp.runtime.control.ControlHub;
import dev.offramp.runtime.control.ControlListener;
import dev.offramp.runtime.pipeline.ResultEvent;
import dev.offramp.runtime.pipeline.ResultSink;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Budget mode at run time: learns from every result ({@link ResultSink}, pipeline thread), decides
 * every {@code budget.interval} on its own thread ({@code offramp-budget}), applies a switch
 * through the {@link ControlHub} as {@link ControlHub.Origin#BUDGET}, and shows each decision with
 * its reason as {@code budget} (MQTT retained {@code state/budget}, HTTP {@code /api/status}). A
 * manual profile set suspends it (the hub turns budget mode off); turning budget mode on again
 * resumes it at once, without waiting out the dwell time.
 *
 * <p>Owns its thread; {@link #close()} stops it.
 */
public final class BudgetController implements ResultSink, ControlListener, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BudgetController.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Frames needed after a switch (or at start) before the next decision. */
  static final int MIN_FRAMES = 10;

  private final BudgetSettings settings;
  private final ControlHub hub;
  private final Measurements measurements;
  private final BudgetPolicy policy;
  private final LongSupplier clock;
  private final ScheduledExecutorService thread;
  private final Object lock = new Object();
  private long lastSwitchNanos;
  private long framesAtSwitch;
  private volatile boolean resumed = true;
  private final AtomicLong switches = new AtomicLong();
  private volatile Map<String, Object> latest = Map.of();
  private long acceptedNanos; // pipeline thread only

  /**
   * A sink to add after every other: it measures the time the pipeline thread spends handing a
   * result to the sinks after this controller, which limits the frame rate as much as inference.
   */
  public ResultSink endOfFrame() {
    return e -> measurements.addOverhead((clock.getAsLong() - acceptedNanos) / 1e6);
  }

  BudgetController(BudgetSettings settings, Manifest manifest, ControlHub hub, LongSupplier clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.hub = Objects.requireNonNull(hub, "hub");
    this.clock = clock;
    Map<String, Double> prior = new LinkedHashMap<>();
    for (Profile p : manifest.profiles().values()) {
      prior.put(p.name(), p.expected().macsFraction());
    }
    this.measurements = new Measurements(prior);
    this.policy = new BudgetPolicy(settings, Candidate.of(manifest));
    this.lastSwitchNanos = clock.getAsLong();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "offramp-budget");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the controller when {@code settings} set a limit: registers with the hub (which turns
   * budget mode on) and decides every {@code interval}.
   *
   * @return the running controller, or null when no budget is configured
   */
  public static BudgetController start(BudgetSettings settings, Manifest manifest, ControlHub hub) {
    if (!settings.enabled()) {
      return null;
    }
    BudgetController c = new BudgetController(settings, manifest, hub, System::nanoTime);
    hub.offerBudget();
    hub.addListener(c);
    c.show(null, "started: waiting for " + MIN_FRAMES + " frames to measure " + hub.profile());
    long ms = settings.interval().toMillis();
    c.thread.scheduleWithFixedDelay(c::tickSafely, ms, ms, TimeUnit.MILLISECONDS);
    LOG.log(Level.INFO, "budget mode on: {0}", c.targetMap());
    return c;
  }

  @Override
  public void accept(ResultEvent e) {
    acceptedNanos = clock.getAsLong();
    measurements.add(
        e.profile(), e.macs(), e.preprocessMs() + e.inferenceMs(), e.energyMj(), clock.getAsLong());
  }

  /**
   * Learns that budget mode was switched off (a manual set) or on. Runs inside the hub's lock, so
   * it takes no lock of its own (a decision holds this controller's lock while it calls the hub).
   */
  @Override
  public void applied(String name, String value) {
    if (!name.equals("budget-mode")) {
      return;
    }
    if (value.equals("on")) {
      resumed = true;
      show(null, "resumed: budget mode turned on; deciding at the next interval");
    } else {
      show(
          null,
          "suspended: the profile was set by hand or budget mode turned off; turn budget mode on"
              + " (set/budget on, PUT /api/budget on) to resume");
    }
  }

  /** The measurements the controller decides on (tests feed and read them). */
  Measurements measurements() {
    return measurements;
  }

  /** Switches made so far. */
  public long switches() {
    return switches.get();
  }

  /** The latest decision as shown on {@code state/budget}, for {@code /api/status}. */
  public Map<String, Object> status() {
    return latest;
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "budget: a decision failed; trying again next interval", e);
    }
  }

  /** One decision (runs every interval; tests call it directly). */
  void tick() {
    synchronized (lock) {
      if (!hub.budgetOn()) {
        return;
      }
      long now = clock.getAsLong();
      if (measurements.frames() - framesAtSwitch < MIN_FRAMES) {
        return;
      }
      String current = hub.profile();
      BudgetPolicy.Decision d =
          policy.decide(
              current, p -> measurements.estimate(p, now), now - lastSwitchNanos, resumed);
      boolean wasResumed = resumed;
      resumed = false;
      if (!d.switched()) {
        if (wasResumed) {
          show(d, d.reason());
        }
        return;
      }
      if (!hub.setProfile(d.profile(), ControlHub.Origin.BUDGET)) {
        return; // suspended meanwhile
      }
      lastSwitchNanos = now;
      framesAtSwitch = measurements.frames();
      switches.incrementAndGet();
      LOG.log(Level.INFO, "budget: {0} -> {1}: {2}", current, d.profile(), d.reason());
      show(d, d.reason());
    }
  }

  private void show(BudgetPolicy.Decision d, String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", hub.budgetOn());
    m.put("profile", d == null ? hub.profile() : d.profile());
    m.put("reason", reason);
    m.put("measured", d == null ? null : estimateMap(d.measured()));
    m.put("predicted", d == null ? null : estimateMap(d.chosen()));
    m.put("target", targetMap());
    m.put("switches", switches.get());
    m.put("ts", System.currentTimeMillis());
    latest = java.util.Collections.unmodifiableMap(m);
    try {
      hub.showBudget(JSON.writeValueAsString(m));
    } catch (JsonProcessingException e) {
      LOG.log(Level.WARNING, "budget: decision not shown", e);
    }
  }

  private Map<String, Object> estimateMap(Estimate e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("profile", e.profile());
    m.put("fps", round(measurements.observedFps(clock.getAsLong())));
    m.put("capacity_fps", round(e.capacityFps()));
    m.put("watts", round(e.watts()));
    m.put("latency_p95_ms", round(e.latencyP95Ms()));
    m.put("macs", Math.round(e.macs()));
    m.put("observed", e.observed());
    return m;
  }

  private Map<String, Object> targetMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    settings.targetFps().ifPresent(v -> m.put("fps", v));
    settings.maxWatts().ifPresent(v -> m.put("max_watts", v));
    settings.maxLatencyP95Ms().ifPresent(v -> m.put("max_latency_p95_ms", v));
    m.put("hysteresis", settings.hysteresis());
    m.put("dwell_s", settings.dwell().toMillis() / 1e3);
    return m;
  }

  private static double round(double v) {
    if (!Double.isFinite(v)) {
      return -1;
    }
    return Math.round(v * 1000) / 1000.0;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
