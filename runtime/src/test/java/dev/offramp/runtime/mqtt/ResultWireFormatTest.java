package dev.offramp.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offramp.runtime.pipeline.BundleId;
import dev.offramp.runtime.pipeline.ResultEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bytes on the wire stay what consumers already parse: these payloads were written by the
 * hand-written streaming codec that came before the Jackson records, field for field and digit for
 * digit (names, order, float and double formatting, escapes, extreme values).
 */
class ResultWireFormatTest {
  private static final List<ResultEvent> EVENTS =
      List.of(
          Fixtures.result("cam0", 1),
          new ResultEvent(
              "jetson-01",
              "cam \"1\"\n",
              "9b1f",
              Long.MAX_VALUE,
              0,
              "T-shirt/top \u00e9",
              0,
              1.0f / 3,
              0,
              1,
              "m0",
              1e-7,
              new double[] {123456789.123456789},
              1e21,
              Double.MIN_VALUE,
              0,
              0.0,
              "rapl:package",
              42,
              true,
              BundleId.UNKNOWN),
          new ResultEvent(
              "d",
              "c",
              "s",
              0,
              -5,
              "x",
              9,
              Float.MIN_VALUE,
              2,
              3,
              "p",
              0.1 + 0.2,
              new double[] {0.0, -0.0, 1.0 / 3},
              Double.MAX_VALUE,
              12345.678,
              Long.MAX_VALUE,
              3.0e-5,
              "none",
              Long.MAX_VALUE,
              false,
              new BundleId("n", "abcdefabcdef")));

  private static final List<String> WRITTEN_BEFORE =
      List.of(
          "{\"schema\":\"offramp-result/1\",\"device\":\"dev1\",\"camera\":\"cam0\",\"session\""
              + ":\"s-1\",\"seq\":1,\"ts\":1700000000001,\"label\":\"Sneaker\",\"class_id\":7,\"conf"
              + "idence\":0.93,\"exit_stage\":1,\"stages_run\":2,\"profile\":\"m0.02\",\"bundle\":"
              + "{\"name\":\"test-net\",\"sha256\":\"0123456789ab\"},\"latency_ms\":{\"preprocess\""
              + ":0.41,\"stages\":[1.25,0.75],\"inference\":2.0,\"total\":3.5},\"macs\":1500900"
              + "00,\"energy_mj\":12.5,\"energy_method\":\"model:macs\",\"dropped_frames\":0,\"r"
              + "eplayed\":false}",
          "{\"schema\":\"offramp-result/1\",\"device\":\"jetson-01\",\"camera\":\"cam \\\"1\\\"\\"
              + "n\",\"session\":\"9b1f\",\"seq\":9223372036854775807,\"ts\":0,\"label\":\"T-shirt/"
              + "top é\",\"class_id\":0,\"confidence\":0.33333334,\"exit_stage\":0,\"stages_run"
              + "\":1,\"profile\":\"m0\",\"bundle\":{\"name\":\"unknown\",\"sha256\":\"\"},\"latency_ms"
              + "\":{\"preprocess\":1.0E-7,\"stages\":[1.2345678912345679E8],\"inference\":1.0"
              + "E21,\"total\":4.9E-324},\"macs\":0,\"energy_mj\":0.0,\"energy_method\":\"rapl:p"
              + "ackage\",\"dropped_frames\":42,\"replayed\":true}",
          "{\"schema\":\"offramp-result/1\",\"device\":\"d\",\"camera\":\"c\",\"session\":\"s\",\""
              + "seq\":0,\"ts\":-5,\"label\":\"x\",\"class_id\":9,\"confidence\":1.4E-45,\"exit_sta"
              + "ge\":2,\"stages_run\":3,\"profile\":\"p\",\"bundle\":{\"name\":\"n\",\"sha256\":\"abcd"
              + "efabcdef\"},\"latency_ms\":{\"preprocess\":0.30000000000000004,\"stages\":[0."
              + "0,-0.0,0.3333333333333333],\"inference\":1.7976931348623157E308,\"total\":"
              + "12345.678},\"macs\":9223372036854775807,\"energy_mj\":3.0E-5,\"energy_metho"
              + "d\":\"none\",\"dropped_frames\":9223372036854775807,\"replayed\":false}");

  @Test
  void payloadsAreByteForByteWhatTheStreamingCodecWrote() {
    for (int i = 0; i < EVENTS.size(); i++) {
      assertEquals(WRITTEN_BEFORE.get(i), ResultJson.toJson(EVENTS.get(i)));
      assertArrayEquals(
          WRITTEN_BEFORE.get(i).getBytes(StandardCharsets.UTF_8),
          ResultJson.toBytes(EVENTS.get(i)));
    }
  }

  @Test
  void readingAndWritingAgainGivesTheSameBytes() {
    for (String json : WRITTEN_BEFORE) {
      assertEquals(json, ResultJson.toJson(ResultJson.fromJson(json)));
    }
  }
}
