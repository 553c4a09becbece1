package dev.offramp.runtime.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.runtime.capture.CaptureState;
import dev.offramp.runtime.control.RuntimeControl;
import dev.offramp.runtime.pipeline.ResultEvent;
import dev.offramp.runtime.pipeline.ResultSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes results, availability, capture states, stats and applied commands over MQTT 3.1.1
 * (Paho), with store-and-forward through an {@link OfflineBuffer} while the broker is unreachable.
 *
 * <p>Lifecycle: {@link #start} opens the buffer and starts one publisher thread that connects, and
 * reconnects with exponential backoff ({@code reconnect-min-delay} doubling to {@code
 * reconnect-max-delay}); {@link #close()} flushes what is unsent to the buffer, publishes {@code
 * stopped} and disconnects. Idempotent.
 *
 * <p>Threads: {@link #accept} (pipeline thread) only offers to a bounded in-memory queue and never
 * touches the network or the disk. The publisher thread sends, in order: buffered results ({@code
 * replayed: true}) before live ones, so seq order is preserved. It spills the queue to the buffer
 * when disconnected (after a failed connect attempt) or when the queue passes three quarters of its
 * capacity (a slow broker). Only when the publisher thread itself cannot keep up does {@link
 * #accept} drop, counted in {@link #queueDropped()}. {@link #publishCaptureState} may be called
 * from any thread.
 *
 * <p>Delivery is at least once: results in flight when the connection drops are sent again, so a
 * subscriber may see a duplicate (same session and seq) but never a gap the buffer did not count.
 */
public final class MqttPublisher implements ResultSink, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(MqttPublisher.class.getName());
  private static final int WINDOW = 16;
  private static final long CLOSE_WAIT_MS = 2000;
  private static final long CONNACK_GRACE_NANOS = 2_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Connection state as shown by {@code /api/status} and health. */
  public enum BrokerState {
    CONNECTING,
    CONNECTED,
    DISCONNECTED,
    STOPPED;

    /** The lower-case name used in JSON. */
    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private record Inflight(
      IMqttDeliveryToken token, ResultEvent live, OfflineBuffer.Position disk) {}

  private final MqttSettings settings;
  private final RuntimeControl control;
  private final Supplier<? extends Map<String, ?>> stats;
  private final OfflineBuffer buffer;
  private final BlockingQueue<ResultEvent> queue;
  private final int highWater;
  private volatile MqttAsyncClient client;
  private final MqttConnectOptions options;
  private final Thread thread;
  private final Map<String, CaptureState> captureStates = new ConcurrentHashMap<>();
  private final ArrayDeque<Inflight> inflight = new ArrayDeque<>();
  private final AtomicLong queueDropped = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong replayedCount = new AtomicLong();
  private volatile BrokerState state = BrokerState.CONNECTING;
  private volatile boolean lost;
  private volatile boolean stopping;
  private volatile boolean closed;
  private IMqttToken connectToken;
  private long connectDeadline;
  private long nextAttemptNanos;
  private long backoffNanos;
  private int failedAttempts;
  private boolean spilling;
  private long nextStatsNanos;

  private MqttPublisher(
      MqttSettings settings, RuntimeControl control, Supplier<? extends Map<String, ?>> stats) {
    this.settings = settings;
    this.control = control;
    this.stats = stats;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.highWater = Math.max(1, settings.queueCapacity() * 3 / 4);
    this.options = connectOptions(settings);
    this.backoffNanos = settings.reconnectMinDelay().toNanos();
    this.client = newClient();
    this.buffer =
        OfflineBuffer.open(settings.bufferDir(), settings.bufferMaxBytes(), settings.bufferFsync());
    this.thread = new Thread(this::run, "offramp-mqtt-publisher");
    thread.setDaemon(true);
  }

  /**
   * Opens the buffer and starts connecting in the background; returns at once.
   *
   * @param control receives {@code set/profile} and {@code set/paused}
   * @param stats snapshot published as JSON on {@code <prefix>/stats} every {@code stats-interval}
   * @throws IllegalArgumentException when TLS files or credentials are unusable (named)
   */
  public static MqttPublisher start(
      MqttSettings settings, RuntimeControl control, Supplier<? extends Map<String, ?>> stats) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(control, "control");
    Objects.requireNonNull(stats, "stats");
    MqttPublisher p = new MqttPublisher(settings, control, stats);
    p.thread.start();
    return p;
  }

  /** One client per connection: Paho clients do not always recover from a lost connection. */
  private MqttAsyncClient newClient() {
    try {
      MqttAsyncClient c =
          new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
      c.setCallback(new Callback(c));
      return c;
    } catch (MqttException e) {
      throw new IllegalArgumentException(
          "mqtt.broker-url '" + settings.brokerUrl() + "' is not usable: " + e.getMessage(), e);
    }
  }

  private void discardClient() {
    MqttAsyncClient c = client;
    try {
      c.disconnectForcibly(0, 0, false);
    } catch (MqttException | RuntimeException e) {
      // already disconnected
    }
    try {
      c.close(true);
    } catch (MqttException | RuntimeException e) {
      LOG.log(Level.DEBUG, "MQTT: closing the previous client: {0}", e.toString());
    }
  }

  static MqttConnectOptions connectOptions(MqttSettings s) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(true);
    o.setAutomaticReconnect(false);
    o.setKeepAliveInterval((int) Math.max(1, s.keepAlive().toSeconds()));
    o.setConnectionTimeout((int) Math.max(1, s.connectTimeout().toSeconds()));
    o.setMaxInflight(WINDOW * 4);
    o.setWill(s.topicPrefix() + "/available", bytes("offline"), 1, true);
    if (s.username().isPresent()) {
      o.setUserName(s.username().get());
      s.passwordFile().ifPresent(f -> o.setPassword(readSecret(f.toString(), f)));
    }
    if (s.tls()) {
      o.setSocketFactory(
          TlsSocketFactories.create(s.tlsCaFile().orElseThrow(), s.tlsCertFile(), s.tlsKeyFile()));
    }
    return o;
  }

  private static char[] readSecret(String what, java.nio.file.Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty() || lines.get(0).isEmpty()) {
        throw new IllegalArgumentException(
            "mqtt.password-file " + what + " is empty; put the password on its first line");
      }
      return lines.get(0).toCharArray();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "mqtt.password-file: cannot read "
              + what
              + " ("
              + e
              + "); check the path and that the daemon user may read it",
          e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- pipeline side

  /** Queues one result; never blocks. Drops (counted) only when the queue is full. */
  @Override
  public void accept(ResultEvent event) {
    if (closed || !queue.offer(event)) {
      long n = queueDropped.incrementAndGet();
      if (Long.bitCount(n) == 1) {
        LOG.log(
            Level.WARNING,
            "MQTT publish queue full ({0}): dropped {1} result(s) so far; the publisher thread is"
                + " not keeping up (disk too slow?) — raise mqtt.queue-capacity",
            settings.queueCapacity(),
            n);
      }
    }
  }

  /** Publishes (retained, QoS 1) and remembers a camera's capture state; any thread. */
  public void publishCaptureState(String camera, CaptureState captureState) {
    captureStates.put(camera, captureState);
    if (state == BrokerState.CONNECTED) {
      sendCaptureState(camera, captureState);
    }
  }

  // ---------------------------------------------------------------- observers

  /** Current broker connection state. Any thread. */
  public BrokerState brokerState() {
    return state;
  }

  /** Whether the broker is connected now. Any thread. */
  public boolean connected() {
    return state == BrokerState.CONNECTED;
  }

  /** Results waiting in the disk buffer. Any thread. */
  public long bufferDepth() {
    return buffer.depth();
  }

  /** Results dropped because the disk buffer was full. Any thread. */
  public long bufferDropped() {
    return buffer.dropped();
  }

  /** Results dropped because the in-memory queue was full. Any thread. */
  public long queueDropped() {
    return queueDropped.get();
  }

  /** Results acknowledged by the broker (live and replayed). Any thread. */
  public long published() {
    return published.get();
  }

  /** Results acknowledged after being sent from the buffer. Any thread. */
  public long replayed() {
    return replayedCount.get();
  }

  // ---------------------------------------------------------------- publisher thread

  private void run() {
    nextStatsNanos = System.nanoTime() + settings.statsInterval().toNanos();
    while (!stopping) {
      try {
        if (state != BrokerState.CONNECTED) {
          stepDisconnected();
        } else if (lost || !client.isConnected()) {
          onLost();
        } else {
          stepConnected();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "MQTT publisher step failed; retrying in 1 s", e);
        sleepQuietly(1000);
      }
    }
  }

  private void stepDisconnected() throws InterruptedException {
    long now = System.nanoTime();
    if (connectToken == null && now - nextAttemptNanos >= 0) {
      state = BrokerState.CONNECTING;
      lost = false;
      try {
        discardClient();
        client = newClient();
        connectToken = client.connect(options);
        connectDeadline = now + settings.connectTimeout().toNanos() + CONNACK_GRACE_NANOS;
      } catch (MqttException e) {
        connectFailed(e);
      }
    }
    if (connectToken != null && connectToken.isComplete()) {
      MqttException e = connectToken.getException();
      connectToken = null;
      if (e == null && client.isConnected()) {
        onConnected();
        return;
      }
      connectFailed(e);
    } else if (connectToken != null && now - connectDeadline >= 0) {
      // Paho does not time out a CONNECT that the broker never answers (e.g. one sent to a
      // broker that is shutting down); give up on this client and start over with a new one.
      connectToken = null;
      connectFailed(new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT));
    }
    // A first attempt in progress keeps results in memory; after a failure they go to disk.
    if (failedAttempts > 0 || queue.size() >= highWater) {
      drainQueueToBuffer();
      ResultEvent e = queue.poll(20, TimeUnit.MILLISECONDS);
      if (e != null) {
        buffer.append(ResultJson.toBytes(e));
        drainQueueToBuffer();
      }
    } else {
      Thread.sleep(20);
    }
  }

  private void connectFailed(MqttException e) {
    failedAttempts++;
    state = BrokerState.DISCONNECTED;
    Level level = failedAttempts == 1 ? Level.WARNING : Level.DEBUG;
    LOG.log(
        level,
        "MQTT broker {0} unreachable ({1}); retrying in {2} ms, buffering results in {3}",
        settings.brokerUrl(),
        e == null ? "not connected" : describe(e),
        backoffNanos / 1_000_000,
        settings.bufferDir());
    nextAttemptNanos = System.nanoTime() + backoffNanos;
    backoffNanos = Math.min(backoffNanos * 2, settings.reconnectMaxDelay().toNanos());
  }

  private static String describe(MqttException e) {
    Throwable c = e.getCause();
    return e.getMessage() + " (reason " + e.getReasonCode() + (c == null ? "" : ", " + c) + ")";
  }

  private void onConnected() {
    state = BrokerState.CONNECTED;
    failedAttempts = 0;
    backoffNanos = settings.reconnectMinDelay().toNanos();
    buffer.rewind();
    String p = settings.topicPrefix();
    LOG.log(
        Level.INFO,
        "MQTT connected to {0} as {1}; {2} buffered result(s) to replay",
        settings.brokerUrl(),
        settings.clientId(),
        buffer.depth());
    try {
      client.publish(p + "/available", bytes("online"), 1, true);
      client.subscribe(p + "/set/+", 1);
      publishState("profile", control.profile());
      publishState("paused", Boolean.toString(control.paused()));
    } catch (MqttException e) {
      LOG.log(
          Level.WARNING, "MQTT: publishing availability after connect failed: {0}", describe(e));
      lost = true;
      return;
    }
    captureStates.forEach(this::sendCaptureState);
  }

  private void stepConnected() throws InterruptedException {
    reap();
    long now = System.nanoTime();
    if (!settings.statsInterval().isZero() && now - nextStatsNanos >= 0) {
      nextStatsNanos = now + settings.statsInterval().toNanos();
      publishStats();
    }
    if (!spilling && queue.size() >= highWater) {
      spilling = true;
      LOG.log(
          Level.INFO,
          "MQTT broker slower than the pipeline: spilling results to {0}",
          settings.bufferDir());
    }
    if (spilling && inflight.stream().noneMatch(f -> f.live() != null)) {
      drainQueueToBuffer();
      spilling = false;
    }
    if (inflight.size() >= WINDOW || spilling) {
      waitFront();
      return;
    }
    if (buffer.hasNext()) {
      OfflineBuffer.Entry entry = buffer.next();
      ResultEvent e = ResultJson.fromBytes(entry.payload()).asReplayed();
      send(e, entry.end());
      return;
    }
    ResultEvent e = inflight.isEmpty() ? queue.poll(20, TimeUnit.MILLISECONDS) : queue.poll();
    if (e != null) {
      send(e, null);
    } else if (!inflight.isEmpty()) {
      waitFront();
    }
  }

  private void send(ResultEvent e, OfflineBuffer.Position disk) {
    String topic = settings.topicPrefix() + "/" + e.camera() + "/result";
    try {
      IMqttDeliveryToken t =
          client.publish(topic, ResultJson.toBytes(e), settings.resultQos(), false);
      inflight.addLast(new Inflight(t, disk == null ? e : null, disk));
    } catch (MqttException ex) {
      // Not sent: keep it in order for the next connection.
      inflight.addLast(new Inflight(null, disk == null ? e : null, disk));
      LOG.log(Level.DEBUG, "MQTT publish to {0} failed: {1}", topic, describe(ex));
      lost = true;
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
      // Timed out (reason 32000) or failed; reap() and the loss path sort it out.
    }
  }

  /** Removes acknowledged results from the front of the window, committing buffered ones. */
  private void reap() {
    OfflineBuffer.Position commit = null;
    while (!inflight.isEmpty()) {
      Inflight f = inflight.peekFirst();
      if (f.token() == null || !f.token().isComplete()) {
        break;
      }
      if (f.token().getException() != null) {
        lost = true;
        break;
      }
      inflight.removeFirst();
      published.incrementAndGet();
      if (f.disk() != null) {
        replayedCount.incrementAndGet();
        commit = f.disk();
      }
    }
    if (commit != null) {
      buffer.commit(commit);
    }
  }

  /** The connection dropped: unacknowledged results go back in order, the queue to disk. */
  private void onLost() {
    reap();
    state = BrokerState.DISCONNECTED;
    LOG.log(
        Level.WARNING,
        "MQTT connection to {0} lost; {1} unacknowledged result(s) will be resent, buffering in {2}",
        settings.brokerUrl(),
        inflight.size(),
        settings.bufferDir());
    requeueInflight();
    drainQueueToBuffer();
    spilling = false;
    failedAttempts = 1;
    nextAttemptNanos = System.nanoTime() + backoffNanos;
    discardClient();
  }

  /**
   * Buffered results in flight are rewound (they come first); live ones in flight are appended
   * after them. Spilling only happens with no live result in flight, so nothing in the buffer is
   * newer than a live result in flight.
   */
  private void requeueInflight() {
    buffer.rewind();
    for (Inflight f : inflight) {
      if (f.live() != null) {
        buffer.append(ResultJson.toBytes(f.live()));
      }
    }
    inflight.clear();
  }

  private void drainQueueToBuffer() {
    ResultEvent e;
    while ((e = queue.poll()) != null) {
      buffer.append(ResultJson.toBytes(e));
    }
  }

  private void publishState(String name, String value) throws MqttException {
    client.publish(settings.topicPrefix() + "/state/" + name, bytes(value), 1, true);
  }

  private void sendCaptureState(String camera, CaptureState s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", s.state().name().toLowerCase(Locale.ROOT));
    m.put("since", s.sinceEpochMs());
    m.put("error", s.error().orElse(null));
    try {
      client.publish(
          settings.topicPrefix() + "/" + camera + "/status", JSON.writeValueAsBytes(m), 1, true);
    } catch (MqttException | JsonProcessingException e) {
      LOG.log(
          Level.DEBUG,
          "MQTT: capture status of {0} not published now ({1}); sent on reconnect",
          camera,
          e.toString());
    }
  }

  private void publishStats() {
    try {
      Map<String, Object> m = new LinkedHashMap<>(stats.get());
      m.put("mqtt_buffer_depth", buffer.depth());
      m.put("mqtt_buffer_dropped_total", buffer.dropped());
      m.put("mqtt_queue_dropped_total", queueDropped.get());
      client.publish(settings.topicPrefix() + "/stats", JSON.writeValueAsBytes(m), 0, false);
    } catch (MqttException | JsonProcessingException | RuntimeException e) {
      LOG.log(Level.DEBUG, "MQTT: stats not published: {0}", e.toString());
    }
  }

  private final class Callback implements MqttCallback {
    private final MqttAsyncClient owner;

    Callback(MqttAsyncClient owner) {
      this.owner = owner;
    }

    @Override
    public void connectionLost(Throwable cause) {
      if (owner != client) {
        return;
      }
      lost = true;
      LOG.log(Level.DEBUG, "MQTT connection lost: {0}", String.valueOf(cause));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      String setPrefix = settings.topicPrefix() + "/set/";
      if (!topic.startsWith(setPrefix)) {
        return;
      }
      String name = topic.substring(setPrefix.length());
      String value = new String(message.getPayload(), StandardCharsets.UTF_8).strip();
      try {
        switch (name) {
          case "profile" -> {
            if (!control.profiles().contains(value)) {
              LOG.log(
                  Level.WARNING,
                  "MQTT {0}: unknown profile ''{1}''; allowed: {2}",
                  topic,
                  value,
                  control.profiles());
              return;
            }
            control.setProfile(value);
            publishState("profile", control.profile());
          }
          case "paused" -> {
            String v = value.toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
              LOG.log(
                  Level.WARNING, "MQTT {0}: expected true or false; found ''{1}''", topic, value);
              return;
            }
            control.setPaused(Boolean.parseBoolean(v));
            publishState("paused", Boolean.toString(control.paused()));
          }
          default ->
              LOG.log(
                  Level.WARNING,
                  "MQTT {0}: unknown setting ''{1}''; allowed: profile, paused",
                  topic,
                  name);
        }
      } catch (IllegalArgumentException e) {
        LOG.log(Level.WARNING, "MQTT {0}: {1}", topic, e.getMessage());
      } catch (MqttException e) {
        LOG.log(
            Level.WARNING,
            "MQTT {0}: applied, but publishing the state failed: {1}",
            topic,
            describe(e));
      }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // Tokens are polled by the publisher thread.
    }
  }

  // ---------------------------------------------------------------- shutdown

  /**
   * Stops the publisher thread, writes everything unacknowledged to the buffer (sent on the next
   * start), publishes {@code stopped} and disconnects. Idempotent.
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
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
    while (!inflight.isEmpty() && client.isConnected() && System.nanoTime() < deadline) {
      reap();
      if (lost) {
        break;
      }
      try {
        waitFront();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    reap();
    requeueInflight();
    drainQueueToBuffer();
    long unsent = buffer.depth();
    try {
      buffer.close();
    } catch (UncheckedIOException e) {
      LOG.log(Level.ERROR, "MQTT: closing the offline buffer failed", e);
    }
    try {
      if (client.isConnected()) {
        client
            .publish(settings.topicPrefix() + "/available", bytes("stopped"), 1, true)
            .waitForCompletion(CLOSE_WAIT_MS);
        client.disconnect(CLOSE_WAIT_MS).waitForCompletion(CLOSE_WAIT_MS);
      }
    } catch (MqttException e) {
      LOG.log(Level.WARNING, "MQTT: clean disconnect failed: {0}", describe(e));
    } finally {
      state = BrokerState.STOPPED;
      try {
        client.close(true);
      } catch (MqttException e) {
        LOG.log(Level.DEBUG, "MQTT: close: {0}", describe(e));
      }
    }
    if (unsent > 0) {
      LOG.log(
          Level.INFO,
          "MQTT: {0} unsent result(s) kept in {1} for the next start",
          unsent,
          settings.bufferDir());
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
