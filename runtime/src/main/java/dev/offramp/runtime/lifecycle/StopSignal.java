package dev.offramp.runtime.lifecycle;

import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly stop the main thread waits for, so the daemon closes
 * everything itself and exits 0 (a JVM that leaves SIGTERM to its shutdown hooks exits 143). Uses
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}, in every JDK); where a handler cannot be
 * installed (e.g. {@code -Xrs}), the caller's shutdown hook still closes everything.
 *
 * <p>Thread-safe.
 */
public final class StopSignal {
  private static final System.Logger LOG = System.getLogger(StopSignal.class.getName());

  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile String reason = "";

  /** Installs handlers for TERM and INT; returns this. */
  public StopSignal install() {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> request("SIG" + s.getName()));
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LOG.log(Level.WARNING, "cannot handle SIG{0}: {1}", name, e.getMessage());
      }
    }
    return this;
  }

  /** Asks the daemon to stop; idempotent. */
  public void request(String why) {
    if (stop.getCount() > 0) {
      reason = why;
      LOG.log(Level.INFO, "stopping ({0})", why);
      stop.countDown();
    }
  }

  public boolean requested() {
    return stop.getCount() == 0;
  }

  /** What asked for the stop, e.g. {@code SIGTERM}; empty before. */
  public String reason() {
    return reason;
  }

  /** Waits up to {@code ms}; true once a stop was requested. */
  public boolean await(long ms) throws InterruptedException {
    return stop.await(ms, TimeUnit.MILLISECONDS);
  }
}
