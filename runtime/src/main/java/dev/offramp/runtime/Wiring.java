package dev.offramp.runtime;

import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.runtime.capture.CaptureState;
import dev.offramp.runtime.capture.LatestFrameSlot;
import dev.offramp.runtime.config.ConfigException;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.energy.EnergyMeter;
import dev.offramp.runtime.energy.EnergyMeters;
import dev.offramp.runtime.http.HttpApi;
import dev.offramp.runtime.http.OfframpHttpServer;
import dev.offramp.runtime.http.Readiness;
import dev.offramp.runtime.http.ResultStream;
import dev.offramp.runtime.http.RuntimeStatus;
import dev.offramp.runtime.metrics.RuntimeMetrics;
import dev.offramp.runtime.mqtt.MqttPublisher;
import dev.offramp.runtime.pipeline.Pipeline;
import dev.offramp.runtime.pipeline.SinkFanout;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    MqttPublisher mqtt;
    try {
      mqtt = MqttPublisher.start(config.mqtt(), pipeline, metrics::snapshot);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    sinks.add(mqtt);
    metrics.bindBuffer(mqtt::bufferDepth, mqtt::bufferDropped);
    ResultStream results = new ResultStream(config.http());
    sinks.add(results);
    metrics.bindSseDropped(results::dropped);
    OfframpHttpServer http;
    try {
      HttpApi api =
          new HttpApi(
              config.http(),
              () ->
                  new RuntimeStatus(
                      manifest.name(),
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
                      pipeline.stageProviders()),
              pipeline,
              new Readiness(
                  () -> pipeline.alive(5_000),
                  () ->
                      !captures.isEmpty()
                          && captures.values().stream()
                              .allMatch(s -> s.state() == CaptureState.State.ONLINE),
                  mqtt::connected),
              results);
      http = OfframpHttpServer.start(config.http(), api);
    } catch (RuntimeException e) {
      results.close();
      mqtt.close();
      if (e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException) {
        throw new ConfigException("http: " + e.getMessage(), e);
      }
      throw e;
    }
    OfframpHttpServer server = http;
    return new Transports() {
      @Override
      public void captureStateChanged(String camera, CaptureState state) {
        captures.put(camera, state);
        mqtt.publishCaptureState(camera, state);
      }

      @Override
      public int httpPort() {
        return server.port();
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
        server.close();
        results.close();
        mqtt.close();
      }
    };
  }

  private static Map<String, String> stateNames(Map<String, CaptureState> captures) {
    Map<String, String> names = new ConcurrentHashMap<>();
    captures.forEach((k, v) -> names.put(k, v.state().name().toLowerCase(Locale.ROOT)));
    return names;
  }
}
