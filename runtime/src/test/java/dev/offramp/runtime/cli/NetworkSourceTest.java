package dev.offramp.runtime.cli;

import static dev.offramp.runtime.testing.TestConfigs.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.testing.Broker;
import dev.offramp.runtime.testing.InProcessDaemon;
import dev.offramp.runtime.testing.Media;
import dev.offramp.runtime.testing.Subscriber;
import dev.offramp.runtime.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An HTTP MJPEG camera that goes away and comes back, seen through the whole daemon. */
class NetworkSourceTest {
  @TempDir Path tmp;

  @Test
  void lostStreamIsReportedOfflineThenReconnectingThenOnlineAndClassificationResumes()
      throws Exception {
    Path bundle = TestBundles.write(Files.createDirectories(tmp.resolve("bundle")));
    String url = "http://127.0.0.1:" + Media.freePort() + "/stream";
    try (Broker broker = new Broker(tmp.resolve("broker")).start();
        Subscriber sub = new Subscriber(broker.url(), "net-sub")) {
      RuntimeConfig config =
          TestConfigs.daemon(
              Optional.empty(),
              tmp,
              "net1",
              bundle,
              url,
              broker.url(),
              set("source.reconnect-initial-ms", 100),
              set("source.reconnect-max-ms", 400),
              set("source.max-fps", 20.0));
      Process server = Media.serveMjpeg(url, 56);
      InProcessDaemon daemon = new InProcessDaemon(config);
      try {
        sub.await(m -> m.topic().endsWith("/result"), 3, 60);
        server.destroy();
        server.waitFor(5, TimeUnit.SECONDS);
        sub.await(
            m -> m.topic().endsWith("/status") && m.payload().contains("\"reconnecting\""), 1, 20);
        int before = sub.on("/result").size();
        server = Media.serveMjpeg(url, 56);
        sub.await(m -> m.topic().endsWith("/result"), before + 3, 30);
        List<String> states =
            sub.on("/cam0/status").stream().map(m -> m.json().get("state").asText()).toList();
        int online = states.indexOf("online");
        int offline = states.subList(online, states.size()).indexOf("offline") + online;
        int reconnecting = states.subList(offline, states.size()).indexOf("reconnecting") + offline;
        int back = states.lastIndexOf("online");
        assertTrue(
            online < offline && offline < reconnecting && reconnecting < back, states.toString());
      } finally {
        daemon.close();
        server.destroyForcibly();
      }
      assertEquals(0, daemon.stop());
    }
  }
}
