package dev.offramp.runtime.lifecycle;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A JVM shutdown that did not come through the signal handlers (SIGHUP, {@code -Xrs}, {@code
 * System.exit} elsewhere) still gets the orderly stop: the hook requests it and waits, up to the
 * stop budget, until the run that installed the hook closes it. Closing also removes the hook.
 */
public final class ShutdownHook implements AutoCloseable {
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread thread;

  private ShutdownHook(StopSignal stop, Duration wait) {
    thread =
        new Thread(
            () -> {
              stop.request("JVM shutdown");
              try {
                closed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "offramp-shutdown");
  }

  /** Installs the hook; close it when the run has stopped. */
  public static ShutdownHook install(StopSignal stop, Duration wait) {
    ShutdownHook hook =
        new ShutdownHook(Objects.requireNonNull(stop, "stop"), Objects.requireNonNull(wait));
    Runtime.getRuntime().addShutdownHook(hook.thread);
    return hook;
  }

  @Override
  public void close() {
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(thread);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook has run.
    }
  }
}
