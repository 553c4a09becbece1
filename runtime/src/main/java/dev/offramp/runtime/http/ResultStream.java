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
 * Fans results out to {@code /api/results} clients. {@link #accept} (pipeline thread) keeps the
 * latest event and, only while clients are connected, serialises it once and offers the JSON to
 * each client's bounded queue; a full queue drops the result for that client and counts it. Each
 * client is served by its request's (virtual) thread in {@link #serve}. A client connecting gets
 * the latest result first, so a page shows something at once. A client whose queue stays full for
 * {@code http.sse-stall-ms} (it stopped reading) is disconnected: it leaves the client set at once,
 * so its slot frees, and its serving thread is interrupted, which closes its socket even while a
 * write to it blocks (virtual-thread socket I/O is interruptible). Thread-safe.
 */
public final class ResultStream implements ResultSink, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ResultStream.class.getName());
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final int queueSize;
  private final int maxClients;
  private final long stallNanos;
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  // The event, not its JSON: encoded only when a client is connected or the page asks for it.
  private final AtomicReference<ResultEvent> latest = new AtomicReference<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong disconnected = new AtomicLong();
  private volatile boolean closed;

  /** One connected client: its queue, the thread serving it, and since when its queue is full. */
  private static final class Client {
    final BlockingQueue<String> queue;
    final Thread thread;
    long fullSinceNanos; // pipeline thread only; 0 while the client keeps up
    volatile boolean evicted;

    Client(int size, Thread thread) {
      this.queue = new ArrayBlockingQueue<>(size);
      this.thread = thread;
    }
  }

  public ResultStream(HttpSettings settings) {
    this.queueSize = settings.sseQueue();
    this.maxClients = settings.maxSseClients();
    this.stallNanos = settings.sseStallMs() * 1_000_000L;
  }

  @Override
  public void accept(ResultEvent event) {
    latest.set(event);
    if (clients.isEmpty()) {
      return;
    }
    String json = ResultJson.toJson(event);
    long now = System.nanoTime();
    for (Client c : clients) {
      if (c.queue.offer(json)) {
        c.fullSinceNanos = 0;
        continue;
      }
      dropped.incrementAndGet();
      if (c.fullSinceNanos == 0) {
        c.fullSinceNanos = now;
      } else if (now - c.fullSinceNanos >= stallNanos) {
        evict(c);
      }
    }
  }

  private void evict(Client c) {
    if (clients.remove(c)) {
      c.evicted = true;
      disconnected.incrementAndGet();
      LOG.log(
          Level.WARNING,
          "/api/results client read nothing for {0} ms; disconnected to free its slot",
          stallNanos / 1_000_000L);
      c.thread.interrupt();
    }
  }

  /** Clients disconnected because they stopped reading. */
  public long disconnected() {
    return disconnected.get();
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
    return Optional.ofNullable(latest.get()).map(ResultJson::toJson);
  }

  /** Whether another client may connect. */
  boolean hasRoom() {
    return clients.size() < maxClients;
  }

  /** Streams to one client until it goes away or the stream closes; blocks the calling thread. */
  void serve(SseSink sink) {
    Client client = new Client(queueSize, Thread.currentThread());
    BlockingQueue<String> q = client.queue;
    String last = latest().orElse(null);
    if (last != null && !q.offer(last)) {
      dropped.incrementAndGet();
    }
    clients.add(client);
    try {
      long idleSince = System.nanoTime();
      while (!closed && !client.evicted) {
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
      clients.remove(client);
      if (client.evicted) {
        Thread.interrupted(); // the eviction's interrupt must not outlive this request
      }
      try {
        sink.close();
      } catch (RuntimeException e) {
        // already closed by the peer, or by the eviction
      }
    }
  }

  /** Ends every stream. Idempotent. */
  @Override
  public void close() {
    closed = true;
  }
}
