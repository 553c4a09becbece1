package dev.offramp.exporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.exporter.testing.JsonShape;
import dev.offramp.exporter.testing.TinyData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildEndToEndTest {
  @TempDir Path dir;

  private int run(StringWriter out, StringWriter err, String... args) {
    return ToolsMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** {@code offramp build} of {@code backbone} on the IDX set {@code data}, one epoch, + flags. */
  private int build(
      StringWriter o, StringWriter e, Path backbone, Path data, Path out, String... flags) {
    List<String> args = TinyData.buildArgs(backbone, data, out);
    args.addAll(List.of(flags));
    return run(o, e, args.toArray(String[]::new));
  }

  @Test
  void buildsAVerifiedBundleThatEvaluateReadsBack() throws Exception {
    Path backbone = TinyData.backbone(dir, 10);
    Path data = TinyData.fashionLike(dir.resolve("data"), 2400, 600, 3);
    Path out = dir.resolve("bundle");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code =
        build(
            o, e, backbone, data, out, "--compare-baseline", "--margins", "0,0.05", "--seed", "3");
    assertEquals(0, code, () -> o + "\n" + e);
    Bundle bundle = Bundle.open(out);
    assertEquals(3, bundle.manifest().stages().size());
    // two margins plus the target profile of the default --max-drop 1.0, which is the default
    assertEquals(3, bundle.manifest().profiles().size());
    assertEquals("target-drop1.0", bundle.manifest().defaultProfile());
    assertEquals(
        1.0, bundle.manifest().profile("target-drop1.0").target().orElseThrow().maxDropPoints());
    // The live audit's expectation: agreement per exit and class on the calibration split.
    for (var p : bundle.manifest().profiles().values()) {
      assertEquals(2, p.expected().agreement().length, p.name());
      assertEquals(10, p.expected().agreement()[0].length, p.name());
    }
    assertTrue(
        o.toString().contains("WARNING: if the backbone was trained on that split"), o::toString);
    assertTrue(Files.isRegularFile(out.resolve("report.json")));
    assertTrue(Files.readString(out.resolve("accuracy-vs-macs.svg")).contains("baseline"));
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    JsonShape.assertRecorded("report-compare-baseline.shape", report);
    assertEquals(240, report.at("/dataset/splits/valid").asInt());
    assertEquals("held-out-of-train", report.at("/calibration/source").asText());
    assertTrue(report.at("/calibration/may_overlap_backbone_training").asBoolean());
    assertEquals(64, report.at("/dataset/digests/valid").asText().length());
    assertEquals(64, report.at("/dataset/digests/test").asText().length());
    // every valid sample reaches exit 0 (this was 0 before the survivors fix)
    assertEquals(240, report.at("/branches/boosted/0/valid_reaching").asInt());
    JsonNode target = report.at("/calibration/target");
    assertEquals("target-drop1.0", target.get("profile").asText());
    // judged by its out-of-fold 95% bound, not by the drop on the images that set the thresholds
    assertEquals(
        target.get("met_on_calibration").asBoolean(),
        target.at("/estimate/drop_upper_bound_points").asDouble() <= 1.0);
    assertEquals(
        target.at("/estimate/drop_points").asDouble()
            + 1.645 * target.at("/estimate/drop_se_points").asDouble(),
        target.at("/estimate/drop_upper_bound_points").asDouble(),
        1e-9);
    assertTrue(target.has("met_on_test"));
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
            "--json",
            "--outcomes",
            dir.resolve("outcomes.json").toString());
    assertEquals(0, ec, eo::toString);
    JsonNode ev = new ObjectMapper().readTree(eo.toString());
    JsonShape.assertRecorded("evaluate-json.shape", ev);
    assertEquals(3, ev.get("profiles").size());
    assertTrue(ev.at("/profiles/2/target/met").isBoolean());
    JsonNode outcomes = new ObjectMapper().readTree(dir.resolve("outcomes.json").toFile());
    assertEquals(600, outcomes.get("samples").asInt());
    assertEquals(
        report.at("/dataset/digests/test").asText(), outcomes.get("split_sha256").asText());
    String correct = outcomes.at("/profiles/0/correct").asText();
    assertEquals(600, correct.length());
    assertEquals(
        ev.at("/profiles/0/accuracy").asDouble(),
        correct.chars().filter(ch -> ch == '1').count() / 600.0,
        1e-12);
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

  @Test
  void separateCalibrationDataKeepsTheWholeTrainingSplitAndIsRecordedAsSuch() throws Exception {
    Path backbone = TinyData.backbone(dir, 10);
    Path data = TinyData.fashionLike(dir.resolve("data"), 1200, 300, 3);
    Path cal = TinyData.fashionLike(dir.resolve("cal"), 400, 10, 4);
    Files.delete(cal.resolve("t10k-images-idx3-ubyte.gz")); // a calibration set needs no test
    Files.delete(cal.resolve("t10k-labels-idx1-ubyte.gz"));
    Path out = dir.resolve("bundle");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code =
        build(
            o,
            e,
            backbone,
            data,
            out,
            "--calibration-data",
            "fashion-mnist:" + cal,
            "--margins",
            "-0.01,0.05",
            "--max-drop",
            "0.5",
            "--skip-test");
    assertEquals(0, code, () -> o + "\n" + e);
    assertTrue(!o.toString().contains("WARNING"), o::toString);
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    JsonShape.assertRecorded("report-separate-calibration.shape", report);
    assertEquals("separate-set", report.at("/calibration/source").asText());
    assertTrue(!report.at("/calibration/may_overlap_backbone_training").asBoolean());
    assertEquals(400, report.at("/dataset/splits/valid").asInt());
    assertEquals(1200, report.at("/dataset/splits/train").asInt());
    assertEquals(0, report.at("/dataset/hold_outs").size());
    Bundle bundle = Bundle.open(out);
    assertEquals(-0.01, bundle.manifest().profile("m-0.01").margin());
    assertEquals("target-drop0.5", bundle.manifest().defaultProfile());
  }
}
