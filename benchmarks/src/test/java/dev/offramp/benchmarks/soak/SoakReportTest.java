package dev.offramp.benchmarks.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.exporter.testing.JsonShape;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The soak result document: the figures it derives, and the same keys as the committed runs. */
class SoakReportTest {
  private static final SoakBench.Args ARGS =
      new SoakBench.Args(
          8,
          4,
          "demo/fashion-resnet18/bundle",
          "demo/frames/fashion-test.mp4",
          Path.of("x"),
          Optional.empty());

  private static SoakBench.Stats stats() {
    return new SoakBench.Stats(
        new double[] {10, 20, 30, 40},
        new double[] {1, 2, 3, 4},
        new double[] {9, 18, 27, 36},
        2.0,
        100 * 1024,
        110 * 1024,
        1.5);
  }

  @Test
  void derivesThroughputLatencyAndRssGrowthFromTheSamples() {
    JsonNode doc = Json.tree(stats().report(ARGS));
    assertEquals(4, doc.get("measured_frames").asInt());
    assertEquals(2.0, doc.get("throughput_fps").asDouble(), 1e-12);
    assertEquals(25.0, doc.at("/latency_ms/mean").asDouble(), 1e-12);
    assertEquals(100.0, doc.at("/rss_mib/after_warmup").asDouble(), 1e-12);
    assertEquals(0.1, doc.at("/rss_mib/growth_fraction").asDouble(), 1e-12);
  }

  @Test
  void hasTheKeysOfTheCommittedRunsWithAndWithoutAConfiguration() {
    assertEquals(
        JsonShape.of(Json.read(Path.of("results/soak.json"))),
        JsonShape.of(Json.tree(stats().report(ARGS))));
    // The audit section is whatever the daemon reported (checked by the runtime's audit tests):
    // here only that it is carried as given, and that the rest has the committed run's keys.
    JsonNode reported = Json.tree(java.util.Map.of("sampled", 3));
    ObjectNode audited =
        (ObjectNode) Json.tree(stats().report(ARGS).withConfig("audit: {rate: 0.02}\n", reported));
    assertEquals(reported, audited.remove("audit"));
    ObjectNode committed =
        (ObjectNode) Json.read(Path.of("results/audit/quiet-soak-2pct-1.json")).deepCopy();
    committed.remove("audit");
    assertEquals(JsonShape.of(committed), JsonShape.of(audited));
  }
}
