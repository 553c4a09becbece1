package dev.offramp.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.runtime.Main;
import dev.offramp.runtime.config.ConfigLoader;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.lifecycle.StopSignal;
import dev.offramp.runtime.testing.Broker;
import dev.offramp.runtime.testing.Media;
import dev.offramp.runtime.testing.Subscriber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
          ConfigLoader.load(
              Optional.empty(),
              List.of(
                  new ConfigLoader.Override("device-id", "t", "net1"),
                  new ConfigLoader.Override("state-dir", "t", tmp.resolve("state").toString()),
                  new ConfigLoader.Override("bundle.path", "t", bundle.toString()),
                  new ConfigLoader.Override("source.uri", "t", url),
                  new ConfigLoader.Override("source.reconnect-initial-ms", "t", 100),
                  new ConfigLoader.Override("source.reconnect-max-ms", "t", 400),
                  new ConfigLoader.Override("source.max-fps", "t", 20.0),
                  new ConfigLoader.Override("mqtt.broker-url", "t", broker.url()),
                  new ConfigLoader.Override("http.port", "t", 0)));
      StopSignal stop = new StopSignal();
      Process server = serve(url);
      CompletableFuture<Integer> daemon =
          CompletableFuture.supplyAsync(
              () ->
                  Main.run(config, new Main.Options(stop, 0, List.of(), s -> {}, List.of("true"))));
      try {
        sub.await(m -> m.topic().endsWith("/result"), 3, 60);
        server.destroy();
        server.waitFor(5, TimeUnit.SECONDS);
        sub.await(
            m -> m.topic().endsWith("/status") && m.payload().contains("\"reconnecting\""), 1, 20);
        int before = sub.on("/result").size();
        server = serve(url);
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
        stop.request("test");
        server.destroyForcibly();
      }
      assertEquals(0, daemon.get(10, TimeUnit.SECONDS));
    }
  }

  private static Process serve(String url) throws Exception {
    return new ProcessBuilder(
            "ffmpeg",
            "-loglevel",
            "error",
            "-re",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=56x56:rate=20",
            "-f",
            "mpjpeg",
            "-listen",
            "1",
            url)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }
}
