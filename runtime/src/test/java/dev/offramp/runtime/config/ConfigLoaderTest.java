package dev.offramp.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.capture.SourceSettings;
import dev.offramp.runtime.capture.SourceSpec;
import dev.offramp.runtime.energy.EnergySettings;
import dev.offramp.runtime.mqtt.MqttSettings;
import dev.offramp.runtime.settings.ConfigException;
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

class ConfigLoaderTest {
  @TempDir Path tmp;

  private Path file(String yaml) throws Exception {
    Files.createDirectories(tmp.resolve("bundle"));
    Files.writeString(tmp.resolve("clip.mp4"), "");
    return Files.writeString(
        tmp.resolve("config.yaml"),
        yaml.replace("BUNDLE", tmp.resolve("bundle").toString())
            .replace("CLIP", tmp.resolve("clip.mp4").toString()));
  }

  @Test
  void exampleConfigParsesWithEveryKey() throws Exception {
    RuntimeConfig c = TestConfigs.example(tmp, "rtsp://cam.local/stream1");
    assertEquals("jetson-01", c.deviceId());
    assertEquals(List.of("tensorrt", "cuda", "cpu"), c.execution().providers());
    assertEquals(Optional.of("m0.02"), c.bundle().profile());
    assertEquals(SourceSettings.PipeFormat.MJPEG, c.source().pipeFormat());
    assertEquals("mjpeg", c.source().inputFormat());
    assertTrue(c.source().spec() instanceof SourceSpec.NetworkStream);
    assertEquals(Duration.ofSeconds(30), c.mqtt().keepAlive());
    assertEquals(MqttSettings.FsyncPolicy.PERIODIC, c.mqtt().bufferFsync());
    assertEquals(8080, c.http().port());
    assertEquals(40_000_000L, c.source().maxPixels());
    assertEquals(65_536, c.http().maxBodyBytes());
    assertEquals(5_000, c.http().sseStallMs());
    assertTrue(c.http().enabled());
    assertEquals(EnergySettings.Board.AUTO, c.energy().board());
    assertEquals(Duration.ofMillis(100), c.energy().sampleInterval());
  }

  @Test
  void flagsOverrideTheFileAndAFirstRunNeedsNoFile() throws Exception {
    Path bundle = Files.createDirectories(tmp.resolve("b"));
    RuntimeConfig c =
        ConfigLoader.load(
            Optional.empty(),
            List.of(
                new ConfigLoader.Override("bundle.path", "--bundle", bundle.toString()),
                new ConfigLoader.Override("source.uri", "--source", "/dev/video0"),
                new ConfigLoader.Override("source.max-fps", "--max-fps", 5.0),
                new ConfigLoader.Override("mqtt.broker-url", "--mqtt-url", "tcp://10.0.0.2:1883")));
    assertEquals(5.0, c.source().maxFps());
    assertEquals("tcp://10.0.0.2:1883", c.mqtt().brokerUrl());
    assertEquals("offramp/" + c.deviceId(), c.mqtt().topicPrefix());
    assertEquals(c.stateDir().resolve("mqtt-buffer"), c.mqtt().bufferDir());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown key       | mqtt: {qos: 1}                      | config.yaml: mqtt.qos: unknown key; allowed in mqtt: broker-url",
        "wrong type        | source: {uri: CLIP, loop: yes-please} | config.yaml: source.loop: expected true or false, found 'yes-please'",
        "bad QoS           | mqtt: {result-qos: 5}               | config.yaml: mqtt.result-qos: expected 0, 1 or 2, found 5",
        "bad enum value    | energy: {meter: solar}              | config.yaml: energy.meter: expected auto, ina3221, pmic, rapl or model, found 'solar'",
        "bad duration      | mqtt: {keep-alive: 30}              | config.yaml: mqtt.keep-alive: expected a duration such as 500ms, 30s, 5m or 1h, found 30",
        "missing bundle    | 'device-id: d1'                     | config.yaml: bundle.path: expected a bundle directory (or --bundle), found nothing",
        "record validation | mqtt: {broker-url: 'http://x:1'}    | config.yaml: mqtt.broker-url: expected tcp://HOST:PORT or ssl://HOST:PORT; found 'http://x:1'",
        "not a mapping     | 'source: [a, b]'                    | config.yaml: source: expected a mapping of keys, found a list",
        "pixel limit       | source: {uri: CLIP, max-pixels: 5000000000} | config.yaml: source.max-pixels: expected an integer from 1 to 1073741824",
        "body limit        | http: {max-body-bytes: 0}           | config.yaml: http.max-body-bytes: expected an integer from 1 to 67108864, found 0",
        "http switch       | http: {enabled: sometimes}          | config.yaml: http.enabled: expected true or false, found 'sometimes'",
        "stall time        | http: {sse-stall-ms: 5}             | config.yaml: http.sse-stall-ms: expected an integer from 100 to 600000, found 5",
      })
  void badConfigurationNamesTheKey(String what, String yaml, String message) throws Exception {
    String full =
        yaml.contains("source:") || yaml.contains("device-id")
            ? yaml
            : yaml + "\nsource: {uri: CLIP}";
    if (!yaml.contains("device-id")) {
      full = full + "\nbundle: {path: BUNDLE}";
    }
    Path config = file(full);
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ConfigLoader.load(Optional.of(config), List.of()));
    assertTrue(e.getMessage().startsWith(message), what + ": " + e.getMessage());
  }

  @Test
  void absentMqttKeysTakeTheOneSetOfDefaultsTheReadmeDocuments() throws Exception {
    RuntimeConfig c = TestConfigs.fromYaml(tmp, "device-id: d1\nstate-dir: " + tmp + "\n");
    assertEquals(MqttSettings.defaults("d1", tmp), c.mqtt());
    // README "MQTT": a returning broker is noticed within about 7 s (connect 5 s, delay cap 5 s).
    assertEquals(Duration.ofSeconds(5), c.mqtt().connectTimeout());
    assertEquals(Duration.ofSeconds(5), c.mqtt().reconnectMaxDelay());
  }

  @Test
  void anOversizedFileIsRefusedBeforeItIsParsed() throws Exception {
    Path big = tmp.resolve("big.yaml");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(50L << 20);
    }
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(big), List.of()));
    assertTrue(
        e.getMessage().startsWith(big + ": 52428800 bytes, expected at most 1048576"),
        e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    Path missing = tmp.resolve("nope.yaml");
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ConfigLoader.load(Optional.of(missing), List.of()));
    assertEquals(missing + ": no such configuration file", e.getMessage());
  }

  @Test
  void flagValuesAreBlamedOnTheFlag() throws Exception {
    Path bundle = Files.createDirectories(tmp.resolve("b"));
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    List.of(
                        new ConfigLoader.Override("bundle.path", "--bundle", bundle.toString()),
                        new ConfigLoader.Override("source.uri", "--source", "ftp://x/y"))));
    assertTrue(e.getMessage().startsWith("--source: expected a video file"), e.getMessage());
  }
}
