package dev.offramp.runtime.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.config.ConfigLoader;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditSettingsTest {
  @TempDir Path tmp;

  private RuntimeConfig load(ConfigLoader.Override... more) throws Exception {
    Path bundle = Files.createDirectories(tmp.resolve("bundle"));
    List<ConfigLoader.Override> all =
        new java.util.ArrayList<>(
            List.of(
                new ConfigLoader.Override("bundle.path", "--bundle", bundle.toString()),
                new ConfigLoader.Override("source.uri", "--source", "/dev/video0")));
    all.addAll(List.of(more));
    return ConfigLoader.load(Optional.empty(), all);
  }

  @Test
  void theExampleConfigSpellsOutTheDefaults() throws Exception {
    RuntimeConfig c = TestConfigs.example(tmp, "rtsp://cam.local/s");
    assertEquals(AuditSettings.defaults(), c.audit());
    assertEquals(AuditSettings.defaults(), load().audit(), "no audit section: the defaults");
  }

  @Test
  void everyKeyIsReadAndTightenIsKebabCase() throws Exception {
    AuditSettings a =
        load(
                new ConfigLoader.Override("audit.rate", "t", 0.5),
                new ConfigLoader.Override("audit.tolerance", "t", 0.1),
                new ConfigLoader.Override("audit.action", "t", "tighten"),
                new ConfigLoader.Override("audit.min-samples", "t", 12),
                new ConfigLoader.Override("audit.queue", "t", 4),
                new ConfigLoader.Override("audit.publish-interval", "t", "2s"),
                new ConfigLoader.Override("audit.seed", "t", 9))
            .audit();
    assertEquals(
        new AuditSettings(0.5, 0.1, AuditSettings.Action.TIGHTEN, 12, 4, Duration.ofSeconds(2), 9),
        a);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "audit: {rate: 1.5}      | audit.rate   | 1.5",
        "audit: {ratio: 0.5}     | audit.ratio  | unknown key",
        "audit: {action: panic}  | audit.action | 'panic'",
      })
  void outOfRangeRatesAndUnknownKeysOrActionsAreRefusedNamingTheKey(
      String yaml, String key, String found) {
    String message = TestConfigs.refusal(tmp, yaml);
    assertTrue(message.contains(key), message);
    assertTrue(message.contains(found), message);
  }
}
