package dev.offramp.exporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.exporter.testing.TinyData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildEndToEndTest {
  @TempDir Path dir;

  private int run(StringWriter out, StringWriter err, String... args) {
    return ToolsMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void buildsAVerifiedBundleThatEvaluateReadsBack() throws Exception {
    Path backbone = TinyData.backbone(dir, 10);
    Path data = TinyData.fashionLike(dir.resolve("data"), 2400, 600, 3);
    Path out = dir.resolve("bundle");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code =
        run(
            o,
            e,
            "build",
            "--backbone",
            backbone.toString(),
            "--data",
            "fashion-mnist:" + data,
            "--out",
            out.toString(),
            "--epochs",
            "1",
            "--compare-baseline",
            "--margins",
            "0,0.05",
            "--seed",
            "3");
    assertEquals(0, code, () -> o + "\n" + e);
    Bundle bundle = Bundle.open(out);
    assertEquals(3, bundle.manifest().stages().size());
    assertEquals(2, bundle.manifest().profiles().size());
    assertTrue(Files.isRegularFile(out.resolve("report.json")));
    assertTrue(Files.readString(out.resolve("accuracy-vs-macs.svg")).contains("baseline"));
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals(240, report.at("/dataset/splits/valid").asInt());
    assertEquals(2, report.at("/branches/boosted").size());
    assertEquals(2, report.at("/branches/baseline").size());

    StringWriter eo = new StringWriter();
    int ec =
        run(
            eo,
            new StringWriter(),
            "evaluate",
            out.toString(),
            "--data",
            "fashion-mnist:" + data,
            "--json");
    assertEquals(0, ec, eo::toString);
    JsonNode ev = new ObjectMapper().readTree(eo.toString());
    assertEquals(2, ev.get("profiles").size());
    // evaluate and the build's own test evaluation agree (same executor, same rule)
    assertEquals(
        report.at("/evaluation/profiles/boosted/0/accuracy").asDouble(),
        ev.at("/profiles/0/accuracy").asDouble(),
        1e-12);
    assertEquals(
        report.at("/evaluation/profiles/boosted/0/macs_fraction").asDouble(),
        ev.at("/profiles/0/macs_fraction").asDouble(),
        1e-12);

    // The merged bundle still computes the backbone's cut tensors, on real images too.
    StringWriter vo = new StringWriter();
    int vc =
        run(
            vo,
            new StringWriter(),
            "verify",
            out.toString(),
            "--backbone",
            backbone.toString(),
            "--samples",
            "2",
            "--data",
            "fashion-mnist:" + data,
            "--data-samples",
            "5");
    assertEquals(0, vc, vo::toString);
    assertTrue(vo.toString().contains("PASS: 3 stages, 7 samples"), vo::toString);
  }
}
