package dev.offramp.cascade.bundle;

import dev.offramp.cascade.text.EnumNames;
import java.util.Locale;

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

  /**
   * Reads {@code gray}, {@code rgb} or {@code bgr}; the error names {@code field} and lists the
   * allowed values.
   */
  public static ColorMode parse(String value, String field) {
    return EnumNames.parse(
        ColorMode.class,
        value,
        ColorMode::jsonName,
        msg -> new BundleException(field + ": " + msg));
  }
}
