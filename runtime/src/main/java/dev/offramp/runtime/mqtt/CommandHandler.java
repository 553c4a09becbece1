package dev.offramp.runtime.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.runtime.control.ControlHub;
import dev.offramp.runtime.text.SafeText;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * MQTT commands, {@code <prefix>/set/<name>}: validated and applied through the {@link ControlHub}
 * (which then publishes the applied state to every transport). A refused command gets an answer on
 * {@code <prefix>/error} (JSON: topic, error) and a log line; payloads over {@link #MAX_PAYLOAD}
 * bytes are refused unread, and what is logged is escaped and truncated, so a payload can neither
 * forge log lines nor flood the log.
 */
final class CommandHandler {
  private static final System.Logger LOG = System.getLogger(CommandHandler.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Largest command payload accepted, in bytes. */
  static final int MAX_PAYLOAD = 4096;

  private static final int LOGGED_CHARS = 120;

  private final String prefix;
  private final ControlHub control;
  private final BiConsumer<String, byte[]> answer;

  /**
   * @param answer publishes a refusal: (topic, JSON payload)
   */
  CommandHandler(String prefix, ControlHub control, BiConsumer<String, byte[]> answer) {
    this.prefix = prefix;
    this.control = control;
    this.answer = answer;
  }

  /** Handles one message from the {@code set/+} subscription; never throws. */
  void handle(String topic, MqttMessage message) {
    String setPrefix = prefix + "/set/";
    if (!topic.startsWith(setPrefix)) {
      return;
    }
    String name = topic.substring(setPrefix.length());
    byte[] raw = message.getPayload();
    if (raw.length > MAX_PAYLOAD) {
      String head = new String(raw, 0, Math.min(raw.length, LOGGED_CHARS), StandardCharsets.UTF_8);
      refuse(
          topic,
          "payload of "
              + raw.length
              + " bytes refused: expected at most "
              + MAX_PAYLOAD
              + " bytes (a profile name, true or false); starts with '"
              + SafeText.of(head, 2 * LOGGED_CHARS)
              + "'");
      return;
    }
    String value = new String(raw, StandardCharsets.UTF_8).strip();
    try {
      switch (name) {
        case "profile" -> control.setProfile(value);
        case "paused" -> control.setPaused(value);
        case "audit" -> control.set("audit", value);
        case "budget" -> control.setBudget(value);
        case "bundle" -> control.requestBundle(value);
        default ->
            refuse(
                topic,
                "unknown setting '"
                    + SafeText.of(name, LOGGED_CHARS)
                    + "'; expected one of: profile, paused, budget, bundle, audit");
      }
    } catch (IllegalArgumentException e) {
      // The control hub's messages already escape and cut the value they quote.
      refuse(topic, e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "MQTT " + SafeText.of(topic, LOGGED_CHARS) + ": failed", e);
    }
  }

  private void refuse(String topic, String why) {
    String safeTopic = SafeText.of(topic, LOGGED_CHARS);
    LOG.log(Level.WARNING, "MQTT {0}: refused: {1}", safeTopic, why);
    Map<String, String> m = new LinkedHashMap<>();
    m.put("topic", safeTopic);
    m.put("error", why);
    try {
      answer.accept(prefix + "/error", JSON.writeValueAsBytes(m));
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.log(Level.DEBUG, "MQTT: refusal not published: {0}", e.toString());
    }
  }
}
