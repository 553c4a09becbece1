package dev.offramp.cascade.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Assertions on refusals: the exception type, then the words its message must hold. */
public final class Refusals {
  private Refusals() {}

  /** Runs {@code action}, which must throw {@code type}, and returns the message. */
  public static String messageOf(Class<? extends Throwable> type, Executable action) {
    String message = assertThrows(type, action).getMessage();
    assertTrue(message != null && !message.isBlank(), "a refusal without a message");
    return message;
  }

  /** Fails, showing the whole message, unless it holds every fragment. */
  public static void assertMentions(String message, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(
          message.contains(fragment),
          () -> "expected a message containing\n  " + fragment + "\nbut was\n  " + message);
    }
  }
}
