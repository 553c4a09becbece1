package dev.offramp.exporter.calibrate;

import dev.offramp.cascade.text.EnumNames;
import java.util.Locale;

/** How the margin m lowers the backbone's class precision P_c into the exit target. */
public enum MarginMode {
  /** Target {@code P_c − m}. */
  ADDITIVE,
  /** Target {@code P_c · (1 − m)}. */
  MULTIPLICATIVE;

  /** The target precision for reference precision {@code pc} and margin {@code m}. */
  public double target(double pc, double m) {
    return this == ADDITIVE ? pc - m : pc * (1 - m);
  }

  /** Lower-case name as on the command line. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code additive|multiplicative}. */
  public static MarginMode parse(String text) {
    return EnumNames.parse(
        MarginMode.class,
        text,
        MarginMode::key,
        msg -> new IllegalArgumentException("--margin-mode: " + msg));
  }
}
