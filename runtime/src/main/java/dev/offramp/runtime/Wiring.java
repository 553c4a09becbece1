package dev.offramp.runtime;

import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.runtime.audit.AuditMetrics;
import dev.offramp.runtime.audit.AuditPublisher;
import dev.offramp.runtime.audit.LiveAudit;
import dev.offramp.runtime.budget.BudgetController;
import dev.offramp.runtime.bundle.BundleUpdates;
import dev.offramp.runtime.capture.CaptureState;
import dev.offramp.runtime.capture.LatestFrameSlot;
import dev.offramp.runtime.config.ConfigException;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.control.ControlHub;
import dev.offramp.runtime.energy.EnergyMeter;
import dev.offramp.runtime.energy.EnergyMeters;
import dev.offramp.runtime.http.HttpApi;
import dev.offramp.runtime.http.OfframpHttpServer;
import dev.offramp.runtime.http.Readiness;
import dev.offramp.runtime.http.ResultStream;
import dev.offramp.runtime.http.RuntimeStatus;
import dev.offramp.runtime.metrics.RuntimeMetrics;
import dev.offramp.runtime.mqtt.DropCounts;
import dev.offramp.runtime.mqtt.MqttPublisher;
import dev.offramp.runtime.pipeline.Pipeline;
import dev.offramp.runtime.pipeline.SinkFanout;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The part of the composition root that builds the transports (metrics, MQTT, HTTP) and the energy
 * meter. Package-private; {@link Main} calls it.
 */
final class Wiring {
  private static final System.Logger LOG = System.getLogger(Wiring.class.getName());

  private Wiring() {}

  /** The transports of one run; closing flushes and stops them (MQTT publishes `stopped`). */
  interface Transports extends AutoCloseable {
    void captureStateChanged(String camera, CaptureState state);

    /** Whether the MQTT publisher thread runs and went round within {@code maxAgeMs}. */
    boolean publisherAlive(long maxAgeMs);

    /** The bound HTTP port. */
    int httpPort();

    /**
     * Waits up to {@code ms} until the broker has every result classified so far (a file source
     * that ends should not leave its last results to the next start).
     */
    void drain(long ms) throws InterruptedException;

    @Override
    void close();
  }

  /**
   * The meter the {@code energy} section asks for.
   *
   * @throws ConfigException when a forced meter is not available on this board
   */
  static EnergyMeter energyMeter(RuntimeConfig config) {
    try {
      EnergyMeter meter = EnergyMeters.open(config.energy());
      LOG.log(Level.INFO, "energy: {0}", meter.method());
      return meter;
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new ConfigException("energy.meter: " + e.getMessage(), e);
    }
  }

  static Transports transports(
      RuntimeConfig config,
      Manifest manifest,
      Pipeline pipeline,
      LatestFrameSlot slot,
      EnergyMeter meter,
      SinkFanout sinks) {
    RuntimeMetrics metrics = RuntimeMetrics.global();
    metrics.bindPower(meter::watts);
    sinks.add(metrics);
    Map<String, CaptureState> captures = new ConcurrentHashMap<>();
    ControlHub control = new ControlHub(pipeline);
    BudgetController budget = BudgetController.start(config.budget(), manifest, control);
    if (budget != null) { // budget mode: learns from every result
      sinks.add(budget);
    }
    MqttPublisher mqtt;
    try {
      mqtt = MqttPublisher.start(config.mqtt(), control, metrics::snapshot);
    } catch (IllegalArgumentException e) {
      closeBudget(budget);
      throw new ConfigException(e.getMessage(), e);
    }
    sinks.add(mqtt);
    // Live audit (issue 13): idle-time checks of early answers, `audit` switch, alerts.
    LiveAudit audit = new LiveAudit(config.audit(), manifest, pipeline::profile);
    if (config.audit().enabled()) {
      pipeline.setAudit(audit);
    }
    control.addSwitch("audit", v -> auditSwitch(audit, v));
    AuditMetrics.bind(audit, manifest);
    AuditPublisher auditPublisher = new AuditPublisher(audit, mqtt::publishRetained).start();
    AtomicReference<BundleUpdates> updates = new AtomicReference<>();
    Map<String, LongSupplier> dropped = new LinkedHashMap<>();
    for (DropCounts.Reason r : DropCounts.Reason.values()) {
      dropped.put(r.label(), () -> mqtt.drops().get(r));
    }
    metrics.bindBuffer(mqtt::bufferDepth, dropped);
    ResultStream results = new ResultStream(config.http());
    sinks.add(results);
    metrics.bindSseDropped(results::dropped);
    metrics.bindSseDisconnected(results::disconnected);
    metrics.bindFramesSkipped(slot.skipped()::snapshot);
    Optional<OfframpHttpServer> http = Optional.empty();
    try {
      HttpApi api =
          new HttpApi(
              config.http(),
              () ->
                  new RuntimeStatus(
                      pipeline.bundle().name(),
                      pipeline.profile(),
                      pipeline.profiles(),
                      pipeline.paused(),
                      metrics.fps(),
                      metrics.exitHistogram(),
                      pipeline.published(),
                      slot.droppedTotal(),
                      mqtt.brokerState().json(),
                      stateNames(captures),
                      meter.method(),
                      slot.skipped().snapshot(),
                      pipeline.stageProviders(),
                      budgetStatus(budget, control),
                      Optional.ofNullable(updates.get())
                          .map(BundleUpdates::status)
                          .orElse(Map.of())),
              control,
              new Readiness(
                  () -> pipeline.alive(5_000),
                  () ->
                      !captures.isEmpty()
                          && captures.values().stream()
                              .allMatch(s -> s.state() == CaptureState.State.ONLINE),
                  mqtt::connected,
                  mqtt::storageProblem,
                  () -> pipeline.alive(5_000) && mqtt.alive(15_000)),
              results);
      api.addStatusSection("audit", audit::snapshot);
      if (config.http().enabled()) {
        http = Optional.of(OfframpHttpServer.start(config.http(), api));
      } else {
        LOG.log(Level.INFO, "HTTP disabled (http.enabled: false)");
      }
      // After the HTTP server: the server's start-up timing stays what it was without updates.
      try {
        updates.set(
            BundleUpdates.start(
                config.bundle().updates(),
                config.stateDir(),
                pipeline,
                control,
                ExecutionOptions.parse(
                    config.execution().providerList(), config.execution().threads()),
                config.bundle().path()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage(), e);
      }
      api.bundleEndpoint(updates.get());
    } catch (RuntimeException e) {
      http.ifPresent(OfframpHttpServer::close);
      results.close();
      auditPublisher.close();
      mqtt.close();
      closeBudget(budget);
      if (e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException) {
        throw new ConfigException("http: " + e.getMessage(), e);
      }
      throw e;
    }
    if (budget != null) { // budget mode: time spent in the sinks, measured after the last
      sinks.add(budget.endOfFrame());
    }
    Optional<OfframpHttpServer> server = http;
    BundleUpdates bundles = updates.get();
    return new Transports() {
      @Override
      public void captureStateChanged(String camera, CaptureState state) {
        captures.put(camera, state);
        mqtt.publishCaptureState(camera, state);
      }

      @Override
      public boolean publisherAlive(long maxAgeMs) {
        return mqtt.alive(maxAgeMs);
      }

      @Override
      public int httpPort() {
        return server.map(OfframpHttpServer::port).orElse(0);
      }

      @Override
      public void drain(long ms) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        while (mqtt.published() < pipeline.published() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      }

      @Override
      public void close() {
        server.ifPresent(OfframpHttpServer::close);
        closeBudget(budget);
        bundles.close();
        results.close();
        auditPublisher.close();
        mqtt.close();
      }
    };
  }

  private static Map<String, Object> budgetStatus(BudgetController budget, ControlHub control) {
    if (budget == null) {
      return Map.of("configured", false);
    }
    Map<String, Object> m = new LinkedHashMap<>(budget.status());
    m.put("configured", true);
    m.put("enabled", control.budgetOn());
    return m;
  }

  private static void closeBudget(BudgetController budget) {
    if (budget != null) {
      budget.close();
    }
  }

  /** The `audit` switch: {@code clear} lifts every tightening override and alert. */
  private static String auditSwitch(LiveAudit audit, String value) {
    if (!value.strip().equalsIgnoreCase("clear")) {
      throw new IllegalArgumentException(
          "audit: expected clear (lifts the audit's overrides and alerts); found '"
              + dev.offramp.runtime.text.SafeText.of(value)
              + "'");
    }
    return audit.clear();
  }

  private static Map<String, String> stateNames(Map<String, CaptureState> captures) {
    Map<String, String> names = new ConcurrentHashMap<>();
    captures.forEach((k, v) -> names.put(k, v.state().name().toLowerCase(Locale.ROOT)));
    return names;
  }
}
