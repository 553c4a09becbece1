package dev.offramp.runtime.mqtt;

import dev.offramp.runtime.text.SecretFiles;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The connection state machine: one Paho client per connection attempt, connect with a deadline
 * (Paho does not time out a CONNECT the broker never answers), exponential backoff from {@code
 * reconnect-min-delay} to {@code reconnect-max-delay}, loss detection. Driven by the publisher
 * thread ({@link #step}, {@link #dropped}); {@link #publish} and {@link #state} may be called from
 * any thread.
 */
final class BrokerLink {
  private static final System.Logger LOG = System.getLogger(BrokerLink.class.getName());
  static final int WINDOW = 16;
  private static final long CONNACK_GRACE_NANOS = 1_000_000_000L;

  private final MqttSettings settings;
  private final MqttConnectOptions options;
  private final BiConsumer<String, MqttMessage> inbound;
  private volatile MqttAsyncClient client;
  private volatile BrokerState state = BrokerState.CONNECTING;
  private volatile boolean lost;
  private IMqttToken connectToken;
  private long connectDeadline;
  private long nextAttemptNanos;
  private long backoffNanos;
  private int failedAttempts;
  private volatile boolean everDown;

  BrokerLink(MqttSettings settings, BiConsumer<String, MqttMessage> inbound) {
    this.settings = settings;
    this.inbound = inbound;
    this.options = connectOptions(settings);
    this.backoffNanos = settings.reconnectMinDelay().toNanos();
    this.client = newClient();
  }

  BrokerState state() {
    return state;
  }

  boolean connected() {
    return state == BrokerState.CONNECTED;
  }

  /** Whether a connect attempt has failed or a connection was lost since the start. */
  boolean everDown() {
    return everDown;
  }

  /** Whether a connected link has lost its connection (publisher thread). */
  boolean dropped() {
    return state == BrokerState.CONNECTED && (lost || !client.isConnected());
  }

  /** Marks the connection as lost (a publish failed). */
  void markLost() {
    lost = true;
  }

  /**
   * Advances a disconnected link: starts an attempt when due, checks the one in progress. Returns
   * true when the link has just connected.
   */
  synchronized boolean step() {
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
        state = BrokerState.CONNECTED;
        failedAttempts = 0;
        backoffNanos = settings.reconnectMinDelay().toNanos();
        return true;
      }
      connectFailed(e);
    } else if (connectToken != null && now - connectDeadline >= 0) {
      // A broker that accepted TCP and never answered (e.g. one shutting down): try again soon
      // with a fresh client rather than after the full backoff.
      connectToken = null;
      connectFailed(new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT));
      nextAttemptNanos = System.nanoTime() + settings.reconnectMinDelay().toNanos();
    }
    return false;
  }

  private synchronized void connectFailed(MqttException e) {
    everDown = true;
    failedAttempts++;
    state = BrokerState.DISCONNECTED;
    LOG.log(
        failedAttempts == 1 ? Level.WARNING : Level.DEBUG,
        "MQTT broker {0} unreachable ({1}); retrying in {2} ms; results stay in {3}",
        settings.brokerUrl(),
        e == null ? "not connected" : describe(e),
        backoffNanos / 1_000_000,
        settings.bufferDir());
    nextAttemptNanos = System.nanoTime() + backoffNanos;
    backoffNanos = Math.min(backoffNanos * 2, settings.reconnectMaxDelay().toNanos());
  }

  /** The connection dropped: schedule the next attempt, discard the client. */
  synchronized void onLost(int unacknowledged) {
    everDown = true;
    state = BrokerState.DISCONNECTED;
    LOG.log(
        Level.WARNING,
        "MQTT connection to {0} lost; {1} unacknowledged result(s) will be resent from {2}",
        settings.brokerUrl(),
        unacknowledged,
        settings.bufferDir());
    failedAttempts = 1;
    nextAttemptNanos = System.nanoTime() + backoffNanos;
    discardClient();
  }

  /** Publishes on the current client; throws when not connected. Any thread. */
  IMqttDeliveryToken publish(String topic, byte[] payload, int qos, boolean retained)
      throws MqttException {
    return client.publish(topic, payload, qos, retained);
  }

  void subscribe(String filter, int qos) throws MqttException {
    client.subscribe(filter, qos);
  }

  /** Publishes {@code stopped}, disconnects and closes the client. Closing thread. */
  void close(long waitMs) {
    MqttAsyncClient c = client;
    try {
      if (c.isConnected()) {
        c.publish(settings.topicPrefix() + "/available", bytes("stopped"), 1, true)
            .waitForCompletion(waitMs);
        c.disconnect(waitMs).waitForCompletion(waitMs);
      }
    } catch (MqttException e) {
      LOG.log(Level.WARNING, "MQTT: clean disconnect failed: {0}", describe(e));
    } finally {
      state = BrokerState.STOPPED;
      try {
        c.close(true);
      } catch (MqttException e) {
        LOG.log(Level.DEBUG, "MQTT: close: {0}", describe(e));
      }
    }
  }

  boolean clientConnected() {
    return client.isConnected();
  }

  /** One client per connection: Paho clients do not always recover from a lost connection. */
  private MqttAsyncClient newClient() {
    try {
      MqttAsyncClient c =
          new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
      c.setCallback(new Callback(c));
      return c;
    } catch (MqttException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "mqtt.broker-url '" + settings.brokerUrl() + "' is not usable: " + e.getMessage(), e);
    }
  }

  private void discardClient() {
    MqttAsyncClient c = client;
    try {
      c.disconnectForcibly(0, 0, false);
    } catch (MqttException | RuntimeException e) {
      LOG.log(Level.TRACE, "MQTT: already disconnected: {0}", e.toString());
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
      s.passwordFile().ifPresent(f -> o.setPassword(readSecret(f)));
    }
    if (s.tls()) {
      o.setSocketFactory(
          TlsSocketFactories.create(s.tlsCaFile().orElseThrow(), s.tlsCertFile(), s.tlsKeyFile()));
    }
    return o;
  }

  private static char[] readSecret(Path file) {
    return SecretFiles.firstLine(file, "mqtt.password-file", "password", false).toCharArray();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String describe(MqttException e) {
    Throwable c = e.getCause();
    return e.getMessage() + " (reason " + e.getReasonCode() + (c == null ? "" : ", " + c) + ")";
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
      inbound.accept(topic, message);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // Tokens are polled by the publisher thread.
    }
  }
}
