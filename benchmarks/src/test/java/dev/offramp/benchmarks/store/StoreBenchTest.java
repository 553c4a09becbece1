package dev.offramp.benchmarks.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offramp.benchmarks.BenchMain;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.exporter.testing.JsonShape;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench store} on the three real engines, small: the document it writes. */
class StoreBenchTest {
  @TempDir Path dir;

  @Test
  void runsTheRealEnginesAndWritesTheCommittedDocumentsKeys() {
    Path json = dir.resolve("store.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        BenchMain.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "store",
            "--results",
            "128",
            "--dir",
            dir.resolve("engines").toString(),
            "--json",
            json.toString());
    assertEquals(0, code, () -> out + "\n" + err);
    JsonNode doc = Json.read(json);
    assertEquals(128, doc.get("results").asInt());
    for (String engine : List.of("sqlite-wal", "tape-queuefile", "h2-mvstore")) {
      assertTrue(doc.at("/" + engine + "/live_per_s").asLong() > 0, engine);
      JsonNode damage = doc.at("/" + engine + "/damage");
      assertEquals(
          1000, damage.path("intact").asInt() + damage.path("altered_without_error").asInt());
    }
    // The committed figures were written by the hand-built writer (its damage keys in no fixed
    // order): the same keys, nesting and value kinds.
    assertEquals(sortedShape(Json.read(Path.of("results/store-engines.json"))), sortedShape(doc));
  }

  private static String sortedShape(JsonNode doc) {
    return Arrays.stream(JsonShape.of(doc).split("\n")).sorted().collect(Collectors.joining("\n"));
  }
}
