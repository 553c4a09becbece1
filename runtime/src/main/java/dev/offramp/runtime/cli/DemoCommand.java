package dev.offramp.runtime.cli;

import dev.offramp.runtime.Main;
import dev.offramp.runtime.config.ConfigLoader;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.demo.DemoLabels;
import dev.offramp.runtime.demo.EmbeddedBroker;
import dev.offramp.runtime.demo.RunningAccuracy;
import dev.offramp.runtime.lifecycle.StopSignal;
import dev.offramp.runtime.lifecycle.SystemdNotifier;
import dev.offramp.runtime.settings.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code offramp demo}: the daemon on its embedded defaults, for a machine with no broker and no
 * camera: an in-process MQTT broker on a free loopback port, the committed demo bundle, the
 * committed demo video (looping) and the HTTP page; prints where to look and a running accuracy.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the demo: bundled model and frames, in-process broker, live page.")
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--frames",
      paramLabel = "N",
      description = "Stop after N results (0: run until Ctrl-C).")
  long frames;

  @Option(
      names = "--http-port",
      paramLabel = "N",
      description = "HTTP port (default 8080; 0 picks one).")
  int httpPort = 8080;

  @Option(
      names = "--max-fps",
      paramLabel = "N",
      description = "Frames per second (default 10, the video's rate; 0: as fast as possible).")
  double maxFps = 10;

  @Option(
      names = "--demo-dir",
      paramLabel = "DIR",
      description = "The demo directory (default: ./demo or the nearest one above).")
  Path demoDir;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description = "Bundle (default: DEMO/fashion-resnet18/bundle).")
  Path bundle;

  @Option(
      names = "--source",
      paramLabel = "SRC",
      description = "Frames (default: DEMO/frames/fashion-test.mp4).")
  String source;

  @Option(
      names = "--labels",
      paramLabel = "CSV",
      description = "Labels of the frames (default: DEMO/frames/labels.csv).")
  Path labels;

  @Option(
      names = "--profile",
      paramLabel = "P",
      description = "Exit profile (default: the bundle's).")
  String profile;

  /**
   * Held so the level sticks: in the demo, start-up chatter (broker, web server) would bury the
   * lines that say where to look; warnings and errors still show.
   */
  private static final java.util.logging.Logger ROOT_LOG = java.util.logging.Logger.getLogger("");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * A board image leaves the demo's in-process broker (Moquette and what it needs) out; say so
   * instead of failing on a missing class.
   */
  private static void requireDemoBroker() {
    try {
      Class.forName("io.moquette.broker.Server", false, DemoCommand.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ConfigException(
          "demo: expected the demo's in-process MQTT broker (Moquette, lib/offramp/demo/ of an"
              + " image), found none: this is a board image, built without it. Build an image for"
              + " trying offramp out with deploy/build-image.sh --with-demo and run it with"
              + " offramp demo --demo-dir DIR (DIR: a checkout's demo/, the bundle and video), or"
              + " run the daemon against your broker: offramp run --config /etc/offramp/offramp.yaml");
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    requireDemoBroker();
    Path dir = demoDir != null ? demoDir : findDemoDir();
    Path bundleDir = bundle != null ? bundle : dir.resolve("fashion-resnet18/bundle");
    String src = source != null ? source : dir.resolve("frames/fashion-test.mp4").toString();
    Path labelFile = labels != null ? labels : dir.resolve("frames/labels.csv");
    if (!Files.isRegularFile(bundleDir.resolve("manifest.json"))) {
      throw new ConfigException(
          "demo bundle not found at " + bundleDir + " (no manifest.json); pass --bundle DIR");
    }
    Optional<DemoLabels> known =
        Files.isRegularFile(labelFile) ? Optional.of(DemoLabels.read(labelFile)) : Optional.empty();
    ROOT_LOG.setLevel(java.util.logging.Level.WARNING);
    Path state = tempStateDir();
    try (EmbeddedBroker broker = EmbeddedBroker.start(0)) {
      List<ConfigLoader.Override> o = new ArrayList<>();
      o.add(new ConfigLoader.Override("device-id", "demo", "demo"));
      o.add(new ConfigLoader.Override("state-dir", "demo", state.toString()));
      o.add(new ConfigLoader.Override("bundle.path", "--bundle", bundleDir.toString()));
      if (profile != null) {
        o.add(new ConfigLoader.Override("bundle.profile", "--profile", profile));
      }
      o.add(new ConfigLoader.Override("source.uri", "--source", src));
      o.add(new ConfigLoader.Override("source.loop", "demo", true));
      o.add(new ConfigLoader.Override("source.max-fps", "--max-fps", maxFps));
      o.add(new ConfigLoader.Override("mqtt.broker-url", "demo", broker.url()));
      o.add(new ConfigLoader.Override("http.port", "--http-port", portOrFree(httpPort)));
      RuntimeConfig config = ConfigLoader.load(Optional.empty(), o);
      Optional<RunningAccuracy> accuracy = known.map(l -> new RunningAccuracy(l, out, 2_000));
      Main.Options options =
          new Main.Options(
              new StopSignal().install(),
              frames,
              accuracy
                  .map(a -> List.<dev.offramp.runtime.pipeline.FrameResultListener>of(a))
                  .orElse(List.of()),
              started -> {
                out.println(
                    "offramp demo: bundle "
                        + started.bundleName()
                        + ", profile "
                        + started.profile()
                        + ", providers "
                        + String.join(",", started.providers()));
                out.println("  MQTT:      " + broker.subscribeCommand("offramp/#"));
                if (started.httpPort() > 0) {
                  out.println("  live page: http://127.0.0.1:" + started.httpPort() + "/");
                }
                out.println(
                    frames > 0 ? "  stopping after " + frames + " frames" : "  Ctrl-C stops.");
              },
              SystemdNotifier.SYSTEMD_NOTIFY);
      int code = Main.run(config, options);
      accuracy.ifPresent(a -> out.println("final: " + a.summary()));
      return code;
    } finally {
      deleteTree(state);
    }
  }

  /** The asked-for port, or 0 (any free one) when the default 8080 is taken. */
  static int portOrFree(int port) {
    if (port != 8080) {
      return port;
    }
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return port;
    } catch (IOException e) {
      return 0;
    }
  }

  /** {@code ./demo}, or the nearest {@code demo} directory above the working directory. */
  static Path findDemoDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("demo");
      if (Files.isDirectory(candidate.resolve("frames"))) {
        return candidate;
      }
    }
    throw new ConfigException(
        "no demo directory (demo/frames) in the working directory or above; run from the"
            + " repository or pass --demo-dir DIR");
  }

  private static Path tempStateDir() {
    try {
      return Files.createTempDirectory("offramp-demo-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary state directory", e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }
}
