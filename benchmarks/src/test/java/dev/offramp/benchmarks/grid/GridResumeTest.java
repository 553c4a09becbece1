package dev.offramp.benchmarks.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.benchmarks.testing.TinyIdx;
import dev.offramp.cascade.testing.OnnxBuilder;
import dev.offramp.cascade.testing.TestNets;
import dev.offramp.exporter.testing.JsonShape;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridResumeTest {
  @TempDir Path dir;

  @Test
  void rerunSkipsFinishedConfigurationsAndComputesOnlyMissingOnes() throws Exception {
    Path backbone = OnnxBuilder.write(TestNets.small(3).monolithic(), dir.resolve("net.onnx"));
    String data = TinyIdx.write(dir.resolve("data"), 600, 200, 5);
    Path out = dir.resolve("grid");
    GridSettings s =
        new GridSettings(
            backbone,
            data,
            out,
            0,
            0,
            0,
            1,
            64,
            0.003,
            5,
            0.2,
            new double[] {0.5},
            new double[] {0.25},
            1);
    GridSpec spec =
        new GridSpec(
            List.of(new GridSpec.Placement("two", new double[] {0.1, 0.5})),
            new double[] {0, 0.05},
            List.of(new GridSpec.Head(2, 8, 1)));
    StringWriter log = new StringWriter();

    GridRunner.Outcome first = GridRunner.run(s, spec, new PrintWriter(log, true));
    assertEquals(List.of("two_g2w8l1_m0", "two_g2w8l1_m0.05"), first.computed());
    assertEquals(List.of(), first.skipped());
    Path kept = out.resolve("configs/two_g2w8l1_m0.json");
    Path lost = out.resolve("configs/two_g2w8l1_m0.05.json");
    JsonNode c = Json.read(kept);
    JsonShape.assertRecorded("grid-config.shape", c);
    assertEquals(2, c.get("cuts").size());
    assertEquals("block0", c.get("cuts").get(0).asText());
    assertEquals("block1", c.get("cuts").get(1).asText());
    for (String scheme : List.of("boosted", "baseline")) {
      double acc = c.at("/" + scheme + "/accuracy").asDouble();
      double macs = c.at("/" + scheme + "/macs_fraction").asDouble();
      double oracle = c.at("/" + scheme + "/oracle_macs_fraction").asDouble();
      assertTrue(acc >= 0 && acc <= 1);
      assertTrue(oracle > 0 && oracle <= macs + 1e-12, scheme + ": the oracle is a floor");
    }
    assertTrue(List.of("boosted", "baseline", "tie", "neither").contains(c.get("winner").asText()));

    // Mark one finished file, delete the other: the rerun must keep the first untouched.
    String marked = Files.readString(kept).replaceFirst("\\{", "{\"marker\": \"untouched\",");
    Files.writeString(kept, marked);
    Files.delete(lost);
    GridRunner.Outcome second = GridRunner.run(s, spec, new PrintWriter(log, true));
    assertEquals(List.of("two_g2w8l1_m0.05"), second.computed());
    assertEquals(List.of("two_g2w8l1_m0"), second.skipped());
    assertEquals(marked, Files.readString(kept));
    assertTrue(Files.isRegularFile(lost));

    // Everything finished: nothing is computed, the aggregate still counts both.
    GridRunner.Outcome third = GridRunner.run(s, spec, new PrintWriter(log, true));
    assertEquals(List.of(), third.computed());
    JsonNode grid = Json.read(out.resolve("grid.json"));
    JsonShape.assertRecorded("grid.shape", grid);
    assertEquals(2, grid.get("configurations").size());
    assertEquals(2, grid.get("configurations_finished").asInt());
    int counted =
        grid.get("boosted_wins").asInt()
            + grid.get("baseline_wins").asInt()
            + grid.get("ties").asInt()
            + grid.get("neither").asInt();
    assertEquals(2, counted);
    assertTrue(Files.readString(out.resolve("pareto.svg")).contains("boosted Pareto front"));
    assertFalse(Files.readString(out.resolve("grid.md")).isBlank());
  }
}
