package dev.offramp.runtime.capture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The frame slots of every camera of one daemon, read by one consumer (the pipeline thread). Each
 * {@link #take} gathers at most one frame per camera: the cameras whose frame waits and whose
 * {@code max-fps} pace allows it, visited round-robin from a starting camera that moves on each
 * time, so no camera starves another however fast its source is. Each camera's pace counts one
 * frame per {@code 1/max-fps} cell of a grid shared by all cameras ({@link #nextOnGrid}), so
 * cameras at one rate come due together. With one camera this is exactly the single-slot loop of
 * before: sleep to the pace, then wait on the slot.
 *
 * <p>Not thread-safe: one consumer. The slots ring a shared doorbell when a frame arrives or a
 * stream ends, so the consumer waits without polling.
 */
public final class FrameFeeds {
  /**
   * One camera's frames.
   *
   * @param camera the camera name
   * @param slot where its capture puts frames
   * @param maxFps classify at most this many of its frames per second; 0 for no cap
   */
  public record Feed(String camera, LatestFrameSlot slot, double maxFps) {
    public Feed {
      Objects.requireNonNull(camera, "camera");
      Objects.requireNonNull(slot, "slot");
    }
  }

  private final List<Feed> feeds;
  private final CapturedFrame[] frames;
  private final long[] periodNanos;
  private final long[] nextDue;
  private final int[] taken;
  private final long origin = System.nanoTime();
  private final Doorbell bell = new Doorbell();
  private int size;
  private int start;

  /**
   * @param feeds at least one camera; names unique, every slot of one frame format
   */
  public FrameFeeds(List<Feed> feeds) {
    this.feeds = List.copyOf(feeds);
    if (this.feeds.isEmpty()) {
      throw new IllegalArgumentException("expected at least one camera, found none");
    }
    int n = this.feeds.size();
    frames = new CapturedFrame[n];
    periodNanos = new long[n];
    nextDue = new long[n];
    taken = new int[n];
    FrameFormat format = this.feeds.get(0).slot().format();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Feed f = this.feeds.get(i);
      if (names.contains(f.camera())) {
        throw new IllegalArgumentException(
            "cameras: expected distinct names, found '"
                + f.camera()
                + "' at positions "
                + names.indexOf(f.camera())
                + " and "
                + i
                + "; give each camera its own name");
      }
      if (!f.slot().format().equals(format)) {
        throw new IllegalArgumentException(
            "camera " + f.camera() + ": frames of " + f.slot().format() + ", expected " + format);
      }
      names.add(f.camera());
      frames[i] = new CapturedFrame(format);
      periodNanos[i] = f.maxFps() > 0 ? (long) (1e9 / f.maxFps()) : 0;
      nextDue[i] = origin;
      if (n > 1) {
        f.slot().setDoorbell(bell::ring);
      }
    }
  }

  /** One camera, as the single-source daemon and its tests have it. */
  public static FrameFeeds single(String camera, LatestFrameSlot slot, double maxFps) {
    return new FrameFeeds(List.of(new Feed(camera, slot, maxFps)));
  }

  public List<Feed> feeds() {
    return feeds;
  }

  /** The frame format of every slot. */
  public FrameFormat format() {
    return feeds.get(0).slot().format();
  }

  /**
   * Takes the frames that wait, at most one per camera, waiting up to {@code timeoutMs} for the
   * first. The frames stay readable through {@link #frame(int)} until the next take.
   *
   * @return how many frames were taken; 0 on time-out or when every stream has ended
   */
  public int take(long timeoutMs) throws InterruptedException {
    size = 0;
    if (feeds.size() == 1) {
      return takeSingle(timeoutMs);
    }
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (true) {
      long seen = bell.rings();
      long now = System.nanoTime();
      long wake = deadline;
      for (int k = 0; k < feeds.size(); k++) {
        int i = (start + k) % feeds.size();
        if (periodNanos[i] > 0 && nextDue[i] - now > 0) {
          wake = Math.min(wake, nextDue[i]);
        } else if (feeds.get(i).slot().take(frames[i], 0)) {
          nextDue[i] = nextOnGrid(i, now);
          taken[size++] = i;
        }
      }
      if (size > 0) {
        start = (start + 1) % feeds.size();
        return size;
      }
      if (drained() || now - deadline >= 0) {
        return 0;
      }
      bell.awaitAfter(seen, wake);
    }
  }

  /**
   * The next instant on camera {@code i}'s pace grid after {@code now}: one frame per {@code
   * 1/max-fps} cell counted from one origin for every camera, so cameras at one rate come due
   * together (and run as one batch) instead of drifting apart with their arrival jitter.
   */
  private long nextOnGrid(int i, long now) {
    long p = periodNanos[i];
    return p == 0 ? now : origin + ((now - origin) / p + 1) * p;
  }

  private int takeSingle(long timeoutMs) throws InterruptedException {
    if (periodNanos[0] > 0) {
      long wait = nextDue[0] - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
      }
    }
    if (!feeds.get(0).slot().take(frames[0], timeoutMs)) {
      return 0;
    }
    nextDue[0] = Math.max(nextDue[0], System.nanoTime()) + periodNanos[0];
    taken[0] = 0;
    size = 1;
    return 1;
  }

  /** The {@code i}-th frame of the last take ({@code i <} its count). */
  public CapturedFrame frame(int i) {
    return frames[feed(i)];
  }

  /** The camera of the {@code i}-th frame of the last take. */
  public String camera(int i) {
    return feeds.get(feed(i)).camera();
  }

  private int feed(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("frame " + i + " of a take of " + size);
    }
    return taken[i];
  }

  /** Whether every stream has ended and its last frame was taken. */
  public boolean drained() {
    for (Feed f : feeds) {
      if (!f.slot().drained()) {
        return false;
      }
    }
    return true;
  }

  /** Why a stream ended, for the first camera whose stream ended on an error. */
  public Optional<String> endError() {
    for (Feed f : feeds) {
      Optional<String> e = f.slot().endError();
      if (e.isPresent()) {
        return feeds.size() == 1 ? e : Optional.of(f.camera() + ": " + e.get());
      }
    }
    return Optional.empty();
  }

  /** Forgets frames dropped so far in every slot (e.g. while the pipeline was paused). */
  public void resetDropped() {
    feeds.forEach(f -> f.slot().resetDropped());
  }

  /** Frames overwritten since start, all cameras. */
  public long droppedTotal() {
    return feeds.stream().mapToLong(f -> f.slot().droppedTotal()).sum();
  }

  /** Frames skipped at capture by reason, all cameras together. */
  public Map<String, Long> skipped() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Feed f : feeds) {
      f.slot().skipped().snapshot().forEach((k, v) -> out.merge(k, v, Long::sum));
    }
    return out;
  }
}
