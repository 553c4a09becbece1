package dev.offramp.runtime.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    Files.createDirectories(tmp.resolve("bundle"));
    RuntimeConfig c =
        ConfigLoader.load(
            Optional.of(Path.of("../deploy/offramp.example.yaml")),
            List.of(
                new ConfigLoader.Override(
                    "bundle.path", "--bundle", tmp.resolve("bundle").toString()),
                new ConfigLoader.Override("source.uri", "--source", "rtsp://cam.local/s")));
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

  private RuntimeConfig loadYaml(String yaml) throws Exception {
    Path file = Files.writeString(tmp.resolve("offramp.yaml"), yaml);
    Path bundle = Files.createDirectories(tmp.resolve("bundle"));
    return ConfigLoader.load(
        Optional.of(file),
        List.of(
            new ConfigLoader.Override("bundle.path", "--bundle", bundle.toString()),
            new ConfigLoader.Override("source.uri", "--source", "/dev/video0")));
  }

  @Test
  void outOfRangeRatesAndUnknownActionsAreRefusedNamingTheKey() {
    ConfigException rate =
        assertThrows(ConfigException.class, () -> loadYaml("audit:\n  rate: 1.5\n"));
    assertTrue(rate.getMessage().contains("audit.rate"), rate.getMessage());
    assertTrue(rate.getMessage().contains("1.5"), rate.getMessage());
    ConfigException unknown =
        assertThrows(ConfigException.class, () -> loadYaml("audit:\n  ratio: 0.5\n"));
    assertTrue(unknown.getMessage().contains("ratio"), unknown.getMessage());
    ConfigException action =
        assertThrows(ConfigException.class, () -> loadYaml("audit:\n  action: panic\n"));
    assertTrue(action.getMessage().contains("report"), action.getMessage());
    assertTrue(action.getMessage().contains("'panic'"), action.getMessage());
  }
}
