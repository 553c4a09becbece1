package dev.offramp.runtime.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.testing.PastedCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class EmbeddedBrokerTest {
  @Test
  void mosquittoSubPastedAsPrintedReceivesWhatIsPublished() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/mosquitto_sub")), "mosquitto-clients not installed");
    try (EmbeddedBroker broker = EmbeddedBroker.start(0)) {
      String line = broker.subscribeCommand("offramp/#");
      assertEquals("mosquitto_sub -h 127.0.0.1 -p " + broker.port() + " -t 'offramp/#' -v", line);
      MqttClient publisher =
          new MqttClient(broker.url(), "embedded-broker-test", new MemoryPersistence());
      publisher.connect(new MqttConnectOptions());
      AtomicBoolean stop = new AtomicBoolean();
      // mosquitto_sub subscribes some time after it starts: publish until it has printed one.
      Thread publishing =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    publisher.publish(
                        "offramp/demo/cam0/result",
                        "{\"seq\":1}".getBytes(StandardCharsets.UTF_8),
                        1,
                        false);
                    Thread.sleep(50);
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try (PastedCommand sub = PastedCommand.start(line)) {
        publishing.start();
        String got = sub.await(l -> l.startsWith("offramp/"), 20);
        assertEquals("offramp/demo/cam0/result {\"seq\":1}", got);
      } finally {
        stop.set(true);
        publishing.join(2_000);
        publisher.disconnect();
        publisher.close();
      }
    }
  }

  @Test
  void subscribeCommandRefusesAFilterTheShellQuotingWouldBreak() {
    try (EmbeddedBroker broker = EmbeddedBroker.start(0)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> broker.subscribeCommand("a'b"));
      assertTrue(e.getMessage().contains("found 'a'b'"), e.getMessage());
    }
  }
}
