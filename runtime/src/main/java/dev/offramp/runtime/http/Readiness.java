package dev.offramp.runtime.http;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The three conditions of {@code /observe/health/ready}, each read per request. Main wires them:
 * bundle loaded (pipeline), capture online (capture), broker connected (MQTT publisher, or {@code
 * () -> true} when MQTT is off).
 *
 * @param bundleLoaded whether the cascade bundle is loaded and warmed
 * @param captureOnline whether the frame source delivers
 * @param brokerConnected whether the MQTT broker is connected
 */
public record Readiness(
    BooleanSupplier bundleLoaded, BooleanSupplier captureOnline, BooleanSupplier brokerConnected) {
  public Readiness {
    Objects.requireNonNull(bundleLoaded, "bundleLoaded");
    Objects.requireNonNull(captureOnline, "captureOnline");
    Objects.requireNonNull(brokerConnected, "brokerConnected");
  }
}
