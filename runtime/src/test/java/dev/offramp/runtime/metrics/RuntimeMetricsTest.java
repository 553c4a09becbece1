package dev.offramp.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offramp.runtime.mqtt.Fixtures;
import dev.offramp.runtime.pipeline.BundleId;
import dev.offramp.runtime.pipeline.ResultEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeMetricsTest {
  @Test
  void countsFramesExitsDroppedAndEnergyPerResult() {
    RuntimeMetrics m = RuntimeMetrics.global();
    long frames0 = m.frames();
    long dropped0 = m.droppedFrames();
    double joules0 = m.energyJoules();
    List<Long> h0 = m.exitHistogram();
    long exit0 = h0.size() > 0 ? h0.get(0) : 0;
    long exit1 = h0.size() > 1 ? h0.get(1) : 0;
    ResultEvent early =
        new ResultEvent(
            "d",
            "cam0",
            "s",
            1,
            0,
            "Bag",
            8,
            0.99f,
            0,
            1,
            "p",
            0.1,
            new double[] {1.0},
            1.0,
            1.5,
            10,
            2.0,
            "model:macs",
            3,
            false,
            new BundleId("test-net", "0123456789ab"));
    m.accept(early);
    m.accept(Fixtures.result("cam0", 2)); // exits at stage 1, 12.5 mJ
    m.accept(Fixtures.result("cam0", 3));
    assertEquals(frames0 + 3, m.frames());
    assertEquals(dropped0 + 3, m.droppedFrames());
    assertEquals(List.of(exit0 + 1, exit1 + 2), m.exitHistogram().subList(0, 2));
    assertEquals(joules0 + (2.0 + 12.5 + 12.5) / 1000, m.energyJoules(), 1e-12);
    m.bindPower(() -> 6.5);
    m.bindBuffer(() -> 4, Map.of("full", () -> 7, "corrupt", () -> 2));
    Map<String, Object> s = m.snapshot();
    assertEquals(frames0 + 3, s.get("offramp_frames_total"));
    assertEquals(6.5, s.get("offramp_power_watts"));
    assertEquals(4L, s.get("offramp_mqtt_buffer_depth"));
    assertEquals(9L, s.get("offramp_mqtt_buffer_dropped_total"));
  }
}
