package dev.offramp.benchmarks.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offramp.benchmarks.BenchMain;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.benchmarks.testing.TinyIdx;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.exporter.testing.JsonShape;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  @TempDir Path dir;

  private int run(StringWriter out, StringWriter err, String... args) {
    return BenchMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void benchmarksMonolithicAndEveryProfileInOneRunAndWritesJsonMarkdownAndPlots() throws Exception {
    Path bundle = TestBundles.write(Files.createDirectories(dir.resolve("bundle")));
    String data = TinyIdx.write(dir.resolve("data"), 100, 60, 1);
    Path json = dir.resolve("out/bench.json");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code =
        run(
            o,
            e,
            "--bundle",
            bundle.toString(),
            "--backbone",
            bundle.resolve("backbone.onnx.reference").toString(),
            "--data",
            data,
            "--limit",
            "30",
            "--warmup",
            "5",
            "--energy-root",
            dir.toString(),
            "--json",
            json.toString());
    assertEquals(0, code, () -> o + "\n" + e);
    JsonNode r = Json.read(json);
    JsonShape.assertRecorded("bench-settings.shape", r.get("settings"));
    JsonShape.assertRecorded("bench-variants.shape", r.get("variants"));
    assertEquals("none", r.get("energy_method").asText());
    assertEquals(30, r.get("frames").asInt());
    assertTrue(r.get("chain_overhead_ratio").asDouble() > 0);
    assertEquals(6, r.get("variants").size(), "monolithic, never-exit and four profiles");
    JsonNode mono = r.get("variants").get(0);
    assertEquals("monolithic", mono.get("name").asText());
    assertEquals(1.0, mono.get("macs_fraction").asDouble(), 1e-12);
    for (JsonNode v : r.get("variants")) {
      assertTrue(v.get("throughput_fps").asDouble() > 0);
      assertTrue(v.get("energy_mj_per_frame").isNull(), "no meter, no number");
      assertTrue(v.at("/latency_ms/p99").asDouble() >= v.at("/latency_ms/p50").asDouble());
    }
    // The never-exit cascade predicts what the monolithic backbone predicts (same weights).
    JsonNode never = r.get("variants").get(1);
    assertEquals("boosted:never-exit", never.get("name").asText());
    assertEquals(mono.get("accuracy").asDouble(), never.get("accuracy").asDouble(), 1e-12);
    // The "eager" profile answers every frame at exit 0.
    for (JsonNode v : r.get("variants")) {
      if (v.get("name").asText().equals("boosted:eager")) {
        assertEquals(1.0, v.get("exit_rates").get(0).asDouble(), 1e-12);
        assertTrue(v.get("macs_fraction").asDouble() < 0.5);
      }
    }
    assertTrue(r.at("/machine/cores").asInt() >= 1);
    assertTrue(Files.readString(dir.resolve("out/bench.md")).contains("| monolithic |"));
    assertTrue(Files.readString(dir.resolve("out/bench-latency-vs-macs.svg")).startsWith("<svg"));
    assertTrue(Files.readString(dir.resolve("out/bench-accuracy-vs-macs.svg")).contains("boosted"));
  }

  @Test
  void calibrateEnergyWithoutAMeterSaysSoAndPrintsDefaultsNotFittedNumbers() throws Exception {
    Path bundle = TestBundles.write(Files.createDirectories(dir.resolve("bundle")));
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    Path yaml = dir.resolve("energy.yaml");
    int code =
        run(
            o,
            e,
            "--calibrate-energy",
            "--bundle",
            bundle.toString(),
            "--energy-root",
            dir.toString(),
            "--out",
            yaml.toString());
    assertEquals(0, code, () -> o + "\n" + e);
    assertTrue(o.toString().contains("no coefficients were fitted"), o::toString);
    assertTrue(o.toString().contains("raspberry-pi-5"));
    assertTrue(Files.notExists(yaml), "nothing measured, nothing written");
  }

  @Test
  void missingRequiredFlagsAreAUserErrorNamingTheFlag() {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    assertEquals(2, run(o, e, "--bundle", dir.toString()));
    assertTrue(e.toString().contains("--backbone"), e::toString);
  }
}
