package dev.offramp.cascade.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EnumNamesTest {
  enum Fsync {
    ALWAYS,
    EVERY_SECOND
  }

  @Test
  void readsWrittenNamesIgnoringCaseAndSurroundingSpace() {
    assertEquals(
        Fsync.EVERY_SECOND,
        EnumNames.parse(Fsync.class, " Every-Second ", IllegalStateException::new));
    assertEquals(Fsync.ALWAYS, EnumNames.parse(Fsync.class, "always", IllegalStateException::new));
  }

  @Test
  void aMissListsEveryAllowedNameAndWhatWasFound() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EnumNames.parse(
                    Fsync.class, "never", m -> new IllegalArgumentException("x: " + m)));
    assertEquals("x: expected one of always, every-second, found 'never'", e.getMessage());
  }

  @Test
  void aMissingValueIsReportedAsNull() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> EnumNames.parse(Fsync.class, null, IllegalStateException::new));
    assertEquals("expected one of always, every-second, found 'null'", e.getMessage());
  }
}
