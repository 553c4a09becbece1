package dev.offramp.benchmarks.grid;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code grid.json}: the aggregate over the finished configurations of a grid (snake_case keys
 * through {@link dev.offramp.benchmarks.report.Json}); written by {@link GridReport}.
 *
 * @param configurations the finished configurations' documents as read back ({@link
 *     ConfigDocument})
 */
public record GridDocument(
    String schema,
    Map<String, Object> machine,
    String backbone,
    String backboneSha256,
    long backboneMacs,
    GridSettings.Fingerprint settings,
    Grid grid,
    Definitions definitions,
    int configurationsExpected,
    int configurationsFinished,
    List<String> missing,
    int boostedWins,
    int baselineWins,
    int ties,
    int neither,
    int boostedDominatesOrTies,
    Double meanBoostedShareOfOracle,
    Double meanBaselineShareOfOracle,
    Map<String, Integer> isoMacs,
    double aggregateSecondsThisRun,
    List<JsonNode> configurations) {
  /** Copies the lists. */
  public GridDocument {
    missing = List.copyOf(missing);
    configurations = List.copyOf(configurations);
  }

  /** What the grid spans. */
  public record Grid(List<Placement> placements, List<Double> margins, List<Head> heads) {
    /** Copies the lists. */
    public Grid {
      placements = List.copyOf(placements);
      margins = List.copyOf(margins);
      heads = List.copyOf(heads);
    }
  }

  /**
   * One exit placement.
   *
   * @param targets {@code "auto"}, or the MAC fractions the cuts were chosen near
   */
  public record Placement(String name, Object targets, List<String> cuts) {}

  /** One head size. */
  public record Head(String name, int grid, int width, int layers) {}

  /** The words behind the counts. */
  public record Definitions(
      double accuracyTolerance,
      double macsTolerance,
      String dominance,
      String tie,
      String neither,
      String isoMacsAccuracyGainPoints,
      String oracle) {}
}
