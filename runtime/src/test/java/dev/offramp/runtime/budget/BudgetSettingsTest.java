package dev.offramp.runtime.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code budget} section: any subset of limits, defaults, and refusals that say the fix. */
class BudgetSettingsTest {
  @TempDir Path tmp;

  private RuntimeConfig load(String budget) throws Exception {
    return TestConfigs.fromYaml(tmp, budget);
  }

  @Test
  void noLimitMeansBudgetModeOffAndTheExampleConfigLeavesItOff() throws Exception {
    assertFalse(load("").budget().enabled());
    RuntimeConfig example = TestConfigs.example(tmp, "/dev/video0");
    assertFalse(example.budget().enabled());
    assertEquals(Duration.ofSeconds(5), example.budget().dwell());
    assertEquals(0.1, example.budget().hysteresis());
  }

  @Test
  void anySubsetOfLimitsTurnsItOn() throws Exception {
    BudgetSettings s = load("budget: {max-latency-p95-ms: 12.5, dwell-s: 2.5}\n").budget();
    assertTrue(s.enabled());
    assertTrue(s.targetFps().isEmpty());
    assertEquals(12.5, s.maxLatencyP95Ms().getAsDouble());
    assertEquals(Duration.ofMillis(2500), s.dwell());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "budget: {target-fps: -3}                  | budget.target-fps | expected a number from",
        "budget: {target-fps: 30, hysteresis: 0.9} | budget.hysteresis | 0.9",
        "budget: {target-fsp: 30}                  | budget.target-fsp | unknown key",
      })
  void badValuesAreRefusedNamingTheKeyAndWhatWasExpected(String yaml, String key, String expected) {
    String message = TestConfigs.refusal(tmp, yaml);
    assertTrue(message.contains(key), message);
    assertTrue(message.contains(expected), message);
  }
}
