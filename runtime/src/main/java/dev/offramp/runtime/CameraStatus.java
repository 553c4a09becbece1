package dev.offramp.runtime;

import dev.offramp.runtime.capture.CaptureState;
import dev.offramp.runtime.capture.FrameFeeds;
import dev.offramp.runtime.metrics.CameraMetrics;
import dev.offramp.runtime.pipeline.Pipeline;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code cameras} section of {@code /api/status}: per camera, in configuration order, its
 * capture {@code state} and {@code error}, recent {@code fps}, results {@code published} this run,
 * frames {@code dropped} in its slot and {@code skipped} at capture.
 */
final class CameraStatus {
  private CameraStatus() {}

  static Map<String, Object> of(
      FrameFeeds feeds,
      Map<String, CaptureState> states,
      CameraMetrics metrics,
      Pipeline pipeline) {
    Map<String, Long> published = pipeline.publishedByCamera();
    Map<String, Object> out = new LinkedHashMap<>();
    for (FrameFeeds.Feed f : feeds.feeds()) {
      Map<String, Object> m = new LinkedHashMap<>();
      CaptureState s = states.get(f.camera());
      m.put("state", s == null ? "offline" : s.state().name().toLowerCase(Locale.ROOT));
      m.put("error", s == null ? null : s.error().orElse(null));
      m.put("fps", metrics.fps(f.camera()));
      m.put("published", published.getOrDefault(f.camera(), 0L));
      m.put("dropped", f.slot().droppedTotal());
      m.put("skipped", f.slot().skipped().total());
      out.put(f.camera(), m);
    }
    return out;
  }
}
