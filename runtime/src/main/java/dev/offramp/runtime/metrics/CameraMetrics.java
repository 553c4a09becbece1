package dev.offramp.runtime.metrics;

import dev.offramp.runtime.pipeline.ResultEvent;
import dev.offramp.runtime.pipeline.ResultSink;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-camera counters of a daemon with one or more cameras: {@code
 * offramp_camera_frames_total{camera}} (results published) and {@code
 * offramp_camera_dropped_frames_total{camera}} (frames overwritten in that camera's slot), plus
 * each camera's recent fps for {@code /api/status}. A result sink; thread-safe.
 */
public final class CameraMetrics implements ResultSink {
  private final Map<String, Camera> cameras = new LinkedHashMap<>();

  private record Camera(Counter frames, Counter dropped, RateWindow rate) {}

  /** Counters for {@code cameras} in Helidon's global registry (the one served). */
  public CameraMetrics(List<String> cameras) {
    this(Metrics.globalRegistry(), cameras);
  }

  CameraMetrics(MeterRegistry registry, List<String> cameras) {
    for (String c : cameras) {
      this.cameras.put(
          c,
          new Camera(
              registry.getOrCreate(
                  Counter.builder("offramp_camera_frames")
                      .description("Frames classified, per camera")
                      .addTag(Metrics.tag("camera", c))),
              registry.getOrCreate(
                  Counter.builder("offramp_camera_dropped_frames")
                      .description("Frames overwritten in a camera's slot before processing")
                      .addTag(Metrics.tag("camera", c))),
              new RateWindow()));
    }
  }

  @Override
  public void accept(ResultEvent e) {
    Camera c = cameras.get(e.camera());
    if (c == null) {
      return; // not one of ours (cannot happen: the pipeline labels with configured names)
    }
    c.frames().increment();
    if (e.droppedFrames() > 0) {
      c.dropped().increment(e.droppedFrames());
    }
    c.rate().mark(System.nanoTime());
  }

  /** {@code camera}'s recent frames per second; 0 when it published nothing in the last 2 s. */
  public double fps(String camera) {
    Camera c = cameras.get(camera);
    return c == null ? 0 : c.rate().perSecond(System.nanoTime());
  }

  /** {@code camera}'s frames dropped at capture, as counted (since the process started). */
  public long dropped(String camera) {
    Camera c = cameras.get(camera);
    return c == null ? 0 : c.dropped().count();
  }
}
