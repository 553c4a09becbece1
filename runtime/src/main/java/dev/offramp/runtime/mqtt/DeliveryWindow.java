package dev.offramp.runtime.mqtt;

import dev.offramp.runtime.pipeline.ResultEvent;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * The acknowledgement window over the store: at most {@link BrokerLink#WINDOW} results
 * unacknowledged; each acknowledged run is deleted from the store in one statement; after a lost
 * connection (or a crash) sending starts again from the oldest unacknowledged result. So a replay
 * interrupted by a crash resends at most {@link BrokerLink#WINDOW} results.
 *
 * <p>Two streams share the window: the <em>backlog</em> (rows stored before the current connection
 * came up, sent with {@code replayed: true}) and <em>live</em> rows (stored since). While both have
 * rows they alternate, so live results flow as soon as the broker is back however long the backlog;
 * each stream is in seq order. Results the store could not take ({@code unstored}, storage failing)
 * are sent from memory after the stored ones. Publisher thread only, apart from the counters.
 */
final class DeliveryWindow {
  private static final System.Logger LOG = System.getLogger(DeliveryWindow.class.getName());
  private static final int PREFETCH = 64;

  /** One result in flight: from the store ({@code row}) or from memory ({@code live}). */
  private record Inflight(IMqttDeliveryToken token, StoredRows.Row row, ResultEvent live) {}

  /** Rows with ids in {@code (cursor, upTo]} still to send. */
  private static final class Stream {
    long cursor;
    long upTo;
    boolean more = true;
    final ArrayDeque<StoredRows.Row> prefetched = new ArrayDeque<>();
  }

  private final MqttSettings settings;
  private final BrokerLink link;
  private final ResultStore store;
  private final Consumer<String> storageFailed;
  private final ArrayDeque<Inflight> inflight = new ArrayDeque<>();
  private final Set<Long> inUse = new HashSet<>();
  private final Stream backlog = new Stream();
  private final Stream live = new Stream();
  private final Deque<ResultEvent> unstored;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private boolean liveTurn = true;
  private volatile long replayedThrough;

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
    live.upTo = Long.MAX_VALUE;
  }

  /** Whether row {@code id} is in flight or prefetched (must not be evicted). */
  boolean inUse(long id) {
    return inUse.contains(id);
  }

  /** New rows were stored: look at the store again. */
  void stored() {
    live.more = true;
  }

  /**
   * On connect: rows stored up to {@code maxStoredId} form the backlog; those up to {@code
   * replayedThrough} are sent as {@code replayed: true} (rows that only waited for the first
   * connect of this run are not replays).
   */
  void connected(long maxStoredId, long replayedThrough) {
    this.replayedThrough = replayedThrough;
    long resume = Math.min(backlog.cursor, live.cursor);
    backlog.cursor = resume;
    backlog.upTo = maxStoredId;
    backlog.more = true;
    live.cursor = Math.max(resume, maxStoredId);
    live.more = true;
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
    Stream first = liveTurn ? live : backlog;
    Stream second = liveTurn ? backlog : live;
    StoredRows.Row row = next(first);
    if (row == null) {
      row = next(second);
    }
    if (row != null) {
      liveTurn = !liveTurn;
      byte[] payload = row.payload();
      if (row.id() <= replayedThrough) {
        payload = ResultJson.asReplayed(payload);
      }
      send(row.camera(), payload, row, null);
      return true;
    }
    ResultEvent e = unstored.poll();
    if (e != null) {
      send(e.camera(), ResultJson.toBytes(e), null, e);
      return true;
    }
    if (!inflight.isEmpty()) {
      waitFront();
      return true;
    }
    return false;
  }

  private StoredRows.Row next(Stream s) {
    if (s.prefetched.isEmpty() && s.more && s.cursor < s.upTo) {
      try {
        StoredRows.Batch b = store.readAfter(s.cursor, s.upTo, PREFETCH);
        s.prefetched.addAll(b.rows());
        b.rows().forEach(r -> inUse.add(r.id()));
        s.more = b.more();
        s.cursor = b.lastId();
      } catch (SQLException ex) {
        storageFailed.accept("reading " + store.file() + ": " + ex.getMessage());
        s.more = false;
      }
    }
    return s.prefetched.poll();
  }

  private void send(String camera, byte[] payload, StoredRows.Row row, ResultEvent event) {
    String topic = settings.topicPrefix() + "/" + camera + "/result";
    try {
      IMqttDeliveryToken t = link.publish(topic, payload, settings.resultQos(), false);
      inflight.addLast(new Inflight(t, row, event));
    } catch (MqttException e) {
      inflight.addLast(new Inflight(null, row, event));
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

  /**
   * Removes acknowledged results from the front of the window and deletes them from the store: one
   * range per stream (within a stream rows go out in id order, so the range holds only rows already
   * acknowledged).
   */
  void reap() {
    long[] backlogRange = {-1, -1, 0};
    long[] liveRange = {-1, -1, 0};
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
      StoredRows.Row r = f.row();
      if (r != null) {
        boolean old = r.id() <= backlog.upTo;
        long[] range = old ? backlogRange : liveRange;
        if (range[0] < 0) {
          range[0] = r.id();
        }
        range[1] = r.id();
        range[2] += r.payload().length;
        inUse.remove(r.id());
        if (r.id() <= replayedThrough) {
          replayed.incrementAndGet();
        }
      }
    }
    for (long[] range : new long[][] {backlogRange, liveRange}) {
      if (range[0] >= 0) {
        try {
          store.delete(range[0], range[1], range[2]);
        } catch (SQLException e) {
          storageFailed.accept("deleting acknowledged rows: " + e.getMessage());
        }
      }
    }
  }

  /**
   * The connection dropped: everything unacknowledged goes back. Both streams resume from the
   * oldest unacknowledged or unsent row; results from memory go to the front of {@code unstored}.
   */
  void requeue() {
    reap();
    long resume = backlog.cursor < backlog.upTo ? backlog.cursor : live.cursor;
    resume = Math.min(resume, live.cursor);
    Deque<ResultEvent> back = new ArrayDeque<>();
    for (Inflight f : inflight) {
      if (f.row() != null) {
        resume = Math.min(resume, f.row().id() - 1);
      } else {
        back.addLast(f.live());
      }
    }
    for (Stream s : new Stream[] {backlog, live}) {
      for (StoredRows.Row r : s.prefetched) {
        resume = Math.min(resume, r.id() - 1);
      }
      s.prefetched.clear();
      s.more = true;
    }
    backlog.cursor = resume;
    live.cursor = resume;
    while (!back.isEmpty()) {
      unstored.addFirst(back.removeLast());
    }
    inflight.clear();
    inUse.clear();
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
