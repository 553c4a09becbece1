package dev.offramp.exporter.data;

import dev.offramp.cascade.text.EnumNames;

/** The three splits of a dataset: train branches on train, calibrate on valid, report on test. */
public enum Split {
  TRAIN,
  VALID,
  TEST;

  /** The lower-case name used on the command line and in report.json. */
  public String key() {
    return EnumNames.lowerName(this);
  }

  /** Parses {@code train|valid|test}; the error lists the allowed values. */
  public static Split parse(String text) {
    return EnumNames.parse(
        Split.class, text, msg -> new IllegalArgumentException("--split: " + msg));
  }
}
