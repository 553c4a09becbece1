package dev.offramp.runtime.metrics;

import dev.offramp.runtime.pipeline.ResultEvent;
import dev.offramp.runtime.pipeline.ResultSink;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The daemon's metrics, registered in a Helidon {@link MeterRegistry} (served as Prometheus text on
 * {@code /observe/metrics}) and summarised by {@link #snapshot()} for MQTT {@code stats} and {@code
 * /api/status}.
 *
 * <p>Meters (Prometheus names): {@code offramp_frames_total}, {@code offramp_exits_total{stage}},
 * {@code offramp_dropped_frames_total}, {@code offramp_preprocess_seconds}, {@code
 * offramp_inference_seconds}, {@code offramp_total_seconds}, {@code offramp_stage_seconds{stage}}
 * (histograms), {@code offramp_energy_joules_total}, and, once bound, {@code offramp_power_watts},
 * {@code offramp_mqtt_buffer_depth}, {@code offramp_mqtt_buffer_dropped_total}, {@code
 * offramp_sse_dropped_total}, {@code offramp_sse_disconnected_total}, {@code
 * offramp_frames_skipped_total{reason}} and {@code offramp_invalid_probs_total{stage}}.
 *
 * <p>Lifecycle: one instance per process, {@link #global()}. Thread-safety: {@link #accept} runs on
 * the pipeline thread; everything else may be called from any thread. The {@code bind*} methods
 * replace what an earlier call bound.
 */
public final class RuntimeMetrics implements ResultSink {
  private static final int MAX_STAGES = 32;
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
    Duration.ofMillis(500), Duration.ofSeconds(1)
  };

  private final MeterRegistry registry;
  private final Counter frames;
  private final Counter dropped;
  private final Timer preprocess;
  private final Timer inference;
  private final Timer total;
  private final AtomicReferenceArray<Counter> exits = new AtomicReferenceArray<>(MAX_STAGES);
  private final AtomicReferenceArray<Timer> stages = new AtomicReferenceArray<>(MAX_STAGES);
  private final DoubleAdder joules = new DoubleAdder();
  private final AtomicLong lastEnergyMj = new AtomicLong(Double.doubleToLongBits(0));
  private final RateWindow rate = new RateWindow();
  private volatile DoubleSupplier watts = () -> 0;
  private volatile LongSupplier bufferDepth = () -> 0;
  private volatile LongSupplier bufferDropped = () -> 0;
  private volatile Map<String, LongSupplier> droppedByReason = Map.of();
  private volatile LongSupplier sseDropped = () -> 0;
  private volatile LongSupplier sseDisconnected = () -> 0;
  private volatile Supplier<Map<String, Long>> framesSkipped = Map::of;
  private volatile Supplier<long[]> invalidProbs = () -> new long[0];

  private static RuntimeMetrics global;

  private RuntimeMetrics(MeterRegistry registry) {
    this.registry = registry;
    frames =
        registry.getOrCreate(Counter.builder("offramp_frames").description("Frames classified"));
    dropped =
        registry.getOrCreate(
            Counter.builder("offramp_dropped_frames")
                .description("Frames overwritten in the capture slot before processing"));
    preprocess = timer("offramp_preprocess", "Preprocessing time per frame");
    inference = timer("offramp_inference", "Inference time per frame, all stages run");
    total = timer("offramp_total", "Capture to publish, per frame");
    registerEnergyCounter();
    registry.getOrCreate(
        Gauge.builder("offramp_power_watts", () -> watts.getAsDouble())
            .description("Latest average power of the energy meter"));
  }

  /**
   * The process's metrics, in Helidon's global registry (the one {@code /observe/metrics} serves).
   * One instance per process: meters are registered once and gauges read this instance.
   */
  public static synchronized RuntimeMetrics global() {
    if (global == null) {
      global = new RuntimeMetrics(Metrics.globalRegistry());
    }
    return global;
  }

  private void registerEnergyCounter() {
    // Helidon's Counter counts in whole units; joules need a double, so the counter is registered
    // on the Micrometer registry Helidon wraps (the provider in use), as a function counter.
    io.micrometer.core.instrument.MeterRegistry mm =
        registry.unwrap(io.micrometer.core.instrument.MeterRegistry.class);
    io.micrometer.core.instrument.FunctionCounter.builder(
            "offramp_energy_joules", joules, DoubleAdder::sum)
        .description("Energy attributed to classified frames")
        .tag("mp_scope", "application")
        .register(mm);
  }

  private Timer timer(String name, String description) {
    return registry.getOrCreate(Timer.builder(name).description(description).buckets(BUCKETS));
  }

  @Override
  public void accept(ResultEvent e) {
    frames.increment();
    if (e.droppedFrames() > 0) {
      dropped.increment(e.droppedFrames());
    }
    exitCounter(e.exitStage()).increment();
    preprocess.record(nanos(e.preprocessMs()), TimeUnit.NANOSECONDS);
    inference.record(nanos(e.inferenceMs()), TimeUnit.NANOSECONDS);
    total.record(nanos(e.totalMs()), TimeUnit.NANOSECONDS);
    double[] s = e.stageMs();
    for (int k = 0; k < s.length && k < MAX_STAGES; k++) {
      stageTimer(k).record(nanos(s[k]), TimeUnit.NANOSECONDS);
    }
    joules.add(e.energyMj() / 1000.0);
    lastEnergyMj.set(Double.doubleToLongBits(e.energyMj()));
    rate.mark(System.nanoTime());
  }

  private static long nanos(double ms) {
    return (long) (ms * 1_000_000.0);
  }

  private Counter exitCounter(int stage) {
    int k = Math.min(Math.max(stage, 0), MAX_STAGES - 1);
    return perStage(
        exits, k, Counter.builder("offramp_exits").description("Frames answered, by exit stage"));
  }

  private Timer stageTimer(int k) {
    return perStage(
        stages,
        k,
        Timer.builder("offramp_stage").description("Inference time of one stage").buckets(BUCKETS));
  }

  /** Stage {@code k}'s meter, registered (tag {@code stage=k}) on first use. */
  private <M extends Meter, B extends Meter.Builder<B, M>> M perStage(
      AtomicReferenceArray<M> cache, int k, B builder) {
    M m = cache.get(k);
    if (m == null) {
      m = registry.getOrCreate(builder.addTag(Metrics.tag("stage", Integer.toString(k))));
      cache.set(k, m);
    }
    return m;
  }

  /** Power source for {@code offramp_power_watts}, e.g. {@code meter::watts}. */
  public void bindPower(DoubleSupplier watts) {
    this.watts = watts;
  }

  /**
   * Store gauges of the MQTT publisher: {@code offramp_mqtt_buffer_depth} and {@code
   * offramp_mqtt_buffer_dropped_total{reason}}, one series per reason (zeros included).
   *
   * @param droppedByReason reason label to its running count, e.g. {@code full}, {@code corrupt}
   */
  public void bindBuffer(LongSupplier depth, Map<String, LongSupplier> droppedByReason) {
    bufferDepth = depth;
    Map<String, LongSupplier> byReason = Map.copyOf(droppedByReason);
    this.droppedByReason = byReason;
    bufferDropped = () -> byReason.values().stream().mapToLong(LongSupplier::getAsLong).sum();
    registry.getOrCreate(
        Gauge.builder("offramp_mqtt_buffer_depth", () -> (double) bufferDepth.getAsLong())
            .description("Results stored and not yet acknowledged by the broker"));
    // Registered once per reason; the counters read the latest binding (a second run in one JVM).
    for (String reason : byReason.keySet()) {
      registry.getOrCreate(
          FunctionalCounter.builder(
                  "offramp_mqtt_buffer_dropped",
                  this,
                  m -> m.droppedByReason.getOrDefault(reason, () -> 0L).getAsLong())
              .addTag(Metrics.tag("reason", reason))
              .description("Results that will never reach the broker, by reason"));
    }
  }

  /** Results not delivered to slow {@code /api/results} clients. */
  public void bindSseDropped(LongSupplier droppedTotal) {
    sseDropped = droppedTotal;
    registry.getOrCreate(
        FunctionalCounter.builder("offramp_sse_dropped", this, m -> m.sseDropped.getAsLong())
            .description("Results dropped for slow /api/results clients"));
  }

  /** {@code /api/results} clients disconnected because they stopped reading. */
  public void bindSseDisconnected(LongSupplier total) {
    sseDisconnected = total;
    registry.getOrCreate(
        FunctionalCounter.builder(
                "offramp_sse_disconnected", this, m -> m.sseDisconnected.getAsLong())
            .description("/api/results clients disconnected because their queue stayed full"));
  }

  /**
   * Frames capture skipped, by reason; one counter per reason the first snapshot names (e.g. {@code
   * slot.skipped()::snapshot}).
   */
  public void bindFramesSkipped(Supplier<Map<String, Long>> counts) {
    framesSkipped = counts;
    for (String reason : counts.get().keySet()) {
      registry.getOrCreate(
          FunctionalCounter.builder(
                  "offramp_frames_skipped",
                  this,
                  m -> m.framesSkipped.get().getOrDefault(reason, 0L))
              .description("Frames skipped before classification (undecodable, too large, …)")
              .addTag(Metrics.tag("reason", reason)));
    }
  }

  /**
   * Frames whose stage output was not a probability vector, per stage (e.g. {@code
   * executor::invalidProbabilities}); one counter per stage.
   */
  public void bindInvalidProbs(Supplier<long[]> perStage) {
    invalidProbs = perStage;
    int stagesNow = perStage.get().length;
    for (int k = 0; k < stagesNow; k++) {
      final int stage = k;
      registry.getOrCreate(
          FunctionalCounter.builder(
                  "offramp_invalid_probs",
                  this,
                  m -> {
                    long[] counts = m.invalidProbs.get();
                    return stage < counts.length ? counts[stage] : 0L;
                  })
              .description("Stage outputs that were not probabilities (NaN, out of [0,1], …)")
              .addTag(Metrics.tag("stage", Integer.toString(stage))));
    }
  }

  /** Frames skipped at capture, by reason. */
  public Map<String, Long> framesSkipped() {
    return Map.copyOf(framesSkipped.get());
  }

  /** Frames classified. */
  public long frames() {
    return frames.count();
  }

  /** Frames dropped at capture. */
  public long droppedFrames() {
    return dropped.count();
  }

  /** Energy attributed so far, joules. */
  public double energyJoules() {
    return joules.sum();
  }

  /** Frames per second over the last (up to) 64 frames; 0 when none came in the last 2 s. */
  public double fps() {
    return rate.perSecond(System.nanoTime());
  }

  /** Frames answered per exit stage, index = stage, up to the deepest stage seen. */
  public List<Long> exitHistogram() {
    List<Long> out = new ArrayList<>();
    int last = -1;
    for (int k = 0; k < MAX_STAGES; k++) {
      if (exits.get(k) != null) {
        last = k;
      }
    }
    for (int k = 0; k <= last; k++) {
      Counter c = exits.get(k);
      out.add(c == null ? 0L : c.count());
    }
    return out;
  }

  /** Mean of a latency timer in milliseconds. */
  private static double meanMs(Timer t) {
    return t.count() == 0 ? 0 : t.mean(TimeUnit.NANOSECONDS) / 1e6;
  }

  /** A JSON-ready summary with the Prometheus names (MQTT {@code stats}). */
  public Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("offramp_frames_total", frames());
    m.put("offramp_dropped_frames_total", droppedFrames());
    m.put("offramp_exits_total", exitHistogram());
    m.put("fps", fps());
    m.put("offramp_inference_seconds_mean", meanMs(inference) / 1000);
    m.put("offramp_total_seconds_mean", meanMs(total) / 1000);
    m.put("offramp_energy_joules_total", energyJoules());
    m.put("offramp_power_watts", watts.getAsDouble());
    m.put("offramp_mqtt_buffer_depth", bufferDepth.getAsLong());
    m.put("offramp_mqtt_buffer_dropped_total", bufferDropped.getAsLong());
    m.put("offramp_sse_dropped_total", sseDropped.getAsLong());
    m.put("offramp_sse_disconnected_total", sseDisconnected.getAsLong());
    m.put("offramp_frames_skipped_total", new LinkedHashMap<>(framesSkipped.get()));
    long[] invalid = invalidProbs.get();
    List<Long> invalidList = new ArrayList<>(invalid.length);
    for (long v : invalid) {
      invalidList.add(v);
    }
    m.put("offramp_invalid_probs_total", invalidList);
    m.put("energy_mj_last", Double.longBitsToDouble(lastEnergyMj.get()));
    return m;
  }
}
