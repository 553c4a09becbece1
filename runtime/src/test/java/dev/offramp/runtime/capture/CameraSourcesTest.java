package dev.offramp.runtime.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.config.ConfigLoader;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.settings.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sources:} as a list, {@code source:} as a list of one, and what is refused. */
class CameraSourcesTest {
  @TempDir Path tmp;

  private RuntimeConfig load(String yaml, ConfigLoader.Override... flags) throws Exception {
    Path file = Files.writeString(tmp.resolve("offramp.yaml"), yaml);
    List<ConfigLoader.Override> all = new java.util.ArrayList<>(List.of(flags));
    Path bundle = Files.createDirectories(tmp.resolve("bundle"));
    all.add(new ConfigLoader.Override("bundle.path", "--bundle", bundle.toString()));
    return ConfigLoader.load(Optional.of(file), all);
  }

  private String refusal(String yaml, ConfigLoader.Override... flags) {
    return assertThrows(ConfigException.class, () -> load(yaml, flags)).getMessage();
  }

  @Test
  void aListGivesEachCameraItsOwnSettingsAndNamesDefaultToTheirPosition() throws Exception {
    RuntimeConfig c =
        load(
            """
            sources:
              - {camera: door, uri: /dev/video0, max-fps: 5, reconnect-initial-ms: 200}
              - uri: rtsp://cam.local/yard
                loop: false
              - {uri: "pipe:rpicam-vid -o -"}
            """);
    assertEquals(3, c.sources().size());
    assertEquals(
        List.of("door", "cam1", "cam2"), c.sources().stream().map(SourceSettings::camera).toList());
    assertEquals(5.0, c.sources().get(0).maxFps());
    assertEquals(200, c.sources().get(0).reconnectInitialMs());
    assertEquals(0.0, c.sources().get(1).maxFps());
    assertTrue(c.sources().get(1).spec() instanceof SourceSpec.NetworkStream);
    assertTrue(c.sources().get(2).spec() instanceof SourceSpec.Pipe);
  }

  @Test
  void theSingleSourceSectionIsAListOfOneAsBefore() throws Exception {
    RuntimeConfig c = load("source: {uri: /dev/video0, camera: gate, max-fps: 3}\n");
    assertEquals(1, c.sources().size());
    assertEquals("gate", c.source().camera());
    assertEquals(3.0, c.source().maxFps());
  }

  @Test
  void duplicateCameraNamesAreRefusedWithTheKeyPath() {
    String m =
        refusal(
            """
            sources:
              - {camera: door, uri: /dev/video0}
              - {camera: door, uri: /dev/video1}
            """);
    assertTrue(m.contains("sources[1].camera"), m);
    assertTrue(m.contains("sources[0] has it already"), m);
    assertTrue(m.contains("found 'door'"), m);
  }

  @Test
  void bothSectionsAnEmptyListAndABadEntryAreRefusedWithTheKeyPath() {
    String both =
        refusal("source: {uri: /dev/video0}\nsources:\n  - {camera: a, uri: /dev/video1}\n");
    assertTrue(both.contains("source: expected either source"), both);
    String flag =
        refusal(
            "sources:\n  - {camera: a, uri: /dev/video1}\n",
            new ConfigLoader.Override("source.uri", "--source", "/dev/video0"));
    assertTrue(flag.contains("not both"), flag);
    String empty = refusal("sources: []\n");
    assertTrue(empty.contains("sources: expected at least one source, found an empty list"), empty);
    String notList = refusal("sources: {uri: /dev/video0}\n");
    assertTrue(notList.contains("sources: expected a list of mappings, found a mapping"), notList);
    String item = refusal("sources:\n  - /dev/video0\n");
    assertTrue(item.contains("sources[0]: expected a mapping of keys"), item);
    String badCamera =
        refusal("sources:\n  - {uri: /dev/video0}\n  - {uri: /dev/video1, camera: a/b}\n");
    assertTrue(badCamera.contains("sources[1].camera: expected letters"), badCamera);
    String noUri = refusal("sources:\n  - {uri: /dev/video0}\n  - {camera: b}\n");
    assertTrue(noUri.contains("sources[1].uri"), noUri);
    String unknown = refusal("sources:\n  - {uri: /dev/video0, fps: 3}\n");
    assertTrue(unknown.contains("sources[0].fps: unknown key"), unknown);
  }
}
