package dev.offramp.runtime.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.config.ConfigLoader;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.settings.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code budget} section: any subset of limits, defaults, and refusals that say the fix. */
class BudgetSettingsTest {
  @TempDir Path tmp;

  private RuntimeConfig load(String budget) throws Exception {
    Path yaml =
        Files.writeString(
            tmp.resolve("c.yaml"),
            "bundle: {path: "
                + Files.createDirectories(tmp.resolve("b"))
                + "}\nsource: {uri: /dev/video0}\n"
                + budget);
    return ConfigLoader.load(Optional.of(yaml), List.of());
  }

  @Test
  void noLimitMeansBudgetModeOffAndTheExampleConfigLeavesItOff() throws Exception {
    assertFalse(load("").budget().enabled());
    Files.createDirectories(tmp.resolve("bundle"));
    RuntimeConfig example =
        ConfigLoader.load(
            Optional.of(Path.of("../deploy/offramp.example.yaml")),
            List.of(
                new ConfigLoader.Override(
                    "bundle.path", "--bundle", tmp.resolve("bundle").toString()),
                new ConfigLoader.Override("source.uri", "--source", "/dev/video0")));
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

  @Test
  void badValuesAreRefusedNamingTheKeyAndWhatWasExpected() {
    ConfigException fps =
        assertThrows(ConfigException.class, () -> load("budget: {target-fps: -3}\n"));
    assertTrue(fps.getMessage().contains("budget.target-fps"), fps.getMessage());
    assertTrue(fps.getMessage().contains("expected a number from"), fps.getMessage());
    ConfigException h =
        assertThrows(
            ConfigException.class, () -> load("budget: {target-fps: 30, hysteresis: 0.9}\n"));
    assertTrue(h.getMessage().contains("budget.hysteresis"), h.getMessage());
    ConfigException unknown =
        assertThrows(ConfigException.class, () -> load("budget: {target-fsp: 30}\n"));
    assertTrue(unknown.getMessage().contains("target-fsp"), unknown.getMessage());
  }
}
