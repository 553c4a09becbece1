package dev.offramp.benchmarks.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.benchmarks.BenchMain;
import dev.offramp.exporter.testing.JsonShape;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MethodCommandTest {
  @TempDir Path dir;

  /** Writes a run in the offramp-outcomes/1 format that `offramp evaluate --outcomes` writes. */
  static void write(Path file, Outcomes o) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", "offramp-outcomes/1");
    m.put("seed", o.seed());
    m.put("split_sha256", o.splitSha256());
    m.put("samples", o.samples());
    m.put("backbone_macs", o.backboneMacs());
    m.put("macs_through", o.macsThrough());
    List<Object> ps = new ArrayList<>();
    for (Outcomes.Profile p : o.profiles()) {
      StringBuilder st = new StringBuilder();
      StringBuilder ok = new StringBuilder();
      for (int i = 0; i < p.stage().length; i++) {
        st.append((char) ('0' + p.stage()[i]));
        ok.append(p.correct()[i] ? '1' : '0');
      }
      ps.add(
          Map.of(
              "name",
              p.name(),
              "margin",
              p.margin(),
              "target",
              p.target(),
              "stage",
              st,
              "correct",
              ok));
    }
    m.put("profiles", ps);
    Files.createDirectories(file.getParent());
    new ObjectMapper().writeValue(file.toFile(), m);
  }

  private int run(StringWriter out, StringWriter err, String... args) {
    return BenchMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void comparesEverySchemeWithTheBaselineAndWritesJsonAndMarkdown() throws Exception {
    for (long s = 1; s <= 3; s++) {
      write(dir.resolve("runs/baseline/" + s + ".json"), SyntheticRuns.run("baseline", 0.9, s));
      write(dir.resolve("runs/boosted/" + s + ".json"), SyntheticRuns.run("boosted", 0.97, s));
      write(dir.resolve("runs/same/" + s + ".json"), SyntheticRuns.run("same", 0.9, s));
    }
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code =
        run(
            o,
            e,
            "method",
            "--runs",
            dir.resolve("runs").toString(),
            "--replicates",
            "200",
            "--out",
            dir.resolve("out").toString());
    assertEquals(0, code, () -> o + "\n" + e);
    JsonNode doc = new ObjectMapper().readTree(dir.resolve("out/method.json").toFile());
    JsonShape.assertRecorded("method.shape", doc);
    assertEquals(2, doc.get("comparisons").size());
    JsonNode boosted = doc.at("/comparisons/0");
    assertEquals("boosted", boosted.get("a").asText());
    assertTrue(boosted.at("/accuracy_at_equal_macs_points/excludes_zero").asBoolean());
    JsonNode same = doc.at("/comparisons/1");
    assertEquals("no measurable difference", same.get("accuracy_verdict").asText());
    assertEquals(SyntheticRuns.MARGINS, same.get("tolerance_view").size());
    assertEquals(SyntheticRuns.MARGINS, doc.at("/schemes/baseline").size());
    assertTrue(doc.at("/schemes/baseline/0/passing_exit0").asDouble() > 0.9);
    assertTrue(
        Files.readString(dir.resolve("out/method.md")).contains("| boosted vs baseline | 3 |"));
    String svg = Files.readString(dir.resolve("out/accuracy-vs-macs.svg"));
    assertTrue(svg.startsWith("<svg") && svg.contains("boosted") && svg.contains("same"), svg);
  }

  @Test
  void aFileInAnotherFormatIsRefusedSayingHowToWriteOne() throws Exception {
    write(dir.resolve("runs/baseline/1.json"), SyntheticRuns.run("baseline", 0.9, 1));
    Files.createDirectories(dir.resolve("runs/boosted"));
    Files.writeString(dir.resolve("runs/boosted/1.json"), "{\"format\":\"bench/1\"}");
    StringWriter e = new StringWriter();
    int code = run(new StringWriter(), e, "method", "--runs", dir.resolve("runs").toString());
    assertEquals(BenchMain.USER_ERROR, code);
    assertTrue(
        e.toString().contains("expected format 'offramp-outcomes/1', found 'bench/1'"),
        e::toString);
    assertTrue(e.toString().contains("--outcomes FILE"), e::toString);
  }
}
