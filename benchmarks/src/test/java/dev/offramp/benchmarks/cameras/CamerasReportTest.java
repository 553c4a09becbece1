package dev.offramp.benchmarks.cameras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offramp.benchmarks.report.HostLine;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.exporter.testing.JsonShape;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cameras result document: the figures it derives, and the keys of the committed runs. */
class CamerasReportTest {
  private static CamerasBench.Window window() {
    CamerasBench.Window w = new CamerasBench.Window();
    for (int i = 1; i <= 6; i++) {
      w.add("one/c0", i);
    }
    for (int i = 1; i <= 2; i++) {
      w.add("one/c1", 10 * i);
    }
    return w;
  }

  @Test
  void derivesThroughputPerCameraLatencyAndRssFromTheWindow() {
    CamerasBench.Arrangement a = CamerasBench.Arrangement.of(1, window(), 2.0, 2048, 3072);
    assertEquals(8, a.results());
    assertEquals(4.0, a.throughputFps(), 1e-12);
    assertEquals(Map.of("one/c0", 3.0, "one/c1", 1.0), a.perCameraFps());
    assertEquals(20.0, a.latencyMs().p99(), 1e-12);
    assertEquals(51.0 / 8, a.latencyMs().mean(), 1e-12);
    assertEquals(2.0, a.rssMib().afterWarmup(), 1e-12);
    assertEquals(3.0, a.rssMib().end(), 1e-12);
  }

  /** The document without the per-camera maps, whose keys are the run's camera names. */
  private static JsonNode withoutCameraNames(JsonNode doc) {
    ObjectNode copy = doc.deepCopy();
    for (String arrangement : List.of("one_daemon", "daemon_per_camera")) {
      ((ObjectNode) copy.get(arrangement)).remove("per_camera_fps");
    }
    return copy;
  }

  @Test
  void hasTheKeysOfTheCommittedRunsAndTheirFiguresAddUp() {
    CamerasBench.Arrangement a = CamerasBench.Arrangement.of(1, window(), 2.0, 2048, 3072);
    JsonNode made =
        Json.tree(
            new CamerasBench.Report(
                "b", "s", 2, 0, 15, 30, a, a, new HostLine(2, "cpu", "25", "2026-11-30")));
    for (String file : List.of("results/cameras-full-speed.json", "results/cameras-30fps.json")) {
      JsonNode doc = Json.read(Path.of(file));
      assertEquals(
          JsonShape.of(withoutCameraNames(doc)), JsonShape.of(withoutCameraNames(made)), file);
      int cameras = doc.get("cameras").asInt();
      assertEquals(1, doc.at("/one_daemon/daemons").asInt(), file);
      assertEquals(cameras, doc.at("/daemon_per_camera/daemons").asInt(), file);
      for (String arrangement : List.of("one_daemon", "daemon_per_camera")) {
        JsonNode r = doc.get(arrangement);
        double sum = 0;
        int n = 0;
        for (Iterator<JsonNode> it = r.get("per_camera_fps").elements(); it.hasNext(); n++) {
          sum += it.next().asDouble();
        }
        assertEquals(cameras, n, file + " " + arrangement);
        assertEquals(r.get("throughput_fps").asDouble(), sum, 1e-6 * sum, file + " " + arrangement);
        assertTrue(
            r.at("/latency_ms/p50").asDouble() <= r.at("/latency_ms/p99").asDouble(),
            file + " " + arrangement);
      }
    }
  }
}
