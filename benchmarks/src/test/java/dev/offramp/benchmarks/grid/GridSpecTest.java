package dev.offramp.benchmarks.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GridSpecTest {
  @Test
  void theDocumentedGridHasSixtyFourDistinctConfigurations() {
    GridSpec g = GridSpec.defaults();
    assertEquals(64, g.size());
    long ids =
        g.placements().stream()
            .flatMap(
                p ->
                    g.heads().stream()
                        .flatMap(
                            h ->
                                java.util.Arrays.stream(g.margins())
                                    .mapToObj(m -> GridSpec.id(p, h, m))))
            .distinct()
            .count();
    assertEquals(64, ids);
  }

  @Test
  void restrictsToNamedPlacementsAndHeadsAndNamesTheAllowedOnes() {
    assertEquals(4, GridSpec.defaults().only(List.of("auto"), List.of("g4w32")).size());
    assertEquals(16, GridSpec.defaults().only(List.of("late"), null).size());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GridSpec.defaults().only(List.of("middle"), null));
    assertTrue(e.getMessage().contains("[auto, early, late, sparse]"), e.getMessage());
  }
}
