package dev.offramp.runtime.cli;

import dev.offramp.runtime.Main;
import dev.offramp.runtime.config.ConfigLoader;
import dev.offramp.runtime.config.RuntimeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code offramp run}: the daemon. Settings come from {@code --config FILE}; the essential ones are
 * also flags, which override the file, so a first run needs no file.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the daemon (a bundle on a source, results over MQTT and HTTP).",
    footer = {
      "",
      "SRC: a video file, a directory of images (name order), /dev/videoN, an rtsp://",
      "or http:// URL, or pipe:COMMAND (MJPEG on the command's stdout; raw frames with",
      "source.pipe-format: raw). Jetson CSI camera:",
      "  offramp run --bundle DIR --source \"pipe:gst-launch-1.0 -q nvarguscamerasrc \\",
      "    ! 'video/x-raw(memory:NVMM),width=1280,height=720,framerate=30/1' \\",
      "    ! nvjpegenc ! fdsink fd=1\"",
      "Raspberry Pi camera:",
      "  offramp run --bundle DIR --source \"pipe:rpicam-vid -t 0 -n --codec mjpeg \\",
      "    --width 640 --height 480 --framerate 30 -o -\"",
      "Every key: deploy/offramp.example.yaml (repository),",
      "/opt/offramp/current/share/offramp/offramp.example.yaml (installed image)."
    })
public final class RunCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
  Path config;

  @Option(names = "--bundle", paramLabel = "DIR", description = "Cascade bundle directory.")
  String bundle;

  @Option(
      names = "--profile",
      paramLabel = "P",
      description = "Exit profile (default: the bundle's).")
  String profile;

  @Option(names = "--source", paramLabel = "SRC", description = "Frame source (see below).")
  String source;

  @Option(
      names = "--loop",
      arity = "0",
      description = "Loop a video file or image directory instead of ending at its end.")
  Boolean loop;

  @Option(names = "--max-fps", paramLabel = "N", description = "Classify at most N frames/s.")
  Double maxFps;

  @Option(names = "--device-id", paramLabel = "ID", description = "Device id (default: host name).")
  String deviceId;

  @Option(
      names = "--mqtt-url",
      paramLabel = "URL",
      description = "MQTT broker, tcp://HOST:PORT (default tcp://127.0.0.1:1883).")
  String mqttUrl;

  @Option(names = "--http-port", paramLabel = "N", description = "HTTP port (default 8080).")
  Integer httpPort;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "State directory.")
  String stateDir;

  @Option(
      names = "--providers",
      paramLabel = "LIST",
      description = "Execution providers in order of preference, e.g. tensorrt,cuda,cpu.")
  String providers;

  @Override
  public Integer call() {
    RuntimeConfig runtimeConfig = ConfigLoader.load(Optional.ofNullable(config), overrides());
    return Main.run(runtimeConfig, Main.Options.daemon());
  }

  List<ConfigLoader.Override> overrides() {
    List<ConfigLoader.Override> o = new ArrayList<>();
    add(o, "bundle.path", "--bundle", bundle);
    add(o, "bundle.profile", "--profile", profile);
    add(o, "source.uri", "--source", source);
    add(o, "source.loop", "--loop", loop);
    add(o, "source.max-fps", "--max-fps", maxFps);
    add(o, "device-id", "--device-id", deviceId);
    add(o, "mqtt.broker-url", "--mqtt-url", mqttUrl);
    add(o, "http.port", "--http-port", httpPort);
    add(o, "state-dir", "--state-dir", stateDir);
    add(o, "execution.providers", "--providers", providers);
    return o;
  }

  private static void add(List<ConfigLoader.Override> o, String key, String flag, Object value) {
    if (value != null) {
      o.add(new ConfigLoader.Override(key, flag, value));
    }
  }
}
