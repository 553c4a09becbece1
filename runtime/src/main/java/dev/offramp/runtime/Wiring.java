package dev.offramp.runtime;

import dev.offramp.runtime.capture.CaptureState;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.energy.EnergyMeter;
import dev.offramp.runtime.pipeline.Pipeline;
import dev.offramp.runtime.pipeline.SinkFanout;

/**
 * The part of the composition root that builds the transports (MQTT, HTTP, metrics) and the energy
 * meter. Package-private; {@link Main} calls it.
 */
final class Wiring {
  private Wiring() {}

  /** The transports of one run; closing flushes and stops them. */
  interface Transports extends AutoCloseable {
    void captureStateChanged(String camera, CaptureState state);

    /** The bound HTTP port; 0 when there is no HTTP server. */
    int httpPort();

    @Override
    void close();
  }

  static EnergyMeter energyMeter(RuntimeConfig config) {
    return new EnergyMeter() {
      @Override
      public String method() {
        return "none";
      }

      @Override
      public double frameJoules(long startNanos, long endNanos, long macs) {
        return 0;
      }

      @Override
      public double watts() {
        return 0;
      }

      @Override
      public void close() {}
    };
  }

  static Transports transports(RuntimeConfig config, Pipeline pipeline, SinkFanout sinks) {
    return new Transports() {
      @Override
      public void captureStateChanged(String camera, CaptureState state) {}

      @Override
      public int httpPort() {
        return 0;
      }

      @Override
      public void close() {}
    };
  }
}
