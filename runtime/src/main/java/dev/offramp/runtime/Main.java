package dev.offramp.runtime;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.runtime.capture.FrameFeeds;
import dev.offramp.runtime.capture.FrameFormat;
import dev.offramp.runtime.capture.NativePreload;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.control.ControlHub;
import dev.offramp.runtime.energy.EnergyMeter;
import dev.offramp.runtime.lifecycle.Lifecycle;
import dev.offramp.runtime.lifecycle.Part;
import dev.offramp.runtime.lifecycle.ShutdownHook;
import dev.offramp.runtime.lifecycle.StopSignal;
import dev.offramp.runtime.lifecycle.SystemdNotifier;
import dev.offramp.runtime.metrics.RuntimeMetrics;
import dev.offramp.runtime.mqtt.MqttPublisher;
import dev.offramp.runtime.pipeline.FrameResultListener;
import dev.offramp.runtime.pipeline.Pipeline;
import dev.offramp.runtime.pipeline.SinkFanout;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The composition root: builds the daemon's parts from a {@link RuntimeConfig}, starts them through
 * a {@link Lifecycle} (each listed once, in start order), waits for a stop (signal, end of a file
 * source, frame limit) and lets the lifecycle stop them in reverse within {@link #STOP_BUDGET}.
 * Only wiring lives here; every part is tested on its own.
 */
public final class Main {
  private static final System.Logger LOG = System.getLogger(Main.class.getName());

  /** How long an orderly stop may take before the process is ended anyway (SIGTERM contract). */
  static final Duration STOP_BUDGET = Duration.ofMillis(4_500);

  /** How long a run that ends by itself waits for the broker to take its last results. */
  static final long DRAIN_MS = 5_000;

  private Main() {}

  /**
   * What differs between {@code run}, {@code demo} and tests.
   *
   * @param stop the stop request (signals, or a test)
   * @param frameLimit stop after this many results; 0 for none
   * @param frameListeners told of each result with its source frame index (the demo's scoring)
   * @param onStarted called once everything runs, with what a user needs to look at it
   * @param notifyCommand the {@code systemd-notify} helper
   */
  public record Options(
      StopSignal stop,
      long frameLimit,
      List<FrameResultListener> frameListeners,
      Consumer<Started> onStarted,
      List<String> notifyCommand) {
    public Options {
      Objects.requireNonNull(stop, "stop");
      Objects.requireNonNull(onStarted, "onStarted");
      frameListeners = List.copyOf(frameListeners);
      notifyCommand = List.copyOf(notifyCommand);
    }

    /** The daemon's options: signals, no limit, systemd notification. */
    public static Options daemon() {
      return new Options(
          new StopSignal().install(), 0, List.of(), s -> {}, SystemdNotifier.SYSTEMD_NOTIFY);
    }
  }

  /**
   * What is running, for the start-up banner.
   *
   * @param bundleName the bundle's name
   * @param profile the exit profile in force
   * @param providers the execution provider of each stage
   * @param httpPort the HTTP port bound; 0 when HTTP is off
   */
  public record Started(String bundleName, String profile, List<String> providers, int httpPort) {}

  /**
   * Runs the daemon until stopped.
   *
   * @return the exit code: 0 after an orderly stop, 1 when the pipeline failed
   * @throws dev.offramp.runtime.settings.ConfigException for configuration the user must fix (2)
   * @throws dev.offramp.cascade.bundle.BundleException for a bundle that cannot be loaded (exit 2)
   * @throws dev.offramp.runtime.capture.CaptureException for a source that cannot be opened (2)
   */
  public static int run(RuntimeConfig config, Options options) {
    NativePreload.start(); // capture natives load while the sessions open (start-up time)
    Optional<SystemdNotifier> systemd =
        SystemdNotifier.fromEnvironment(System.getenv(), options.notifyCommand());
    Lifecycle parts =
        new Lifecycle(
            STOP_BUDGET, Wiring::halt, () -> systemd.ifPresent(SystemdNotifier::stopping));
    try (ShutdownHook hook = ShutdownHook.install(options.stop(), STOP_BUDGET)) {
      try {
        systemd.ifPresent(n -> parts.start(Part.closing("systemd watchdog", n)));
        Wiring.createStateDir(config);
        Bundle bundle = Bundle.open(config.bundle().path());
        Manifest manifest = bundle.manifest();
        String profile = Wiring.profile(config, manifest);
        // MQTT opens its store and connects while the stages open (start-up time); the hub is
        // bound to the pipeline once it exists and refuses changes until then.
        ControlHub control =
            ControlHub.starting(List.copyOf(manifest.profiles().keySet()), profile);
        MqttPublisher mqtt = parts.open("mqtt", Wiring.mqtt(config, control));
        CascadeExecutor executor =
            parts.open(
                "executor",
                CascadeExecutor.open(bundle, config.execution().toOptions(config.stateDir())));
        RuntimeMetrics.global().bindInvalidProbs(executor::invalidProbabilities);
        FrameFeeds feeds = Wiring.feeds(config, FrameFormat.of(manifest.input()));
        EnergyMeter meter = parts.open("energy meter", Wiring.energyMeter(config));
        SinkFanout sinks = new SinkFanout();
        Pipeline pipeline =
            Wiring.pipeline(config, manifest, executor, feeds, meter, sinks, profile, options);
        Transports transports =
            parts.start(
                Wiring.transports(config, manifest, pipeline, feeds, meter, sinks, control, mqtt));
        parts.start(Part.of("pipeline", pipeline::start, left -> pipeline.stop(ms(left, 2_000))));
        for (Part capture : Wiring.captures(config, feeds, transports::captureStateChanged)) {
          parts.start(capture);
        }
        systemd.ifPresent(n -> parts.start(Wiring.systemd(n, pipeline, transports)));
        LOG.log(
            Level.INFO,
            "running bundle {0}, profile {1}, providers {2}, sources {3}",
            manifest.name(),
            profile,
            executor.stageProviders(),
            config.sources().stream().map(s -> s.camera() + "=" + s.spec().text()).toList());
        options
            .onStarted()
            .accept(
                new Started(
                    manifest.name(), profile, executor.stageProviders(), transports.httpPort()));
        awaitEnd(options.stop(), pipeline, transports);
        stop(parts);
        return pipeline.finished().isCompletedExceptionally() ? 1 : 0;
      } catch (RuntimeException e) {
        stop(parts);
        throw e;
      }
    }
  }

  /** Waits for a stop request or the end of the source (then delivers before closing). */
  private static void awaitEnd(StopSignal stop, Pipeline pipeline, Transports transports) {
    try {
      while (!stop.await(100)) {
        if (pipeline.finished().isDone()) {
          transports.drain(DRAIN_MS);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Orderly stop: systemd told first, then capture, the frame in flight, transports, natives. */
  private static void stop(Lifecycle parts) {
    parts.stop();
    LOG.log(Level.INFO, "stopped");
  }

  static long ms(Duration left, long most) {
    return Math.min(most, left.toMillis());
  }
}
