package dev.offramp.exporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.exporter.graph.TestNets;
import dev.offramp.exporter.testing.TinyData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuildErrorsTest {
  @TempDir static Path dir;
  static Path backbone;
  static Path data;

  @BeforeAll
  static void fixtures() throws Exception {
    backbone = TinyData.backbone(dir, 10);
    data = TinyData.fashionLike(dir.resolve("data"), 400, 100, 5);
  }

  private static String[] buildErr(String... extra) {
    List<String> args = TinyData.buildArgs(backbone, data, dir.resolve("out"));
    args.add("--skip-test");
    for (int i = 0; i + 1 < extra.length; i += 2) {
      int at = args.indexOf(extra[i]);
      if (at >= 0) {
        args.set(at + 1, extra[i + 1]);
      } else {
        args.add(extra[i]);
        args.add(extra[i + 1]);
      }
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        ToolsMain.run(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new String[] {String.valueOf(code), err.toString()};
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing dataset directory | --data | fashion-mnist:/nonexistent/fm | does not exist",
        "unknown dataset kind | --data | mnist-ish:/tmp | unknown dataset kind",
        "input size the backbone rejects | --size | 32 | 32",
        "too few samples to calibrate | --min-support | 1000 | --min-support",
        "bad scheme | --scheme | greedy | --scheme: expected one of boosted, baseline",
      })
  void refusesWithAClearUserError(String what, String flag, String value, String message) {
    String[] r = buildErr(flag, value);
    assertEquals("2", r[0], what + ": " + r[1]);
    assertTrue(r[1].contains(message), what + ": " + r[1]);
  }

  @Test
  void refusesAnEmptyDataset() throws Exception {
    Path empty = dir.resolve("empty");
    Files.createDirectories(empty.resolve("train/cat"));
    Files.createDirectories(empty.resolve("test/cat"));
    String[] r = buildErr("--data", "imagefolder:" + empty);
    assertEquals("2", r[0], r[1]);
    assertTrue(r[1].contains("no training images") || r[1].contains("empty"), r[1]);
  }

  @Test
  void refusesClassesThatDoNotMatchTheBackbone() throws Exception {
    Path five = TinyData.backbone(dir.resolve("five"), 5);
    String[] r = buildErr("--backbone", five.toString());
    assertEquals("2", r[0], r[1]);
    assertTrue(r[1].contains("has 5 classes but dataset"), r[1]);
  }

  @Test
  void refusesABackboneWithNoInteriorCut() throws Exception {
    Path p = dir.resolve("nocut.onnx");
    Files.write(p, TestNets.noInteriorCut(1).toByteArray());
    String[] r = buildErr("--backbone", p.toString());
    assertEquals("2", r[0], r[1]);
    assertTrue(r[1].toLowerCase(java.util.Locale.ROOT).contains("cut"), r[1]);
  }
}
