package dev.offramp.runtime.mqtt;

import dev.offramp.runtime.control.RuntimeControl;
import dev.offramp.runtime.pipeline.BundleId;
import dev.offramp.runtime.pipeline.ResultEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Test data and helpers shared by the MQTT and HTTP tests. */
public final class Fixtures {
  private Fixtures() {}

  /** A plausible two-stage result with the given seq. */
  public static ResultEvent result(String camera, long seq) {
    return new ResultEvent(
        "dev1",
        camera,
        "s-1",
        seq,
        1_700_000_000_000L + seq,
        "Sneaker",
        7,
        0.93f,
        1,
        2,
        "m0.02",
        0.41,
        new double[] {1.25, 0.75},
        2.0,
        3.5,
        150_090_000L,
        12.5,
        "model:macs",
        0,
        false,
        new BundleId("test-net", "0123456789ab"));
  }

  /** Polls {@code condition} every 20 ms until it holds or the deadline passes. */
  public static boolean await(Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  /** A thread-safe {@link RuntimeControl} over a fixed profile list. */
  public static final class FakeControl implements RuntimeControl {
    private final List<String> profiles;
    private volatile String profile;
    private volatile boolean paused;

    public FakeControl(String... profiles) {
      this.profiles = List.of(profiles);
      this.profile = profiles[0];
    }

    @Override
    public List<String> profiles() {
      return profiles;
    }

    @Override
    public String profile() {
      return profile;
    }

    @Override
    public void setProfile(String name) {
      if (!profiles.contains(name)) {
        throw new IllegalArgumentException("unknown profile " + name + "; allowed " + profiles);
      }
      profile = name;
    }

    @Override
    public boolean paused() {
      return paused;
    }

    @Override
    public void setPaused(boolean paused) {
      this.paused = paused;
    }
  }

  /** A Paho subscriber recording every message per topic. */
  static final class Recorder implements MqttCallback, AutoCloseable {
    final Map<String, List<String>> messages = new ConcurrentHashMap<>();
    final List<Boolean> retained = new CopyOnWriteArrayList<>();
    final MqttClient client;

    Recorder(String url, String clientId, boolean persistentSession, String... filters)
        throws MqttException {
      client = new MqttClient(url, clientId, new MemoryPersistence());
      client.setCallback(this);
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(!persistentSession);
      o.setAutomaticReconnect(true);
      o.setMaxReconnectDelay(500);
      o.setMaxInflight(100);
      client.connect(o);
      for (String f : filters) {
        client.subscribe(f, 1);
      }
    }

    List<String> on(String topic) {
      return messages.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>());
    }

    @Override
    public void connectionLost(Throwable cause) {}

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      on(topic).add(new String(message.getPayload(), StandardCharsets.UTF_8));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}

    @Override
    public void close() throws MqttException {
      if (client.isConnected()) {
        client.disconnect(1000);
      }
      client.close(true);
    }
  }
}
