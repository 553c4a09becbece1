package dev.offramp.cascade.bundle;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Channel layout of the input image; its JSON form is the lower-case name. */
public enum ColorMode {
  GRAY(1),
  RGB(3),
  BGR(3);

  private final int channels;

  ColorMode(int channels) {
    this.channels = channels;
  }

  public int channels() {
    return channels;
  }

  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code gray}, {@code rgb} or {@code bgr}; the error lists the allowed values. */
  public static ColorMode parse(String value, String field) {
    for (ColorMode mode : values()) {
      if (mode.jsonName().equals(value)) {
        return mode;
      }
    }
    throw new BundleException(
        field
            + ": expected one of "
            + Arrays.stream(values()).map(ColorMode::jsonName).collect(Collectors.joining(", "))
            + ", found '"
            + value
            + "'");
  }
}
