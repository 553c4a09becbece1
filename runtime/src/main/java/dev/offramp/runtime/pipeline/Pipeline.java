package dev.offramp.runtime.pipeline;

import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.runtime.audit.LiveAudit;
import dev.offramp.runtime.capture.CapturedFrame;
import dev.offramp.runtime.capture.FrameFeeds;
import dev.offramp.runtime.pipeline.ActiveBundle.Current;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The classification loop, on its own thread ({@code offramp-pipeline}): take the latest frame,
 * preprocess it into the executor's input buffer, run the cascade under the current exit profile,
 * attribute energy, and hand a {@link ResultEvent} to every {@link ResultSink}.
 *
 * <p>Lifecycle: {@link #start()} once; the loop ends when the source ends, after {@code frameLimit}
 * results, or on {@link #stop(long)}, which lets the frame in flight finish. {@link #finished()}
 * completes then (exceptionally if classification failed). The pipeline borrows the executor, slot,
 * meter and sinks; it closes none of them.
 *
 * <p>Thread-safety: the switches ({@link #setProfile}, {@link #setPaused}, their getters) and
 * {@link #swap} are safe from any thread; everything else runs on the pipeline thread. Transports
 * change the switches through {@code control.ControlHub}, which adapts this class; the pipeline
 * knows no transport.
 */
public final class Pipeline implements Switches {
  private static final System.Logger LOG = System.getLogger(Pipeline.class.getName());
  private static final long TAKE_TIMEOUT_MS = 100;

  private final PipelineParts parts;
  private final String session = UUID.randomUUID().toString();
  private final ActiveBundle active;
  private final List<FrameResultListener> frameListeners = new ArrayList<>();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final Thread thread;
  private final Object pauseLock = new Object();
  private volatile boolean running = true;
  private volatile long heartbeatNanos = System.nanoTime();
  private volatile boolean paused;
  private final CameraCounters counters;
  private final FrameRuns runs = new FrameRuns();
  // Live audit (issue 13): null when off.
  private LiveAudit audit;

  public Pipeline(PipelineParts parts) {
    this.parts = parts;
    this.counters =
        new CameraCounters(parts.feeds().feeds().stream().map(FrameFeeds.Feed::camera).toList());
    this.active =
        new ActiveBundle(Current.of(parts.executor(), parts.manifest(), parts.initialProfile()));
    // ONNX Runtime is deep on the stack; see RuntimeMain.main.
    this.thread = new Thread(null, this::run, "offramp-pipeline", 16L << 20);
  }

  /** Adds a listener that also learns the frame index; call before {@link #start()}. */
  public void addFrameListener(FrameResultListener listener) {
    if (thread.isAlive()) {
      throw new IllegalStateException("add frame listeners before start()");
    }
    frameListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Sets the live audit, which runs in this pipeline's idle time; call before {@link #start()}. */
  public void setAudit(LiveAudit audit) {
    if (thread.isAlive()) {
      throw new IllegalStateException("set the audit before start()");
    }
    this.audit = audit;
  }

  public void start() {
    thread.start();
  }

  /** This start's session id, carried by every result. */
  public String session() {
    return session;
  }

  /**
   * Whether the loop went round within {@code maxAgeMs} (it does at least every 100 ms while it
   * waits for frames), for the systemd watchdog and health checks.
   */
  public boolean alive(long maxAgeMs) {
    return thread.isAlive() && System.nanoTime() - heartbeatNanos < maxAgeMs * 1_000_000L;
  }

  /**
   * Several cameras' frames classified as one batch: whether the running bundle takes a batch, and
   * the batched calls and frames so far.
   */
  public Map<String, Object> batching() {
    return runs.status(active.current().executor());
  }

  /** Where frames come from. */
  public FrameFeeds feeds() {
    return parts.feeds();
  }

  /** Results published so far, all cameras. */
  public long published() {
    return counters.total();
  }

  /** Results published so far for each camera. */
  public Map<String, Long> publishedByCamera() {
    return counters.byCamera();
  }

  /** Completes when the loop has ended; exceptionally when classification failed. */
  public CompletableFuture<Void> finished() {
    return finished;
  }

  /**
   * Stops after the frame in flight and waits up to {@code waitMs} for the loop to end.
   *
   * @return whether the loop ended in time
   */
  public boolean stop(long waitMs) {
    synchronized (pauseLock) {
      running = false;
      pauseLock.notifyAll();
    }
    try {
      finished.get(waitMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return true;
  }

  /** The execution provider each stage actually got (after any fallback), e.g. {@code [cpu]}. */
  public List<String> stageProviders() {
    return active.current().executor().stageProviders();
  }

  @Override
  public List<String> profiles() {
    return active.profiles();
  }

  @Override
  public String profile() {
    return active.current().profile();
  }

  @Override
  public void setProfile(String name) {
    active.setProfile(name);
    LOG.log(Level.INFO, "exit profile now {0}", name);
  }

  /** The bundle the next frame runs on. */
  public BundleId bundle() {
    return active.current().bundle();
  }

  /** The manifest of the bundle the next frame runs on. */
  public Manifest manifest() {
    return active.current().manifest();
  }

  /**
   * Asks the pipeline thread to run {@code executor} from the next frame on (between two frames;
   * while paused or waiting for frames, within about 100 ms). The exit profile in force stays when
   * the new bundle has it, else the new bundle's default applies. The executor is borrowed like the
   * first one.
   *
   * @return completes with the replaced executor once no frame uses it any more (the caller may
   *     close it then), or exceptionally when the pipeline has ended or another swap replaced this
   *     request before it was made
   */
  public CompletableFuture<CascadeExecutor> swap(CascadeExecutor executor) {
    return active.request(executor, finished::isDone);
  }

  /** Makes a pending swap; on the pipeline thread, between frames. */
  private void applyPendingSwap() {
    active.applyPending(
        replaced -> {
          if (audit != null) {
            // Queued samples belong to the old bundle: finish them on its executor first.
            audit.drain(replaced.executor());
          }
        },
        next -> {
          if (audit != null) {
            audit.rebase(next.manifest());
          }
          LOG.log(Level.INFO, "bundle now {0}, profile {1}", next.bundle(), next.profile());
        });
  }

  @Override
  public boolean paused() {
    return paused;
  }

  @Override
  public void setPaused(boolean paused) {
    synchronized (pauseLock) {
      if (this.paused && !paused) {
        parts.feeds().resetDropped();
      }
      this.paused = paused;
      pauseLock.notifyAll();
    }
    LOG.log(Level.INFO, paused ? "pipeline paused" : "pipeline resumed");
  }

  private void run() {
    FrameFeeds feeds = parts.feeds();
    try {
      while (running) {
        heartbeatNanos = System.nanoTime();
        applyPendingSwap();
        if (paused) {
          synchronized (pauseLock) {
            while (paused && running) {
              pauseLock.wait(TAKE_TIMEOUT_MS);
            }
          }
          continue;
        }
        // Audit samples wait for idle time: poll without blocking first, and when no frame waits
        // continue one sample instead of sleeping.
        int taken = audit != null && audit.pending() ? feeds.take(0) : 0;
        if (taken == 0 && audit != null && audit.pending() && !feeds.drained()) {
          audit.runOne(active.current().executor());
          continue;
        }
        if (taken == 0) {
          taken = feeds.take(TAKE_TIMEOUT_MS);
        }
        if (taken == 0) {
          if (feeds.drained()) {
            Optional<String> error = feeds.endError();
            if (error.isPresent()) {
              throw new IllegalStateException("capture ended: " + error.get());
            }
            break;
          }
          continue;
        }
        if (classifyTaken(taken)) {
          break;
        }
      }
      // A source that ended or a frame limit leaves idle time: finish the queued audit samples.
      while (running && audit != null && audit.pending()) {
        audit.runOne(active.current().executor());
      }
      finished.complete(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished.complete(null);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "pipeline failed", e);
      finished.completeExceptionally(e);
    } finally {
      active.failPending();
    }
  }

  /**
   * Classifies the frames just taken, on one read of the bundle and profile: frames of several
   * cameras as one batch when the bundle takes a batch, one by one otherwise. Returns true when the
   * frame limit is reached.
   */
  private boolean classifyTaken(int taken) {
    FrameFeeds feeds = parts.feeds();
    Current run = active.current();
    String profile = run.profile();
    ExitPolicy exitPolicy = audit == null ? run.policy() : audit.policy(run.policy());
    List<FrameRuns.Timed> batch =
        taken > 1 && run.executor().batched() ? runs.batch(run, exitPolicy, feeds, taken) : null;
    for (int i = 0; i < taken; i++) {
      FrameRuns.Timed t;
      if (batch != null) {
        t = batch.get(i);
        if (audit != null && audit.sample(t.c())) {
          // The audit needs the exit's features, which only a frame's own run leaves behind.
          audit.keep(runs.alone(run, exitPolicy, i), run.executor(), profile);
        }
      } else {
        t = FrameRuns.one(run, exitPolicy, feeds.frame(i));
        if (audit != null) {
          audit.offer(t.c(), run.executor(), profile);
        }
      }
      publish(feeds.frame(i), feeds.camera(i), run, profile, t);
      if (parts.frameLimit() > 0 && published() >= parts.frameLimit()) {
        return true;
      }
    }
    return false;
  }

  private void publish(
      CapturedFrame frame, String camera, Current run, String profile, FrameRuns.Timed t) {
    ResultEvent event =
        t.event(
            parts.deviceId(),
            camera,
            session,
            counters.next(camera),
            frame,
            run,
            profile,
            parts.meter());
    for (ResultSink sink : parts.sinks()) {
      try {
        sink.accept(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "result sink " + sink.getClass().getSimpleName() + " failed", e);
      }
    }
    for (FrameResultListener listener : frameListeners) {
      try {
        listener.accept(frame.frameIndex(), event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "frame listener failed", e);
      }
    }
  }
}
