package dev.offramp.runtime.http;

import dev.offramp.runtime.mqtt.ResultJson;
import dev.offramp.runtime.pipeline.ResultEvent;
import dev.offramp.runtime.pipeline.ResultSink;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.sse.SseSink;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fans results out to {@code /api/results} clients. {@link #accept} (pipeline thread) serialises
 * once and offers the JSON to each client's bounded queue; a full queue drops the result for that
 * client and counts it. Each client is served by its request's (virtual) thread in {@link #serve}.
 * A client connecting gets the latest result first, so a page shows something at once. Thread-safe.
 */
public final class ResultStream implements ResultSink, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ResultStream.class.getName());
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final int queueSize;
  private final int maxClients;
  private final Set<BlockingQueue<String>> clients = ConcurrentHashMap.newKeySet();
  private final AtomicReference<String> latest = new AtomicReference<>();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  public ResultStream(HttpSettings settings) {
    this.queueSize = settings.sseQueue();
    this.maxClients = settings.maxSseClients();
  }

  @Override
  public void accept(ResultEvent event) {
    String json = ResultJson.toJson(event);
    latest.set(json);
    for (BlockingQueue<String> q : clients) {
      if (!q.offer(json)) {
        dropped.incrementAndGet();
      }
    }
  }

  /** Results not delivered to slow clients. */
  public long dropped() {
    return dropped.get();
  }

  /** Clients connected now. */
  public int clients() {
    return clients.size();
  }

  /** The latest result as JSON, when there was one. */
  public Optional<String> latest() {
    return Optional.ofNullable(latest.get());
  }

  /** Whether another client may connect. */
  boolean hasRoom() {
    return clients.size() < maxClients;
  }

  /** Streams to one client until it goes away or the stream closes; blocks the calling thread. */
  void serve(SseSink sink) {
    BlockingQueue<String> q = new ArrayBlockingQueue<>(queueSize);
    String last = latest.get();
    if (last != null && !q.offer(last)) {
      dropped.incrementAndGet();
    }
    clients.add(q);
    try {
      long idleSince = System.nanoTime();
      while (!closed) {
        String json = q.poll(500, TimeUnit.MILLISECONDS);
        if (json != null) {
          sink.emit(SseEvent.builder().name("result").data(json).build());
          idleSince = System.nanoTime();
        } else if (System.nanoTime() - idleSince > KEEP_ALIVE.toNanos()) {
          sink.emit(SseEvent.builder().comment("keep-alive").build());
          idleSince = System.nanoTime();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (UncheckedIOException | IllegalStateException e) {
      LOG.log(Level.DEBUG, "/api/results client went away: {0}", e.toString());
    } finally {
      clients.remove(q);
      try {
        sink.close();
      } catch (RuntimeException e) {
        // already closed by the peer
      }
    }
  }

  /** Ends every stream. Idempotent. */
  @Override
  public void close() {
    closed = true;
  }
}
