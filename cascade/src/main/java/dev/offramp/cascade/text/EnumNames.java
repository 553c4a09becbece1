package dev.offramp.cascade.text;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one way an enum is read from text. Each enum names its constants once (a function from
 * constant to its written name); parsing compares case-insensitively after trimming, and a miss
 * lists every allowed name, so the error says what was expected and what was found.
 */
public final class EnumNames {
  private EnumNames() {}

  /** The default written name of a constant: lower case, {@code _} written as {@code -}. */
  public static String lowerName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The allowed names, comma-separated, in declaration order. */
  public static <E extends Enum<E>> String allowed(
      Class<E> type, Function<? super E, String> name) {
    return Arrays.stream(type.getEnumConstants()).map(name).collect(Collectors.joining(", "));
  }

  /**
   * Reads a constant by its written name.
   *
   * @param type the enum
   * @param text the text found (may be null)
   * @param name the written name of each constant
   * @param error builds the exception from {@code "expected one of a, b, c, found 'x'"}
   * @return the matching constant
   */
  public static <E extends Enum<E>, X extends RuntimeException> E parse(
      Class<E> type, String text, Function<? super E, String> name, Function<String, X> error) {
    if (text != null) {
      String wanted = text.strip();
      for (E constant : type.getEnumConstants()) {
        if (name.apply(constant).equalsIgnoreCase(wanted)) {
          return constant;
        }
      }
    }
    throw error.apply("expected one of " + allowed(type, name) + ", found '" + text + "'");
  }

  /** {@link #parse} with the default lower-case names. */
  public static <E extends Enum<E>, X extends RuntimeException> E parse(
      Class<E> type, String text, Function<String, X> error) {
    return parse(type, text, EnumNames::lowerName, error);
  }
}
