package dev.offramp.exporter.data;

import java.util.Locale;

/** The three splits of a dataset: train branches on train, calibrate on valid, report on test. */
public enum Split {
  TRAIN,
  VALID,
  TEST;

  /** The lower-case name used on the command line and in report.json. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code train|valid|test}; the error lists the allowed values. */
  public static Split parse(String text) {
    for (Split s : values()) {
      if (s.key().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown split '" + text + "': expected one of train, valid, test");
  }
}
