package dev.offramp.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.offramp.runtime.config.ConfigLoader;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.settings.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Test fixture: configurations loaded the way the daemon loads them (through {@link ConfigLoader}),
 * so every test reads the real keys, defaults and checks.
 */
public final class TestConfigs {
  private TestConfigs() {}

  /** A value set as a command-line flag would, blamed on the flag {@code t}. */
  public static ConfigLoader.Override set(String key, Object value) {
    return new ConfigLoader.Override(key, "t", value);
  }

  /**
   * {@code deploy/offramp.example.yaml}, every key spelt out, with an (empty) bundle directory
   * under {@code tmp} and {@code source} as the source.
   */
  public static RuntimeConfig example(Path tmp, String source) throws IOException {
    Path bundle = Files.createDirectories(tmp.resolve("bundle"));
    return ConfigLoader.load(
        Optional.of(Path.of("../deploy/offramp.example.yaml")),
        List.of(
            new ConfigLoader.Override("bundle.path", "--bundle", bundle.toString()),
            new ConfigLoader.Override("source.uri", "--source", source)));
  }

  /**
   * An in-process daemon's configuration: device id, a state directory under {@code tmp}, the
   * bundle, the source, the broker and a free HTTP port; then {@code more}, which may override any
   * of them.
   *
   * @param file a YAML file under the flags, or empty
   */
  public static RuntimeConfig daemon(
      Optional<Path> file,
      Path tmp,
      String device,
      Path bundle,
      String source,
      String brokerUrl,
      ConfigLoader.Override... more) {
    List<ConfigLoader.Override> all =
        new ArrayList<>(
            List.of(
                set("device-id", device),
                set("state-dir", tmp.resolve("state").toString()),
                set("bundle.path", bundle.toString()),
                set("source.uri", source),
                set("mqtt.broker-url", brokerUrl),
                set("http.port", 0)));
    all.addAll(List.of(more));
    return ConfigLoader.load(file, all);
  }

  /**
   * The configuration of a YAML file holding {@code yaml}, with an (empty) bundle directory under
   * {@code tmp} and {@code /dev/video0} as the source, set as flags.
   */
  public static RuntimeConfig fromYaml(Path tmp, String yaml) throws IOException {
    Path file = Files.writeString(tmp.resolve("offramp.yaml"), yaml);
    Path bundle = Files.createDirectories(tmp.resolve("bundle"));
    return ConfigLoader.load(
        Optional.of(file),
        List.of(
            new ConfigLoader.Override("bundle.path", "--bundle", bundle.toString()),
            new ConfigLoader.Override("source.uri", "--source", "/dev/video0")));
  }

  /** The message of the configuration error {@link #fromYaml} stops on; fails if it loads. */
  public static String refusal(Path tmp, String yaml) {
    return assertThrows(ConfigException.class, () -> fromYaml(tmp, yaml)).getMessage();
  }
}
