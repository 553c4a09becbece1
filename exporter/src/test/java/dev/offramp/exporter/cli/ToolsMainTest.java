package dev.offramp.exporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.exporter.graph.ResnetFixtures;
import dev.offramp.exporter.graph.TestNets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolsMainTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ToolsMain.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  @Test
  void inspectJsonReportsResNet18At224WithAutoCutsAtLayerEnds() throws IOException {
    Path model = ResnetFixtures.get("resnet18-224-opset17.onnx");
    Run r = run("inspect", model.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals(1.81e9, json.get("total_macs").asDouble(), 0.01 * 1.81e9);
    assertEquals("image", json.get("inputs").get(0).get("name").asText());
    assertEquals("batch", json.get("inputs").get(0).get("shape").get(0).asText());
    assertEquals("logits", json.get("outputs").get(0).get("name").asText());
    JsonNode candidates = json.get("candidates");
    assertEquals(11, candidates.size());
    double previous = 0;
    for (JsonNode c : candidates) {
      double f = c.get("cumulative_macs_fraction").asDouble();
      assertTrue(f >= previous && f <= 1, c.toString());
      previous = f;
      assertTrue(c.get("shape").isArray() && c.get("producer").isTextual(), c.toString());
    }
    assertEquals("/layer3/layer3.1/relu_1/Relu_output_0", json.get("auto_cuts").get(2).asText());
  }

  @Test
  void inspectPrintsATableWithUncountedOpsAndAutoCuts() throws IOException {
    Path model = write("einsum.onnx", TestNets.withEinsum(1).toByteArray());
    Run r = run("inspect", model.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("uncounted   Einsum (counted as 0 MACs"), r.out());
    assertTrue(r.out().contains("cut candidates ("), r.out());
    assertTrue(r.out().contains("--cuts auto: "), r.out());
  }

  @Test
  void splitThenVerifyPassOnAResNetFixture() throws IOException {
    Path model = ResnetFixtures.get("resnet18-small-28-opset13.onnx");
    Path out = dir.resolve("stages");
    Run split = run("split", model.toString(), "--cuts", "auto", "--out", out.toString());
    assertEquals(0, split.code(), split.err());
    assertTrue(split.out().contains("wrote 4 stages"), split.out());
    Run verify = run("verify", out.toString(), "--backbone", model.toString(), "--samples", "2");
    assertEquals(0, verify.code(), verify.err() + verify.out());
    assertTrue(verify.out().contains("PASS: 4 stages, 2 samples"), verify.out());
  }

  @Test
  void verifyExitsOneAboveTolerance() throws IOException {
    var net = TestNets.seNet(1);
    Path model = write("se.onnx", net.graph().model().toByteArray());
    Path other = write("se2.onnx", TestNets.seNet(2).graph().model().toByteArray());
    Path out = dir.resolve("stages");
    assertEquals(
        0, run("split", other.toString(), "--cuts", "auto", "--out", out.toString()).code());
    Run r = run("verify", out.toString(), "--backbone", model.toString(), "--samples", "1");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("FAIL: 2 stages"), r.out());
  }

  @Test
  void userErrorsPrintOneMessageWithoutStackTraceAndExitTwo() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.onnx"), "hello", StandardCharsets.UTF_8);
    Run r = run("inspect", text.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertTrue(r.err().contains("is not an ONNX model"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    Run verbose = run("inspect", text.toString(), "--verbose");
    assertEquals(2, verbose.code());
    assertTrue(verbose.err().contains("\tat "), "stack trace with --verbose");
  }

  @Test
  void splitSuggestsCandidatesForAnUnknownCut() throws IOException {
    var net = TestNets.seNet(1);
    Path model = write("se.onnx", net.graph().model().toByteArray());
    String typo = net.marks().get(1) + "x";
    Run r = run("split", model.toString(), "--cuts", typo, "--out", dir.resolve("o").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("nearest candidates: " + net.marks().get(1)), r.err());
  }

  @Test
  void splitRefusesAModelWithoutInteriorCutAndInspectSaysSo() throws IOException {
    Path model = write("skip.onnx", TestNets.noInteriorCut(1).toByteArray());
    Run split = run("split", model.toString(), "--cuts", "auto", "--out", dir.toString());
    assertEquals(2, split.code());
    assertTrue(split.err().contains("has no interior cut"), split.err());
    Run inspect = run("inspect", model.toString(), "--json");
    assertEquals(0, inspect.code());
    JsonNode json = new ObjectMapper().readTree(inspect.out());
    assertEquals(0, json.get("candidates").size());
    assertTrue(json.get("no_interior_cut").asText().contains("cannot be split"));
  }

  @Test
  void inspectAsksForAnInputShapeWhenSpatialDimsAreSymbolic() {
    Path model = ResnetFixtures.get("resnet18-small-32-dynhw-opset17.onnx");
    Run r = run("inspect", model.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("pass --input-shape"), r.err());
    Run bad = run("inspect", model.toString(), "--input-shape", "1,3,x,32");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("is not a shape"), bad.err());
  }

  @Test
  void theVerifyCommandSplitPrintsWorksAsPrintedForASymbolicInput() {
    Path model = ResnetFixtures.get("resnet18-small-32-dynhw-opset17.onnx");
    Path out = dir.resolve("stages");
    Run split =
        run(
            "split",
            model.toString(),
            "--input-shape",
            "1,3,32,32",
            "--cuts",
            "auto",
            "--out",
            out.toString());
    assertEquals(0, split.code(), split.err());
    String hint = split.out().substring(split.out().indexOf("Check them with: offramp ") + 25);
    String[] printed = hint.strip().split(" ");
    assertEquals("verify", printed[0], hint);
    Run verify = run(printed);
    assertEquals(0, verify.code(), "offramp " + hint + "\n" + verify.err());
  }

  @Test
  void printsTheVersion() {
    Run r = run("--version");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("offramp "), r.out());
  }
}
