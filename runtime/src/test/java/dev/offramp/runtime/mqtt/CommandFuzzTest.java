package dev.offramp.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.runtime.control.ControlHub;
import dev.offramp.runtime.mqtt.Fixtures.FakeControl;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * Fuzzes the MQTT command handler: any topic suffix and payload is applied or refused, never
 * throws, leaves the profile one of the bundle's, and answers with one JSON refusal whose text has
 * no raw line break and stays short. Replays its inputs in the normal test run; {@code
 * JAZZER_FUZZ=1} fuzzes.
 */
class CommandFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @FuzzTest(maxDuration = "30s")
  void anyCommandIsAppliedOrRefusedWithOneShortSafeAnswer(FuzzedDataProvider data)
      throws Exception {
    FakeControl target = new FakeControl("m0.02", "m0.05");
    ControlHub hub = new ControlHub(target);
    List<byte[]> answers = new ArrayList<>();
    CommandHandler handler = new CommandHandler("offramp/d", hub, (t, p) -> answers.add(p));
    String name = data.consumeBoolean() ? data.pickValue(List.of("profile", "paused")) : "";
    String topic = "offramp/d/set/" + name + data.consumeString(40);
    byte[] payload = data.consumeRemainingAsBytes();
    handler.handle(topic, new MqttMessage(payload));
    assertTrue(target.profiles().contains(target.profile()), target.profile());
    assertTrue(answers.size() <= 1, "one answer at most");
    for (byte[] a : answers) {
      JsonNode n = JSON.readTree(a);
      String error = n.get("error").asText();
      assertTrue(error.length() < 1200, "short: " + error.length());
      assertTrue(error.indexOf('\n') < 0 && error.indexOf('\r') < 0, "no raw line break");
      assertTrue(n.get("topic").asText().indexOf('\n') < 0);
    }
  }
}
