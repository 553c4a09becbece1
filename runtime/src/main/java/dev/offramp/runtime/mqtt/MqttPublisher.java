package dev.offramp.runtime.mqtt;

import dev.offramp.runtime.capture.CaptureState;
import dev.offramp.runtime.control.ControlHub;
import dev.offramp.runtime.control.RuntimeControl;
import dev.offramp.runtime.mqtt.DropCounts.Reason;
import dev.offramp.runtime.pipeline.ResultEvent;
import dev.offramp.runtime.pipeline.ResultSink;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Publishes results, availability, capture states, stats and applied control state over MQTT 3.1.1
 * (Paho), with every result stored durably ({@link ResultStore}, SQLite WAL) before it is handed to
 * the network, from the first frame on.
 *
 * <p>Parts: {@link BrokerLink} (connection state machine), {@link DeliveryWindow} (acknowledgement
 * window over the store, replay), {@link CommandHandler} ({@code set/<name>}), {@link DropCounts}
 * (accounting). This class owns the publisher thread and the lifecycle.
 *
 * <p>Threads: {@link #accept} (pipeline thread) only offers to a bounded in-memory queue; a full
 * queue drops the result, counted ({@link Reason#QUEUE}). The publisher thread moves the queue into
 * the store in batches (one transaction each), then sends stored results in order. When the store
 * refuses writes (storage failing, e.g. a full disk nothing can be evicted from), results are kept
 * in memory and sent live while the broker is up; readiness then says "storage failing".
 *
 * <p>Accounting: every result is delivered (acknowledged), still stored, or counted in {@link
 * #drops()} with a reason. Delivery is at least once; after a crash at most {@link
 * BrokerLink#WINDOW} results are sent twice.
 */
public final class MqttPublisher implements ResultSink, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(MqttPublisher.class.getName());
  private static final long CLOSE_WAIT_MS = 2000;
  private static final int BATCH = 256;

  private final MqttSettings settings;
  private final ControlHub control;
  private final Supplier<? extends Map<String, ?>> stats;
  private final DropCounts drops = new DropCounts();
  private final ResultStore store;
  private final BrokerLink link;
  private final DeliveryWindow window;
  private final BlockingQueue<ResultEvent> queue;
  private final HeldResults held;
  private final List<ResultEvent> batch = new ArrayList<>();
  private final StatusTopics topics;
  private final Thread thread;
  private volatile long heartbeat = System.nanoTime();
  private volatile int unstoredCount;
  private final long startMaxId;
  private volatile boolean stopping;
  private volatile boolean closed;

  private MqttPublisher(
      MqttSettings settings, ControlHub control, Supplier<? extends Map<String, ?>> stats) {
    this.settings = settings;
    this.control = control;
    this.stats = stats;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    CommandHandler commands = new CommandHandler(settings.topicPrefix(), control, this::answer);
    this.link = new BrokerLink(settings, commands::handle);
    this.store =
        ResultStore.open(
            settings.bufferDir(), settings.bufferMaxBytes(), settings.bufferFsync(), drops);
    this.held = new HeldResults(settings.queueCapacity(), drops);
    this.window = new DeliveryWindow(settings, link, store, held.deque(), held::failed);
    this.startMaxId = maxIdOrZero(store);
    this.topics = new StatusTopics(settings, link, stats, this::statsExtras);
    this.thread = new Thread(this::run, "offramp-mqtt-publisher");
    thread.setDaemon(true);
  }

  /**
   * Opens the store and starts connecting in the background; returns at once.
   *
   * @param control receives {@code set/profile} and {@code set/paused}; a {@link ControlHub} is
   *     used as is (this publisher listens to it), anything else is wrapped in one
   * @param stats snapshot published as JSON on {@code <prefix>/stats} every {@code stats-interval}
   * @throws IllegalArgumentException when TLS files, credentials or the buffer dir are unusable
   */
  public static MqttPublisher start(
      MqttSettings settings, RuntimeControl control, Supplier<? extends Map<String, ?>> stats) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(control, "control");
    Objects.requireNonNull(stats, "stats");
    ControlHub hub = control instanceof ControlHub h ? h : new ControlHub(control);
    MqttPublisher p;
    try {
      p = new MqttPublisher(settings, hub, stats);
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    hub.addListener(p.topics::applied);
    p.thread.start();
    return p;
  }

  // ---------------------------------------------------------------- any thread

  /** Queues one result; never blocks. Drops (counted, reason queue) only when the queue is full. */
  @Override
  public void accept(ResultEvent event) {
    if (closed || !queue.offer(event)) {
      long n = drops.add(Reason.QUEUE, 1);
      if (Long.bitCount(n) == 1) {
        LOG.log(
            Level.WARNING,
            "MQTT publish queue full ({0}): dropped {1} result(s) so far (reason queue); the"
                + " publisher thread is not keeping up (disk too slow?) — raise"
                + " mqtt.queue-capacity",
            settings.queueCapacity(),
            n);
      }
    }
  }

  /** Publishes (retained, QoS 1) and remembers a camera's capture state. */
  public void publishCaptureState(String camera, CaptureState captureState) {
    topics.captureState(camera, captureState);
  }

  /**
   * Publishes retained (QoS 1) on {@code <prefix>/<subtopic>} now when connected, and again on
   * every connect; an empty payload removes the retained message from the broker.
   */
  public void publishRetained(String subtopic, byte[] payload) {
    topics.retained(subtopic, payload);
  }

  private void answer(String topic, byte[] payload) {
    try {
      link.publish(topic, payload, 1, false);
    } catch (MqttException e) {
      LOG.log(Level.DEBUG, "MQTT: answer not published: {0}", BrokerLink.describe(e));
    }
  }

  public BrokerState brokerState() {
    return link.state();
  }

  public boolean connected() {
    return link.connected();
  }

  /** Results stored (or held in memory while storage fails) and not yet acknowledged. */
  public long bufferDepth() {
    return store.depth() + unstoredCount;
  }

  /** Results dropped for any reason. */
  public long bufferDropped() {
    return drops.total();
  }

  /** Dropped results by reason. */
  public DropCounts drops() {
    return drops;
  }

  /** Results dropped because the in-memory queue was full. */
  public long queueDropped() {
    return drops.get(Reason.QUEUE);
  }

  /** Results acknowledged by the broker. */
  public long published() {
    return window.published();
  }

  /** Results acknowledged that were stored before the connection they went out on. */
  public long replayed() {
    return window.replayed();
  }

  /** Why the store refuses writes now, or empty when it works. */
  public Optional<String> storageProblem() {
    return held.problem();
  }

  /** Whether the publisher thread runs and went round within {@code maxAgeMs}. */
  public boolean alive(long maxAgeMs) {
    return thread.isAlive() && System.nanoTime() - heartbeat < maxAgeMs * 1_000_000L;
  }

  // ---------------------------------------------------------------- publisher thread

  private void run() {
    while (!stopping) {
      heartbeat = System.nanoTime();
      try {
        if (link.dropped()) {
          int unacked = window.inflight();
          window.requeue();
          link.onLost(unacked);
        } else if (link.connected()) {
          intake(null);
          boolean busy = window.step();
          topics.maybePublishStats();
          if (!busy) {
            intake(queue.poll(20, TimeUnit.MILLISECONDS));
          }
        } else if (link.step()) {
          onConnected();
        } else {
          intake(queue.poll(20, TimeUnit.MILLISECONDS));
        }
        unstoredCount = held.deque().size();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "MQTT publisher step failed; retrying in 1 s", e);
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
  }

  /** Moves queued results (and {@code first}) into the store, or memory while storage fails. */
  private void intake(ResultEvent first) {
    batch.clear();
    if (first != null) {
      batch.add(first);
    }
    queue.drainTo(batch, BATCH);
    if (held.waiting()) {
      held.hold(batch);
      return;
    }
    if (held.problem().isPresent()) {
      List<ResultEvent> all = new ArrayList<>(held.deque());
      all.addAll(batch);
      if (all.isEmpty()) {
        // Nothing to write. After a failed write, the retry stays due and the next result is the
        // test (an idle retry on a still-full disk must not flap readiness and the log); after a
        // failed read or delete, a read is the test.
        if (held.recoversByReading()) {
          probeByReading();
        }
        return;
      }
      if (storeBatch(all)) {
        held.recovered(store.file());
      } else {
        held.hold(batch);
      }
      return;
    }
    if (!batch.isEmpty() && !storeBatch(batch)) {
      held.hold(batch);
    }
  }

  private void probeByReading() {
    try {
      store.maxId();
      held.recovered(store.file());
    } catch (SQLException e) {
      held.failed("reading " + store.file() + ": " + e.getMessage());
    }
  }

  private boolean storeBatch(List<ResultEvent> events) {
    try {
      store.append(events, window::inUse);
      window.stored();
      return true;
    } catch (SQLException e) {
      held.writeFailed("writing " + store.file() + ": " + e.getMessage());
      return false;
    }
  }

  private static long maxIdOrZero(ResultStore store) {
    try {
      return store.maxId();
    } catch (SQLException e) {
      return 0;
    }
  }

  private void onConnected() {
    long maxId = 0;
    try {
      maxId = store.maxId();
    } catch (SQLException e) {
      held.failed("reading " + store.file() + ": " + e.getMessage());
    }
    window.connected(maxId, link.everDown() ? maxId : startMaxId);
    String p = settings.topicPrefix();
    LOG.log(
        Level.INFO,
        "MQTT connected to {0} as {1}; {2} stored result(s) to send",
        settings.brokerUrl(),
        settings.clientId(),
        store.depth());
    try {
      link.publish(p + "/available", BrokerLink.bytes("online"), 1, true);
      link.subscribe(p + "/set/+", 1);
      topics.switches(control);
    } catch (MqttException e) {
      LOG.log(Level.WARNING, "MQTT: publishing availability failed: {0}", BrokerLink.describe(e));
      link.markLost();
      return;
    }
    topics.resendCaptureStates();
    topics.resendRetained();
  }

  /** What the publisher adds to the {@code stats} payload: store depth and drops. */
  private Map<String, Object> statsExtras() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mqtt_buffer_depth", bufferDepth());
    m.put("mqtt_buffer_dropped_total", drops.total());
    m.put("mqtt_buffer_dropped", drops.snapshot());
    m.put("mqtt_queue_dropped_total", drops.get(Reason.QUEUE));
    m.put("mqtt_storage", held.problem().map(p -> "failing: " + p).orElse("ok"));
    return m;
  }

  // ---------------------------------------------------------------- shutdown

  /**
   * Stops the publisher thread, stores what is queued, waits briefly for acknowledgements,
   * publishes {@code stopped} and disconnects. What is unacknowledged stays stored for the next
   * start. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopping = true;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    intake(null);
    window.settle(CLOSE_WAIT_MS);
    window.requeue();
    if (!held.deque().isEmpty()) {
      List<ResultEvent> rest = new ArrayList<>(held.deque());
      held.deque().clear();
      if (!storeBatch(rest)) {
        drops.add(Reason.STORAGE, rest.size());
        LOG.log(
            Level.ERROR,
            "MQTT: {0} result(s) held in memory could not be stored at stop (reason storage)",
            rest.size());
      }
    }
    unstoredCount = 0;
    long unsent = store.depth();
    store.close();
    link.close(CLOSE_WAIT_MS);
    if (unsent > 0) {
      LOG.log(
          Level.INFO,
          "MQTT: {0} unsent result(s) kept in {1} for the next start",
          unsent,
          store.file());
    }
  }
}
