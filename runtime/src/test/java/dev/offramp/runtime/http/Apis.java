package dev.offramp.runtime.http;

import dev.offramp.runtime.control.RuntimeControl;
import java.util.List;
import java.util.Map;

/** The HTTP tests' one way to build an {@link HttpApi}: a plain status, readiness all true. */
final class Apis {
  private Apis() {}

  /**
   * A status of bundle {@code b} under {@code profile}, broker connected, no budget, no updates.
   */
  static RuntimeStatus status(String profile, Map<String, String> capture) {
    return new RuntimeStatus(
        "b",
        profile,
        List.of(profile),
        false,
        0,
        List.of(),
        0,
        0,
        "connected",
        capture,
        "model:macs",
        Map.of(),
        List.of(),
        Map.of("configured", false),
        Map.of());
  }

  /** Bundle loaded, capture online, broker connected; no store; threads alive. */
  static Readiness allReady() {
    return new Readiness(() -> true, () -> true, () -> true);
  }

  /** An API whose status is {@link #status} with camera {@code cam0} online. */
  static HttpApi api(HttpSettings settings, RuntimeControl control, ResultStream stream) {
    return new HttpApi(
        settings, () -> status("p", Map.of("cam0", "online")), control, allReady(), stream);
  }
}
