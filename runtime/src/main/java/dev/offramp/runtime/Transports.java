package dev.offramp.runtime;

import dev.offramp.runtime.audit.AuditPublisher;
import dev.offramp.runtime.budget.BudgetController;
import dev.offramp.runtime.bundle.BundleUpdates;
import dev.offramp.runtime.capture.CaptureState;
import dev.offramp.runtime.http.OfframpHttpServer;
import dev.offramp.runtime.http.ResultStream;
import dev.offramp.runtime.lifecycle.Part;
import dev.offramp.runtime.mqtt.MqttPublisher;
import dev.offramp.runtime.pipeline.Pipeline;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The transports of one run, as one lifecycle part: MQTT publisher, live-audit publisher, the
 * {@code /api/results} stream, bundle updates, budget controller and HTTP server. The MQTT
 * publisher starts first, as soon as the manifest is read ({@link Wiring#mqtt}); {@link Wiring}
 * starts the rest around the built pipeline (in the order their dependencies need) and hands them
 * over running; {@link #stop(Duration)} closes them in the order that flushes first and publishes
 * {@code stopped} last: HTTP server, budget, bundle updates, result stream, audit publisher, MQTT.
 *
 * <p>Thread-safety: {@link #captureStateChanged} is called from capture threads; the rest from the
 * composition root.
 */
final class Transports implements Part, AutoCloseable {
  private final Pipeline pipeline;
  private final MqttPublisher mqtt;
  private final AuditPublisher auditPublisher;
  private final ResultStream results;
  private final Optional<BudgetController> budget;
  private final BundleUpdates bundles;
  private final Optional<OfframpHttpServer> http;
  private final Map<String, CaptureState> captures;

  Transports(
      Pipeline pipeline,
      MqttPublisher mqtt,
      AuditPublisher auditPublisher,
      ResultStream results,
      Optional<BudgetController> budget,
      BundleUpdates bundles,
      Optional<OfframpHttpServer> http,
      Map<String, CaptureState> captures) {
    this.pipeline = pipeline;
    this.mqtt = mqtt;
    this.auditPublisher = auditPublisher;
    this.results = results;
    this.budget = budget;
    this.bundles = bundles;
    this.http = http;
    this.captures = captures;
  }

  @Override
  public String name() {
    return "transports";
  }

  /** Already running when handed over. */
  @Override
  public void start() {}

  /** Flushes and stops them (MQTT publishes {@code stopped}); each bounds its own wait. */
  @Override
  public void stop(Duration left) {
    close();
  }

  @Override
  public void close() {
    http.ifPresent(OfframpHttpServer::close);
    budget.ifPresent(BudgetController::close);
    bundles.close();
    results.close();
    auditPublisher.close();
    mqtt.close();
  }

  /** Records a capture's state for readiness and publishes it. */
  void captureStateChanged(String camera, CaptureState state) {
    captures.put(camera, state);
    mqtt.publishCaptureState(camera, state);
  }

  /** Whether the MQTT publisher thread runs and went round within {@code maxAgeMs}. */
  boolean publisherAlive(long maxAgeMs) {
    return mqtt.alive(maxAgeMs);
  }

  /** The bound HTTP port; 0 when HTTP is off. */
  int httpPort() {
    return http.map(OfframpHttpServer::port).orElse(0);
  }

  /**
   * Waits up to {@code ms} until the broker has every result classified so far (a file source that
   * ends should not leave its last results to the next start).
   */
  void drain(long ms) throws InterruptedException {
    long deadline = System.nanoTime() + ms * 1_000_000L;
    while (mqtt.published() < pipeline.published() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }
}
