package dev.offramp.runtime.mqtt;

import dev.offramp.runtime.pipeline.ResultEvent;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * The acknowledgement window: sends stored results in id order with at most {@link
 * BrokerLink#WINDOW} unacknowledged, deletes each run of acknowledged ones from the store in one
 * transaction, and after a lost connection (or a crash) starts again from the oldest unacknowledged
 * one. So a replay interrupted by a crash resends at most {@link BrokerLink#WINDOW} results.
 *
 * <p>Results the store could not take ({@link #unstored}, storage failing) are sent from memory
 * after the stored ones. Publisher thread only, apart from the counters.
 */
final class DeliveryWindow {
  private static final System.Logger LOG = System.getLogger(DeliveryWindow.class.getName());
  private static final int PREFETCH = 64;

  /** One result in flight: from the store ({@code row}) or from memory ({@code live}). */
  private record Inflight(IMqttDeliveryToken token, ResultStore.Row row, ResultEvent live) {}

  private final MqttSettings settings;
  private final BrokerLink link;
  private final ResultStore store;
  private final Consumer<String> storageFailed;
  private final ArrayDeque<Inflight> inflight = new ArrayDeque<>();
  private final ArrayDeque<ResultStore.Row> prefetched = new ArrayDeque<>();
  private final Deque<ResultEvent> unstored;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private long cursor;
  private long replayThrough;
  private boolean storeHasMore = true;

  DeliveryWindow(
      MqttSettings settings,
      BrokerLink link,
      ResultStore store,
      Deque<ResultEvent> unstored,
      Consumer<String> storageFailed) {
    this.settings = settings;
    this.link = link;
    this.store = store;
    this.unstored = unstored;
    this.storageFailed = storageFailed;
  }

  /** Highest store id handed to the network (rows up to it must not be evicted). */
  long sentThrough() {
    return cursor;
  }

  /** New rows were stored: look at the store again. */
  void stored() {
    storeHasMore = true;
  }

  /** On connect: rows stored up to now are sent as {@code replayed: true}. */
  void connected(long maxStoredId) {
    replayThrough = maxStoredId;
    storeHasMore = true;
  }

  boolean idle() {
    return inflight.isEmpty() && prefetched.isEmpty() && !storeHasMore && unstored.isEmpty();
  }

  int inflight() {
    return inflight.size();
  }

  /** Reaps acknowledgements and fills the window. Returns true when it did something. */
  boolean step() throws InterruptedException {
    reap();
    if (inflight.size() >= BrokerLink.WINDOW) {
      waitFront();
      return true;
    }
    if (prefetched.isEmpty() && storeHasMore) {
      try {
        List<ResultStore.Row> rows = store.readAfter(cursor, PREFETCH);
        prefetched.addAll(rows);
        storeHasMore = rows.size() == PREFETCH;
        if (!rows.isEmpty()) {
          cursor = rows.get(rows.size() - 1).id();
        }
      } catch (SQLException e) {
        storageFailed.accept("reading " + store.file() + ": " + e.getMessage());
        storeHasMore = false;
      }
    }
    ResultStore.Row row = prefetched.poll();
    if (row != null) {
      byte[] payload = row.payload();
      if (row.id() <= replayThrough) {
        payload = ResultJson.toBytes(ResultJson.fromBytes(payload).asReplayed());
      }
      send(row.camera(), payload, row, null);
      return true;
    }
    ResultEvent live = unstored.poll();
    if (live != null) {
      send(live.camera(), ResultJson.toBytes(live), null, live);
      return true;
    }
    if (!inflight.isEmpty()) {
      waitFront();
      return true;
    }
    return false;
  }

  private void send(String camera, byte[] payload, ResultStore.Row row, ResultEvent live) {
    String topic = settings.topicPrefix() + "/" + camera + "/result";
    try {
      IMqttDeliveryToken t = link.publish(topic, payload, settings.resultQos(), false);
      inflight.addLast(new Inflight(t, row, live));
    } catch (MqttException e) {
      inflight.addLast(new Inflight(null, row, live));
      LOG.log(Level.DEBUG, "MQTT publish to {0} failed: {1}", topic, BrokerLink.describe(e));
      link.markLost();
    }
  }

  private void waitFront() throws InterruptedException {
    Inflight f = inflight.peekFirst();
    if (f == null || f.token() == null) {
      Thread.sleep(5);
      return;
    }
    try {
      f.token().waitForCompletion(20);
    } catch (MqttException e) {
      // Timed out or failed; reap() and the loss path sort it out.
    }
  }

  /** Removes acknowledged results from the front of the window and deletes them from the store. */
  void reap() {
    long first = -1;
    long last = -1;
    long bytes = 0;
    while (!inflight.isEmpty()) {
      Inflight f = inflight.peekFirst();
      if (f.token() == null || !f.token().isComplete()) {
        break;
      }
      if (f.token().getException() != null) {
        link.markLost();
        break;
      }
      inflight.removeFirst();
      published.incrementAndGet();
      if (f.row() != null) {
        if (first < 0) {
          first = f.row().id();
        }
        last = f.row().id();
        bytes += f.row().payload().length;
        if (f.row().id() <= replayThrough) {
          replayed.incrementAndGet();
        }
      }
    }
    if (first >= 0) {
      try {
        store.delete(first, last, bytes);
      } catch (SQLException e) {
        storageFailed.accept("deleting acknowledged rows: " + e.getMessage());
      }
    }
  }

  /**
   * The connection dropped: everything unacknowledged goes back, stored rows by moving the cursor
   * back, results from memory to the front of {@link #unstored}.
   */
  void requeue() {
    reap();
    long firstUnacked = Long.MAX_VALUE;
    Deque<ResultEvent> back = new ArrayDeque<>();
    for (Inflight f : inflight) {
      if (f.row() != null) {
        firstUnacked = Math.min(firstUnacked, f.row().id());
      } else {
        back.addLast(f.live());
      }
    }
    for (ResultStore.Row r : prefetched) {
      firstUnacked = Math.min(firstUnacked, r.id());
    }
    if (firstUnacked != Long.MAX_VALUE) {
      cursor = firstUnacked - 1;
    }
    while (!back.isEmpty()) {
      unstored.addFirst(back.removeLast());
    }
    inflight.clear();
    prefetched.clear();
    storeHasMore = true;
  }

  /** Waits up to {@code ms} for what is in flight to be acknowledged (closing). */
  void settle(long ms) {
    long deadline = System.nanoTime() + ms * 1_000_000L;
    while (!inflight.isEmpty() && link.clientConnected() && System.nanoTime() < deadline) {
      reap();
      try {
        waitFront();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    reap();
  }

  long published() {
    return published.get();
  }

  long replayed() {
    return replayed.get();
  }
}
