package dev.offramp.runtime;

import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.runtime.audit.AuditMetrics;
import dev.offramp.runtime.audit.AuditPublisher;
import dev.offramp.runtime.audit.LiveAudit;
import dev.offramp.runtime.budget.BudgetController;
import dev.offramp.runtime.bundle.BundleUpdates;
import dev.offramp.runtime.capture.Capture;
import dev.offramp.runtime.capture.CaptureListener;
import dev.offramp.runtime.capture.CaptureState;
import dev.offramp.runtime.capture.FrameFeeds;
import dev.offramp.runtime.capture.FrameFormat;
import dev.offramp.runtime.capture.LatestFrameSlot;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.control.ControlHub;
import dev.offramp.runtime.energy.EnergyMeter;
import dev.offramp.runtime.energy.EnergyMeters;
import dev.offramp.runtime.http.HttpApi;
import dev.offramp.runtime.http.OfframpHttpServer;
import dev.offramp.runtime.http.Readiness;
import dev.offramp.runtime.http.ResultStream;
import dev.offramp.runtime.http.RuntimeStatus;
import dev.offramp.runtime.lifecycle.Part;
import dev.offramp.runtime.lifecycle.SystemdNotifier;
import dev.offramp.runtime.metrics.CameraMetrics;
import dev.offramp.runtime.metrics.RuntimeMetrics;
import dev.offramp.runtime.mqtt.DropCounts;
import dev.offramp.runtime.mqtt.MqttPublisher;
import dev.offramp.runtime.pipeline.Pipeline;
import dev.offramp.runtime.pipeline.PipelineParts;
import dev.offramp.runtime.pipeline.SinkFanout;
import dev.offramp.runtime.settings.ConfigException;
import dev.offramp.runtime.text.SafeText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The part of the composition root that builds the transports (metrics, MQTT, HTTP, audit, budget,
 * bundle updates) and the energy meter, and the small start-up checks. Package-private; {@link
 * Main} calls it.
 */
final class Wiring {
  private static final System.Logger LOG = System.getLogger(Wiring.class.getName());

  private Wiring() {}

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

  /** One frame slot per configured camera, each paced at its own {@code max-fps}. */
  static FrameFeeds feeds(RuntimeConfig config, FrameFormat format) {
    return new FrameFeeds(
        config.sources().stream()
            .map(s -> new FrameFeeds.Feed(s.camera(), new LatestFrameSlot(format), s.maxFps()))
            .toList());
  }

  /**
   * One capture part per camera. With several cameras a source that cannot be opened at start-up is
   * reported {@code error} and retried, so the others run; one camera fails the start as before.
   */
  static List<Part> captures(RuntimeConfig config, FrameFeeds feeds, CaptureListener listener) {
    List<Part> out = new ArrayList<>();
    boolean several = config.sources().size() > 1;
    for (int i = 0; i < config.sources().size(); i++) {
      Capture c = new Capture(config.sources().get(i), feeds.feeds().get(i).slot(), listener);
      String name = several ? "capture " + c.camera() : "capture";
      Part.Action start = several ? c::startRetrying : c::start;
      out.add(Part.of(name, start, left -> c.stop(Main.ms(left, 500))));
    }
    return out;
  }

  /** The pipeline, with the run's frame limit and frame listeners; not started. */
  static Pipeline pipeline(
      RuntimeConfig config,
      Manifest manifest,
      CascadeExecutor executor,
      FrameFeeds feeds,
      EnergyMeter meter,
      SinkFanout sinks,
      String profile,
      Main.Options options) {
    Pipeline pipeline =
        new Pipeline(
            new PipelineParts(
                config.deviceId(),
                manifest,
                executor,
                feeds,
                meter,
                List.of(sinks),
                profile,
                options.frameLimit()));
    options.frameListeners().forEach(pipeline::addFrameListener);
    return pipeline;
  }

  /**
   * The MQTT publisher, started as soon as the manifest is read: it opens its store and connects
   * while ONNX Runtime opens the stages, so the first result does not wait for the broker.
   *
   * @param control a hub {@link ControlHub#starting starting}, bound to the pipeline later
   * @throws ConfigException when TLS files, credentials or the buffer directory are unusable
   */
  static MqttPublisher mqtt(RuntimeConfig config, ControlHub control) {
    try {
      return MqttPublisher.start(config.mqtt(), control, RuntimeMetrics.global()::snapshot);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /**
   * The rest of the transports around a built pipeline and the running MQTT publisher: binds {@code
   * control} to the pipeline, adds the sinks (metrics, cameras, budget, MQTT, result stream),
   * starts HTTP and bundle updates.
   */
  static Transports transports(
      RuntimeConfig config,
      Manifest manifest,
      Pipeline pipeline,
      FrameFeeds feeds,
      EnergyMeter meter,
      SinkFanout sinks,
      ControlHub control,
      MqttPublisher mqtt) {
    RuntimeMetrics metrics = RuntimeMetrics.global();
    metrics.bindPower(meter::watts);
    sinks.add(metrics);
    CameraMetrics cameraMetrics =
        new CameraMetrics(feeds.feeds().stream().map(FrameFeeds.Feed::camera).toList());
    sinks.add(cameraMetrics);
    Map<String, CaptureState> captures = new ConcurrentHashMap<>();
    control.bind(pipeline);
    Optional<BudgetController> budget =
        Optional.ofNullable(BudgetController.start(config.budget(), manifest, control));
    budget.ifPresent(sinks::add); // budget mode: learns from every result
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
    metrics.bindFramesSkipped(feeds::skipped);
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
                      feeds.droppedTotal(),
                      mqtt.brokerState().json(),
                      stateNames(captures),
                      meter.method(),
                      feeds.skipped(),
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
      api.addStatusSection(
          "cameras", () -> CameraStatus.of(feeds, captures, cameraMetrics, pipeline));
      api.addStatusSection("batching", pipeline::batching);
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
      budget.ifPresent(BudgetController::close); // the MQTT publisher is the lifecycle's to close
      if (e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException) {
        throw new ConfigException("http: " + e.getMessage(), e);
      }
      throw e;
    }
    // Budget mode: time spent in the sinks, measured after the last.
    budget.ifPresent(b -> sinks.add(b.endOfFrame()));
    return new Transports(
        pipeline, mqtt, auditPublisher, results, budget, updates.get(), http, captures);
  }

  private static Map<String, Object> budgetStatus(
      Optional<BudgetController> budget, ControlHub control) {
    if (budget.isEmpty()) {
      return Map.of("configured", false);
    }
    Map<String, Object> m = new LinkedHashMap<>(budget.get().status());
    m.put("configured", true);
    m.put("enabled", control.budgetOn());
    return m;
  }

  /** Creates the state directory, where the MQTT store and accelerator caches live. */
  static void createStateDir(RuntimeConfig config) {
    try {
      Files.createDirectories(config.stateDir());
    } catch (IOException e) {
      throw new ConfigException(
          "state-dir: cannot create " + config.stateDir() + ": " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new ConfigException("state-dir: " + e.getMessage(), e);
    }
  }

  /** The exit profile in force: the configured one, which the bundle must offer, or its default. */
  static String profile(RuntimeConfig config, Manifest manifest) {
    String profile = config.bundle().profile().orElse(manifest.defaultProfile());
    if (!manifest.profiles().containsKey(profile)) {
      throw new ConfigException(
          "bundle.profile: expected one of "
              + String.join(", ", manifest.profiles().keySet())
              + ", found '"
              + profile
              + "'");
    }
    return profile;
  }

  /**
   * Systemd's part, started last: {@code READY} and the watchdog (pinged while the pipeline and the
   * publisher go round). Its stop has nothing to do: the lifecycle announces {@code STOPPING}
   * before any part stops, and the first part started closes the watchdog last.
   */
  static Part systemd(SystemdNotifier n, Pipeline pipeline, Transports transports) {
    return Part.of(
        "systemd",
        () -> {
          n.ready();
          long ms = Math.max(1_000, n.watchdogUsec() / 1_000);
          n.startWatchdog(
              () -> pipeline.alive(ms) && transports.publisherAlive(Math.max(15_000, ms)));
        },
        left -> {});
  }

  /** The end of an orderly stop that overran its budget: systemd would kill us soon anyway. */
  static void halt() {
    System.err.println(
        "offramp: orderly stop took over " + Main.STOP_BUDGET.toMillis() + " ms; exiting now");
    Runtime.getRuntime().halt(1);
  }

  /** The `audit` switch: {@code clear} lifts every tightening override and alert. */
  private static String auditSwitch(LiveAudit audit, String value) {
    if (!value.strip().equalsIgnoreCase("clear")) {
      throw new IllegalArgumentException(
          "audit: expected clear (lifts the audit's overrides and alerts); found '"
              + SafeText.of(value)
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
