package dev.offramp.runtime;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.runtime.capture.Capture;
import dev.offramp.runtime.capture.FrameFormat;
import dev.offramp.runtime.capture.LatestFrameSlot;
import dev.offramp.runtime.capture.NativePreload;
import dev.offramp.runtime.config.ConfigException;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.energy.EnergyMeter;
import dev.offramp.runtime.lifecycle.StopSignal;
import dev.offramp.runtime.lifecycle.SystemdNotifier;
import dev.offramp.runtime.metrics.RuntimeMetrics;
import dev.offramp.runtime.pipeline.FrameResultListener;
import dev.offramp.runtime.pipeline.Pipeline;
import dev.offramp.runtime.pipeline.SinkFanout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The composition root: builds the daemon's parts from a {@link RuntimeConfig}, starts them, waits
 * for a stop (signal, end of a file source, frame limit) and closes them in reverse order. Only
 * wiring lives here; every part is tested on its own.
 */
public final class Main {
  private static final System.Logger LOG = System.getLogger(Main.class.getName());

  /** How long an orderly stop may take before the process is ended anyway (SIGTERM contract). */
  static final long STOP_BUDGET_MS = 4_500;

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
   * @throws ConfigException for configuration the user must fix (exit 2)
   * @throws dev.offramp.cascade.bundle.BundleException for a bundle that cannot be loaded (exit 2)
   * @throws dev.offramp.runtime.capture.CaptureException for a source that cannot be opened (exit
   *     2)
   */
  public static int run(RuntimeConfig config, Options options) {
    NativePreload.start(); // capture natives load while the sessions open (start-up time)
    Deque<AutoCloseable> open = new ArrayDeque<>();
    Optional<SystemdNotifier> notifier =
        SystemdNotifier.fromEnvironment(System.getenv(), options.notifyCommand());
    notifier.ifPresent(open::push);
    CountDownLatch closed = new CountDownLatch(1);
    // A JVM shutdown that did not come through the signal handlers (SIGHUP, -Xrs, System.exit
    // elsewhere) still gets the orderly stop: ask for it and wait while it runs.
    Thread hook =
        new Thread(
            () -> {
              options.stop().request("JVM shutdown");
              try {
                closed.await(STOP_BUDGET_MS, TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "offramp-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Pipeline pipeline = null;
    Capture capture = null;
    try {
      createStateDir(config);
      Bundle bundle = Bundle.open(config.bundle().path());
      Manifest manifest = bundle.manifest();
      String profile = config.bundle().profile().orElse(manifest.defaultProfile());
      if (!manifest.profiles().containsKey(profile)) {
        throw new ConfigException(
            "bundle.profile: expected one of "
                + String.join(", ", manifest.profiles().keySet())
                + ", found '"
                + profile
                + "'");
      }
      CascadeExecutor executor =
          CascadeExecutor.open(bundle, config.execution().toOptions(config.stateDir()));
      open.push(executor);
      RuntimeMetrics.global().bindInvalidProbs(executor::invalidProbabilities);
      LatestFrameSlot slot = new LatestFrameSlot(frameFormat(manifest.input()));
      EnergyMeter meter = Wiring.energyMeter(config);
      open.push(meter);
      SinkFanout sinks = new SinkFanout();
      pipeline =
          new Pipeline(
              new Pipeline.Parts(
                  config.deviceId(),
                  config.source().camera(),
                  manifest,
                  executor,
                  slot,
                  meter,
                  List.of(sinks),
                  profile,
                  config.source().maxFps(),
                  options.frameLimit()));
      options.frameListeners().forEach(pipeline::addFrameListener);
      Wiring.Transports transports =
          Wiring.transports(config, manifest, pipeline, slot, meter, sinks);
      open.push(transports);
      capture = new Capture(config.source(), slot, transports::captureStateChanged);
      capture.start();
      pipeline.start();
      final Pipeline running = pipeline;
      notifier.ifPresent(
          n -> {
            n.ready();
            long ms = Math.max(1_000, n.watchdogUsec() / 1_000);
            n.startWatchdog(
                () -> running.alive(ms) && transports.publisherAlive(Math.max(15_000, ms)));
          });
      LOG.log(
          Level.INFO,
          "running bundle {0}, profile {1}, providers {2}, source {3}",
          manifest.name(),
          profile,
          executor.stageProviders(),
          config.source().spec().text());
      options
          .onStarted()
          .accept(
              new Started(
                  manifest.name(), profile, executor.stageProviders(), transports.httpPort()));
      while (!options.stop().await(100)) {
        if (pipeline.finished().isDone()) {
          // The source ended (or the frame limit was reached): deliver before closing.
          transports.drain(DRAIN_MS);
          break;
        }
      }
      return stop(pipeline, capture, notifier, open);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return stop(pipeline, capture, notifier, open);
    } catch (RuntimeException e) {
      stop(pipeline, capture, notifier, open);
      throw e;
    } finally {
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook has run.
      }
    }
  }

  /** Orderly stop: capture first, the frame in flight, then transports (flush, `stopped`). */
  private static int stop(
      Pipeline pipeline,
      Capture capture,
      Optional<SystemdNotifier> notifier,
      Deque<AutoCloseable> open) {
    long deadline = System.nanoTime() + STOP_BUDGET_MS * 1_000_000L;
    Thread guard = new Thread(() -> haltAfter(deadline), "offramp-stop-guard");
    guard.setDaemon(true);
    guard.start();
    notifier.ifPresent(SystemdNotifier::stopping);
    if (capture != null) {
      capture.stop(500);
    }
    int code = 0;
    if (pipeline != null) {
      pipeline.stop(2_000);
      if (pipeline.finished().isCompletedExceptionally()) {
        code = 1;
      }
    }
    while (!open.isEmpty()) {
      AutoCloseable c = open.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing " + c.getClass().getSimpleName() + " failed", e);
      }
    }
    guard.interrupt();
    LOG.log(Level.INFO, "stopped");
    return code;
  }

  private static void haltAfter(long deadlineNanos) {
    try {
      long ms = (deadlineNanos - System.nanoTime()) / 1_000_000L;
      if (ms > 0) {
        Thread.sleep(ms);
      }
      System.err.println("offramp: orderly stop took over " + STOP_BUDGET_MS + " ms; exiting now");
      Runtime.getRuntime().halt(1);
    } catch (InterruptedException e) {
      // Stopped in time.
    }
  }

  private static void createStateDir(RuntimeConfig config) {
    try {
      Files.createDirectories(config.stateDir());
    } catch (IOException e) {
      throw new ConfigException(
          "state-dir: cannot create " + config.stateDir() + ": " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new ConfigException("state-dir: " + e.getMessage(), e);
    }
  }

  /** The capture format that feeds {@code Preprocessor.fill}: the model's size and channels. */
  static FrameFormat frameFormat(InputSpec input) {
    return FrameFormat.of(input);
  }
}
