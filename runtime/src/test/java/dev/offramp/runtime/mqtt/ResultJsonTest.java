package dev.offramp.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.pipeline.BundleId;
import dev.offramp.runtime.pipeline.ResultEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResultJsonTest {
  @Test
  void roundTripsEveryField() {
    ResultEvent e = Fixtures.result("cam0", 9).asReplayed();
    ResultEvent back = ResultJson.fromJson(ResultJson.toJson(e));
    assertEquals(e.seq(), back.seq());
    assertEquals(e.label(), back.label());
    assertEquals(e.confidence(), back.confidence());
    assertArrayEquals(e.stageMs(), back.stageMs());
    assertEquals(e.totalMs(), back.totalMs());
    assertEquals(e.macs(), back.macs());
    assertEquals(e.energyMethod(), back.energyMethod());
    assertEquals(e.droppedFrames(), back.droppedFrames());
    assertTrue(back.replayed());
    assertEquals(e.bundle(), back.bundle());
    assertEquals(ResultJson.toJson(e), ResultJson.toJson(back));
  }

  @Test
  void namesTheBundleAfterTheProfileAndReadsAResultStoredWithoutOneAsUnknown() {
    String json = ResultJson.toJson(Fixtures.result("cam0", 1));
    assertTrue(
        json.contains(
            "\"profile\":\"m0.02\",\"bundle\":{\"name\":\"test-net\",\"sha256\":\"0123456789ab\"},"),
        json);
    String stored = json.replaceFirst("\"bundle\":\\{[^}]*\\},", "");
    assertEquals(BundleId.UNKNOWN, ResultJson.fromJson(stored).bundle());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ResultJson.fromJson(json.replace("0123456789ab", "xyz")));
    assertTrue(e.getMessage().contains("12 lower-case hex"), e.getMessage());
  }

  @Test
  void writesContractFieldNamesInSnakeCase() {
    String json = ResultJson.toJson(Fixtures.result("cam0", 1));
    assertTrue(
        json.startsWith(
            "{\"schema\":\"offramp-result/1\",\"device\":\"dev1\",\"camera\":\"cam0\",\"session\":\"s-1\","
                + "\"seq\":1,\"ts\":1700000000001,\"label\":\"Sneaker\",\"class_id\":7,"),
        json);
    assertTrue(
        json.contains(
            "\"latency_ms\":{\"preprocess\":0.41,\"stages\":[1.25,0.75],\"inference\":2.0,\"total\":3.5}"),
        json);
    assertTrue(
        json.endsWith("\"energy_method\":\"model:macs\",\"dropped_frames\":0,\"replayed\":false}"),
        json);
  }

  @Test
  void rejectsAnotherSchemaNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ResultJson.fromJson("{\"schema\":\"x/2\"}"));
    assertTrue(e.getMessage().contains("x/2"), e.getMessage());
  }

  @Test
  void missingFieldIsNamed() {
    String error = refusal("\"label\":\"Sneaker\",", "");
    assertTrue(error.contains("'label'"), error);
  }

  @Test
  void replayMarksAStoredPayloadWithoutReadingItAndOlderRowsAreRewritten() {
    for (long seq = 1; seq <= 3; seq++) {
      byte[] stored = ResultJson.toBytes(Fixtures.result("cam" + seq, seq));
      byte[] decodedAndEncoded = ResultJson.toBytes(ResultJson.fromBytes(stored).asReplayed());
      assertArrayEquals(decodedAndEncoded, ResultJson.asReplayed(stored));
    }
    String withoutBundle =
        ResultJson.toJson(Fixtures.result("cam0", 1)).replaceFirst("\"bundle\":\\{[^}]*\\},", "");
    String replayed =
        new String(
            ResultJson.asReplayed(withoutBundle.getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);
    assertTrue(replayed.contains("\"bundle\":{\"name\":\"unknown\",\"sha256\":\"\"}"), replayed);
    assertTrue(replayed.endsWith("\"replayed\":true}"), replayed);
  }

  @Test
  void aFieldOfTheWrongTypeIsNamedByItsJsonPath() {
    String error = refusal("[1.25,0.75]", "[1.25,\"slow\"]");
    assertTrue(error.startsWith("result JSON: latency_ms.stages[1]: "), error);
  }

  /** The error reading a fixture payload with {@code part} replaced by {@code by}. */
  private static String refusal(String part, String by) {
    String json = ResultJson.toJson(Fixtures.result("cam0", 1)).replace(part, by);
    return assertThrows(IllegalArgumentException.class, () -> ResultJson.fromJson(json))
        .getMessage();
  }
}
