package dev.offramp.runtime.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Publishes the audit on its own thread ({@code offramp-audit}), so the pipeline never waits on a
 * transport: alerts as soon as they are raised (retained {@code alert}; an empty retained message
 * when cleared, which removes it from the broker), and the whole audit every {@code
 * audit.publish-interval} (retained {@code audit}). {@link #close} publishes a last snapshot.
 */
public final class AuditPublisher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AuditPublisher.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long POLL_MS = 200;

  private final LiveAudit audit;
  private final BiConsumer<String, byte[]> retained;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param retained publishes a retained message on {@code <prefix>/<subtopic>}: (subtopic,
   *     payload)
   */
  public AuditPublisher(LiveAudit audit, BiConsumer<String, byte[]> retained) {
    this.audit = Objects.requireNonNull(audit, "audit");
    this.retained = Objects.requireNonNull(retained, "retained");
    this.thread = new Thread(this::run, "offramp-audit");
    thread.setDaemon(true);
  }

  public AuditPublisher start() {
    thread.start();
    return this;
  }

  private void run() {
    long interval = audit.settings().publishInterval().toNanos();
    long next = System.nanoTime();
    while (running) {
      try {
        publishAlerts();
        if (System.nanoTime() - next >= 0) {
          next = System.nanoTime() + interval;
          publishSnapshot();
        }
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "audit: publishing failed", e);
      }
    }
  }

  private void publishAlerts() {
    if (audit.takeCleared()) {
      retained.accept("alert", new byte[0]);
    }
    for (Map<String, Object> alert : audit.takeAlerts()) {
      retained.accept("alert", json(alert));
    }
  }

  /** Publishes the audit now (retained {@code audit}). */
  public void publishSnapshot() {
    retained.accept("audit", json(audit.snapshot()));
  }

  private static byte[] json(Object o) {
    try {
      return JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serialising the audit failed", e);
    }
  }

  /** Stops the thread, then publishes pending alerts and a last snapshot. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      publishAlerts();
      publishSnapshot();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "audit: last publish failed", e);
    }
  }
}
