package dev.offramp.runtime.testing;

import java.util.List;

/** Test fixture: the fields of a result payload, in the order the publisher writes them. */
public final class ResultFields {
  private ResultFields() {}

  /** Every top-level field of {@code <prefix>/<camera>/result}, in order (README, "MQTT"). */
  public static final List<String> IN_ORDER =
      List.of(
          "schema",
          "device",
          "camera",
          "session",
          "seq",
          "ts",
          "label",
          "class_id",
          "confidence",
          "exit_stage",
          "stages_run",
          "profile",
          "bundle",
          "latency_ms",
          "macs",
          "energy_mj",
          "energy_method",
          "dropped_frames",
          "replayed");
}
