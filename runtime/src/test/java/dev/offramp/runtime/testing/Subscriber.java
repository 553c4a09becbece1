package dev.offramp.runtime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A persistent-session MQTT subscriber on {@code offramp/#} that keeps every message, and survives
 * the broker's restarts (it reconnects itself).
 */
public final class Subscriber implements AutoCloseable {
  /** One received message. */
  public record Message(String topic, String payload, boolean retained) {
    public JsonNode json() {
      try {
        return new ObjectMapper().readTree(payload);
      } catch (Exception e) {
        throw new AssertionError("not JSON on " + topic + ": " + payload, e);
      }
    }
  }

  private final MqttClient client;
  private final List<Message> messages = new ArrayList<>();

  public Subscriber(String url, String clientId) throws Exception {
    client = new MqttClient(url, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(false);
    o.setAutomaticReconnect(true);
    o.setMaxInflight(1000);
    client.setCallback(
        new org.eclipse.paho.client.mqttv3.MqttCallbackExtended() {
          @Override
          public void connectComplete(boolean reconnect, String serverURI) {}

          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
            synchronized (messages) {
              messages.add(
                  new Message(
                      topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained()));
              messages.notifyAll();
            }
          }

          @Override
          public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken t) {}
        });
    client.connect(o);
    client.subscribe("offramp/#", 1);
  }

  public List<Message> messages() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  public List<Message> on(String topicSuffix) {
    return messages().stream().filter(m -> m.topic().endsWith(topicSuffix)).toList();
  }

  /** Waits until {@code count} messages match. */
  public List<Message> await(Predicate<Message> match, int count, long seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (messages) {
      while (true) {
        List<Message> hits = new ArrayList<>();
        for (Message m : messages) {
          if (match.test(m)) {
            hits.add(m);
          }
        }
        if (hits.size() >= count) {
          return hits;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "waited "
                  + seconds
                  + " s for "
                  + count
                  + " messages, got "
                  + hits.size()
                  + "; last: "
                  + messages.subList(Math.max(0, messages.size() - 10), messages.size()).stream()
                      .map(m -> m.topic() + "=" + abbreviate(m.payload()))
                      .toList());
        }
        messages.wait(Math.max(1, left / 1_000_000L));
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  @Override
  public void close() throws Exception {
    client.disconnectForcibly(1000);
    client.close();
  }
}
