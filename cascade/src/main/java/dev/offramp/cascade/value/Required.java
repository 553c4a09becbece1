package dev.offramp.cascade.value;

/**
 * Null checks for constructors that take many references: one call in place of a run of {@code
 * Objects.requireNonNull(x, "x")} lines, failing the same way (a {@link NullPointerException} whose
 * message is the name of the first null value).
 */
public final class Required {
  private Required() {}

  /**
   * Fails on the first null among {@code values}.
   *
   * @param names the values' names in order, separated by commas ({@code "file, input, probs"})
   * @param values the values to check
   * @throws NullPointerException naming the first null value
   * @throws IllegalArgumentException if {@code names} does not name exactly as many values as given
   *     (a programming error, caught on the first construction)
   */
  public static void nonNull(String names, Object... values) {
    // Runs on hot paths (a result record per frame): count the names without allocating, and
    // split them only to name a null.
    int count = 1;
    for (int i = 0; i < names.length(); i++) {
      if (names.charAt(i) == ',') {
        count++;
      }
    }
    if (count != values.length) {
      throw new IllegalArgumentException(
          "Required.nonNull: expected one name per value ("
              + values.length
              + "), found "
              + count
              + " in '"
              + names
              + "'; fix: list every checked value's name, in order");
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw new NullPointerException(names.split(",")[i].strip());
      }
    }
  }
}
