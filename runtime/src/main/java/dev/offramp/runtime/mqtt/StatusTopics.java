package dev.offramp.runtime.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.runtime.capture.CaptureState;
import dev.offramp.runtime.control.ControlHub;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * The state topics besides results: {@code <camera>/status} (retained, re-sent on every connect),
 * {@code state/<name>} for applied control changes (retained), and the periodic {@code stats}.
 * Capture states and applied changes may come from any thread; stats from the publisher thread.
 */
final class StatusTopics {
  private static final System.Logger LOG = System.getLogger(StatusTopics.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MqttSettings settings;
  private final BrokerLink link;
  private final Supplier<? extends Map<String, ?>> stats;
  private final Supplier<Map<String, Object>> extras;
  private final Map<String, CaptureState> captureStates = new ConcurrentHashMap<>();
  private final Map<String, byte[]> retainedTopics = new ConcurrentHashMap<>();
  private long nextStatsNanos;

  StatusTopics(
      MqttSettings settings,
      BrokerLink link,
      Supplier<? extends Map<String, ?>> stats,
      Supplier<Map<String, Object>> extras) {
    this.settings = settings;
    this.link = link;
    this.stats = stats;
    this.extras = extras;
    this.nextStatsNanos = System.nanoTime() + settings.statsInterval().toNanos();
  }

  /** Remembers a camera's capture state and publishes it when connected. */
  void captureState(String camera, CaptureState state) {
    captureStates.put(camera, state);
    if (link.connected()) {
      sendCaptureState(camera, state);
    }
  }

  /**
   * Publishes retained {@code <prefix>/<subtopic>} now if connected, and again on every connect.
   */
  void retained(String subtopic, byte[] payload) {
    retainedTopics.put(subtopic, payload.clone());
    if (link.connected()) {
      sendRetained(subtopic, payload);
    }
  }

  /** On connect: the latest retained payload of each {@link #retained} subtopic again. */
  void resendRetained() {
    retainedTopics.forEach(this::sendRetained);
  }

  private void sendRetained(String subtopic, byte[] payload) {
    try {
      link.publish(settings.topicPrefix() + "/" + subtopic, payload, 1, true);
    } catch (MqttException e) {
      LOG.log(Level.DEBUG, "MQTT: {0} not published now ({1}); sent on reconnect", subtopic, e);
    }
  }

  /** On connect: every camera's last state again. */
  void resendCaptureStates() {
    captureStates.forEach(this::sendCaptureState);
  }

  /** Shows an applied control change on {@code <prefix>/state/<name>} (retained). */
  void applied(String name, String value) {
    if (!link.connected()) {
      return; // sent on connect
    }
    try {
      link.publish(settings.topicPrefix() + "/state/" + name, BrokerLink.bytes(value), 1, true);
    } catch (MqttException e) {
      LOG.log(Level.DEBUG, "MQTT: state/{0} not published now ({1}); sent on reconnect", name, e);
    }
  }

  private void sendCaptureState(String camera, CaptureState s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", s.state().name().toLowerCase(Locale.ROOT));
    m.put("since", s.sinceEpochMs());
    m.put("error", s.error().orElse(null));
    try {
      link.publish(
          settings.topicPrefix() + "/" + camera + "/status", JSON.writeValueAsBytes(m), 1, true);
    } catch (MqttException | JsonProcessingException e) {
      LOG.log(
          Level.DEBUG,
          "MQTT: capture status of {0} not published now ({1}); sent on reconnect",
          camera,
          e.toString());
    }
  }

  void maybePublishStats() {
    long now = System.nanoTime();
    if (settings.statsInterval().isZero() || now - nextStatsNanos < 0) {
      return;
    }
    nextStatsNanos = now + settings.statsInterval().toNanos();
    try {
      link.publish(settings.topicPrefix() + "/stats", statsPayload(), 0, false);
    } catch (MqttException | JsonProcessingException | RuntimeException e) {
      LOG.log(Level.DEBUG, "MQTT: stats not published: {0}", e.toString());
    }
  }

  byte[] statsPayload() throws JsonProcessingException {
    Map<String, Object> m = new LinkedHashMap<>(stats.get());
    m.putAll(extras.get());
    return JSON.writeValueAsBytes(m);
  }

  /** Publishes the switches' state retained: profile, paused, budget mode, announced values. */
  void switches(ControlHub control) throws MqttException {
    String p = settings.topicPrefix() + "/state/";
    link.publish(p + "profile", BrokerLink.bytes(control.profile()), 1, true);
    link.publish(p + "paused", BrokerLink.bytes(Boolean.toString(control.paused())), 1, true);
    if (control.budgetAvailable()) { // budget mode: its switch and latest decision
      link.publish(p + "budget-mode", BrokerLink.bytes(control.budgetOn() ? "on" : "off"), 1, true);
      link.publish(p + "budget", BrokerLink.bytes(control.budgetState()), 1, true);
    }
    for (Map.Entry<String, String> e : control.announced().entrySet()) {
      link.publish(p + e.getKey(), BrokerLink.bytes(e.getValue()), 1, true);
    }
  }
}
