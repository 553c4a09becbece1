package dev.offramp.runtime.capture;

import dev.offramp.cascade.bundle.ColorMode;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs one source on its own thread ({@code offramp-capture-<camera>}) into a {@link
 * LatestFrameSlot}. Every image is fitted to the slot's {@link FrameFormat} into one reused buffer.
 * A lost live source (camera, stream, pipe) is reopened with exponential backoff, capped at {@code
 * reconnect-max-ms}; each state change goes to the {@link CaptureListener}. A file or directory
 * ends the stream at its end unless it loops.
 *
 * <p>Bad frames never end a run: a frame that cannot be decoded, or whose header declares more than
 * {@code source.max-pixels}, is skipped and counted in {@link LatestFrameSlot#skipped()}. A source
 * that yields nothing but skipped frames (a whole pass of a file or directory, or {@value
 * #MAX_CONSECUTIVE_SKIPS} frames in a row of a live source) is reported as {@code error} with the
 * reason and reopened with the same backoff as a lost source.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once (idempotent). The capture thread owns
 * the source and its native handles; close only asks it to stop, so no native call races another.
 */
public final class Capture implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Capture.class.getName());

  private final SourceSettings settings;
  private final LatestFrameSlot slot;
  private final CaptureListener listener;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile CaptureState state;
  private volatile FrameSource current;
  private volatile boolean missingAtStart; // startRetrying() found no source: error until it opens
  private Pass pass = new Pass(); // capture thread only

  /** Bad frames in a row after which a live source counts as failing and is reopened. */
  static final int MAX_CONSECUTIVE_SKIPS = 50;

  public Capture(SourceSettings settings, LatestFrameSlot slot, CaptureListener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.slot = Objects.requireNonNull(slot, "slot");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.state =
        new CaptureState(
            CaptureState.State.OFFLINE, System.currentTimeMillis(), Optional.of("not started"));
    this.thread = new Thread(this::run, "offramp-capture-" + settings.camera());
    this.thread.setDaemon(true);
  }

  /**
   * Opens the source and starts the capture thread. A file, directory or V4L2 device that cannot be
   * opened is an error here, at start-up; a network stream or pipe that is not up yet is retried in
   * the background and reported offline.
   *
   * @throws CaptureException naming the source and what to check
   */
  public void start() {
    start(false);
  }

  /**
   * Like {@link #start()}, but a source that cannot be opened now is no start-up error: it is
   * reported {@code error} and retried with backoff like a lost one. For a daemon of several
   * cameras, where one missing camera must not keep the others from running.
   */
  public void startRetrying() {
    start(true);
  }

  private void start(boolean retry) {
    SourceSpec spec = settings.spec();
    boolean mustOpenNow =
        !(spec instanceof SourceSpec.NetworkStream || spec instanceof SourceSpec.Pipe);
    if (mustOpenNow) {
      try {
        current = open();
        setState(CaptureState.State.ONLINE, Optional.empty());
      } catch (BadSourceException e) {
        // The source is there but unusable as configured: report it and keep retrying.
        LOG.log(Level.WARNING, e.getMessage());
        setState(CaptureState.State.ERROR, Optional.of(e.getMessage()));
      } catch (CaptureException e) {
        if (!retry) {
          throw e;
        }
        LOG.log(Level.WARNING, "camera {0}: {1}; retrying", settings.camera(), e.getMessage());
        missingAtStart = true;
        setState(CaptureState.State.ERROR, Optional.of(e.getMessage()));
      }
    }
    thread.start();
  }

  /** The latest state. */
  public CaptureState state() {
    return state;
  }

  public String camera() {
    return settings.camera();
  }

  private FrameSource open() {
    boolean gray = slot.format().color() == ColorMode.GRAY;
    if (settings.spec() instanceof SourceSpec.ImageDirectory dir) {
      return new ImageDirectorySource(dir.dir(), gray, settings.maxPixels());
    }
    return FfmpegSource.open(settings, gray);
  }

  private void run() {
    long backoff = settings.reconnectInitialMs();
    byte[] buffer = new byte[slot.format().bytes()];
    Optional<String> endError = Optional.empty();
    try (ImageFitter fitter = new ImageFitter(slot.format())) {
      long index = 0;
      boolean firstOpen = current == null;
      while (running) {
        FrameSource source = current;
        if (source == null) {
          if (!firstOpen && state.state() != CaptureState.State.ERROR) {
            setState(CaptureState.State.RECONNECTING, state.error());
          }
          firstOpen = false;
          try {
            source = open();
          } catch (CaptureException e) {
            if (!running) {
              break;
            }
            LOG.log(Level.WARNING, "{0}; retrying in {1} ms", e.getMessage(), backoff);
            setState(
                e instanceof BadSourceException || missingAtStart
                    ? CaptureState.State.ERROR
                    : CaptureState.State.OFFLINE,
                Optional.of(e.getMessage()));
            sleep(backoff);
            backoff = Math.min(backoff * 2, settings.reconnectMaxMs());
            continue;
          }
          current = source;
          missingAtStart = false;
          pass = new Pass();
          if (!running) {
            break;
          }
          if (state.state() != CaptureState.State.ERROR) {
            // After an error the source counts as online again with its first good frame.
            setState(CaptureState.State.ONLINE, Optional.empty());
          }
          LOG.log(Level.INFO, "source {0} online", settings.spec().text());
        }
        try {
          boolean more;
          try {
            more = source.next();
            if (more) {
              fit(fitter, source, buffer);
            }
          } catch (FrameSkippedException e) {
            index++; // the index is the position in the source, bad frames included
            if (skipped(e)) {
              backoff = badSourceBackoff(backoff, e.getMessage());
            }
            continue;
          }
          if (more) {
            backoff = settings.reconnectInitialMs();
            pass.good++;
            pass.consecutiveSkips = 0;
            if (state.state() == CaptureState.State.ERROR) {
              setState(CaptureState.State.ONLINE, Optional.empty());
            }
            if (!slot.publish(
                buffer,
                System.currentTimeMillis(),
                System.nanoTime(),
                index++,
                settings.spec().finite())) {
              break;
            }
            continue;
          }
          closeCurrent();
          if (pass.good == 0 && pass.skipped > 0) {
            // A file or directory of nothing but bad frames: say so and look again later (the
            // files may be replaced), rather than end the run or spin.
            index = 0;
            backoff =
                badSourceBackoff(
                    backoff,
                    "every one of "
                        + pass.skipped
                        + " frames of "
                        + settings.spec().text()
                        + " was skipped; last: "
                        + pass.lastSkip);
            continue;
          }
          if (settings.spec().finite()) {
            if (settings.loop()) {
              index = 0;
              current = open();
              pass = new Pass();
              continue;
            }
            LOG.log(Level.INFO, "end of {0}", settings.spec().text());
            setState(CaptureState.State.OFFLINE, Optional.of("end of stream"));
            break;
          }
          lost("end of stream from " + settings.spec().text());
        } catch (CaptureException e) {
          closeCurrent();
          if (settings.spec().finite()) {
            LOG.log(Level.ERROR, e.getMessage(), e);
            endError = Optional.of(e.getMessage());
            setState(CaptureState.State.OFFLINE, endError);
            break;
          }
          lost(e.getMessage());
        }
        if (running && current == null) {
          sleep(backoff);
          backoff = Math.min(backoff * 2, settings.reconnectMaxMs());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "capture of " + settings.spec().text() + " failed", e);
      endError = Optional.of(String.valueOf(e.getMessage()));
      setState(CaptureState.State.OFFLINE, endError);
    } finally {
      closeCurrent();
      slot.end(endError);
    }
  }

  /** Frames read since the source was (re)opened, for telling a bad source from a bad frame. */
  private static final class Pass {
    long good;
    long skipped;
    long consecutiveSkips;
    String lastSkip = "";
  }

  /** Fits the image just read; a frame swscale cannot convert is skipped, not fatal. */
  private void fit(ImageFitter fitter, FrameSource source, byte[] buffer) {
    try {
      fitter.fit(source.image(), buffer);
    } catch (RuntimeException e) {
      throw new FrameSkippedException(
          SkippedFrames.Reason.UNDECODABLE,
          "a frame of " + settings.spec().text() + " cannot be converted: " + e.getMessage(),
          e);
    }
  }

  /**
   * Counts and logs a skipped frame.
   *
   * @return true when a live source has yielded only bad frames for {@link #MAX_CONSECUTIVE_SKIPS}
   *     frames in a row and should be treated as failing
   */
  private boolean skipped(FrameSkippedException e) {
    long n = slot.skipped().add(e.reason());
    pass.skipped++;
    pass.consecutiveSkips++;
    pass.lastSkip = e.getMessage();
    // Each skip is worth a line (it names the file or frame), but a looping directory or a live
    // source that keeps failing would flood the log: after the first ones only every 1000th.
    if (n <= (settings.spec().finite() ? 100 : 10) || n % 1000 == 0) {
      LOG.log(
          Level.WARNING,
          "frame skipped ({0}, {1} so far): {2}",
          e.reason().label(),
          n,
          e.getMessage());
    }
    return !settings.spec().finite() && pass.consecutiveSkips >= MAX_CONSECUTIVE_SKIPS;
  }

  /** Reports the source as {@code error}, closes it and waits; returns the next backoff. */
  private long badSourceBackoff(long backoff, String why) {
    closeCurrent();
    if (!running) {
      return backoff;
    }
    LOG.log(Level.WARNING, "{0}; retrying in {1} ms", why, backoff);
    setState(CaptureState.State.ERROR, Optional.of(why));
    sleep(backoff);
    return Math.min(backoff * 2, settings.reconnectMaxMs());
  }

  private void lost(String why) {
    if (running) {
      LOG.log(Level.WARNING, "source lost: {0}", why);
      setState(CaptureState.State.OFFLINE, Optional.of(why));
    }
  }

  private void closeCurrent() {
    FrameSource source = current;
    current = null;
    if (source != null) {
      source.close();
    }
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void setState(CaptureState.State next, Optional<String> error) {
    CaptureState s = new CaptureState(next, System.currentTimeMillis(), error);
    state = s;
    try {
      listener.stateChanged(settings.camera(), s);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "capture listener failed", e);
    }
  }

  /**
   * Stops capturing: ends the slot (so a waiting pipeline returns), ends a pipe command, and waits
   * up to {@code waitMs} for the thread to close its source. A network read in progress ends at its
   * read time-out at the latest; the thread is a daemon, so it never holds the process up.
   */
  public void stop(long waitMs) {
    running = false;
    slot.end(Optional.empty());
    if (current instanceof FfmpegSource ffmpeg) {
      ffmpeg.stopProcess();
    }
    thread.interrupt();
    if (thread.isAlive() && thread != Thread.currentThread()) {
      try {
        thread.join(waitMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!thread.isAlive() && current != null) {
      closeCurrent();
    }
  }

  @Override
  public void close() {
    stop(1000);
  }
}
