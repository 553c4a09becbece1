package dev.offramp.cascade.value;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequiredTest {

  @Test
  void valuesThatAreAllPresentPass() {
    assertDoesNotThrow(() -> Required.nonNull("a, b, c", "x", 1, new int[0]));
  }

  @Test
  void aNullValueFailsWithItsOwnName() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> Required.nonNull("a, b, c", "x", null, 3));
    assertEquals("b", e.getMessage());
  }

  @Test
  void severalNullsNameTheFirst() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class, () -> Required.nonNull("first,second", null, null));
    assertEquals("first", e.getMessage());
  }

  @Test
  void moreValuesThanNamesIsRefusedEvenWithoutANull() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Required.nonNull("a, b", 1, 2, 3));
    assertTrue(e.getMessage().contains("expected one name per value (3), found 2"), e.getMessage());
  }

  @Test
  void fewerValuesThanNamesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Required.nonNull("a, b, c", 1, 2));
  }
}
