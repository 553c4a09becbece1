package dev.offramp.runtime.cli;

import static dev.offramp.runtime.testing.TestConfigs.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.runtime.Main;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.testing.Broker;
import dev.offramp.runtime.testing.InProcessDaemon;
import dev.offramp.runtime.testing.Media;
import dev.offramp.runtime.testing.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon configured for TensorRT and CUDA on this CPU-only ONNX Runtime build: every stage falls
 * back to CPU, the daemon still classifies, and {@code /api/status} says which provider each stage
 * got.
 */
class AcceleratorFallbackTest {
  @TempDir Path tmp;

  @Test
  void statusReportsTheProviderEachStageActuallyGot() throws Exception {
    Path bundle = TestBundles.write(Files.createDirectories(tmp.resolve("bundle")));
    Path video = Media.grayMp4(tmp, 4);
    try (Broker broker = new Broker(tmp.resolve("broker")).start()) {
      Path yaml =
          Files.writeString(
              tmp.resolve("offramp.yaml"),
              """
              execution:
                providers: [tensorrt, cuda, cpu]
                tensorrt: {fp16: true, workspace-mb: 256, batch: {min: 1, opt: 1, max: 2}}
                cuda: {device-id: 0, cudnn-algo-search: heuristic, arena-limit-mb: 256}
              """);
      RuntimeConfig config =
          TestConfigs.daemon(
              Optional.of(yaml),
              tmp,
              "acc1",
              bundle,
              video.toString(),
              broker.url(),
              set("source.loop", true),
              set("source.max-fps", 20.0));
      InProcessDaemon daemon = new InProcessDaemon(config);
      try {
        Main.Started s = daemon.started();
        assertEquals(List.of("cpu", "cpu", "cpu"), s.providers());
        HttpResponse<String> res =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + s.httpPort() + "/api/status"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), res.body());
        JsonNode status = new ObjectMapper().readTree(res.body());
        assertEquals("[\"cpu\",\"cpu\",\"cpu\"]", status.get("providers").toString(), res.body());
        // Nothing was cached for a provider that never ran.
        assertFalse(Files.exists(tmp.resolve("state").resolve("accelerators")));
      } finally {
        daemon.close();
      }
      assertEquals(0, daemon.stop());
    }
  }
}
