package dev.offramp.runtime.http;

import dev.offramp.cascade.value.Required;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The conditions of {@code /observe/health}, each read per request. Main wires them: bundle loaded
 * (pipeline), capture online (capture), broker connected (MQTT publisher, or {@code () -> true}
 * when MQTT is off), storage (the MQTT store's problem, if any) for readiness; the pipeline and
 * publisher threads going round for liveness.
 *
 * @param bundleLoaded whether the cascade bundle is loaded and warmed
 * @param captureOnline whether the frame source delivers
 * @param brokerConnected whether the MQTT broker is connected
 * @param storageProblem why the store-and-forward store refuses writes, empty when it works
 * @param threadsAlive whether the pipeline and publisher threads run and are not stuck
 */
public record Readiness(
    BooleanSupplier bundleLoaded,
    BooleanSupplier captureOnline,
    BooleanSupplier brokerConnected,
    Supplier<Optional<String>> storageProblem,
    BooleanSupplier threadsAlive) {
  public Readiness {
    Required.nonNull(
        "bundleLoaded, captureOnline, brokerConnected, storageProblem, threadsAlive",
        bundleLoaded,
        captureOnline,
        brokerConnected,
        storageProblem,
        threadsAlive);
  }

  /** Readiness without a store and with liveness always true (tests, transports without MQTT). */
  public Readiness(
      BooleanSupplier bundleLoaded,
      BooleanSupplier captureOnline,
      BooleanSupplier brokerConnected) {
    this(bundleLoaded, captureOnline, brokerConnected, Optional::empty, () -> true);
  }
}
