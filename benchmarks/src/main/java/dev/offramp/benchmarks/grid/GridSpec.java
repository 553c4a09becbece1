package dev.offramp.benchmarks.grid;

import dev.offramp.exporter.calibrate.CalibrationOptions;
import dev.offramp.exporter.split.BackboneAnalysis;
import dev.offramp.exporter.split.CutCandidate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The configuration grid: exit placements × CPM margins × head sizes. Every configuration is built
 * twice, boosted (BTS-EE, survivors picked at the configuration's margin) and baseline.
 *
 * @param placements where the exits go
 * @param margins CPM margins (additive)
 * @param heads head sizes
 */
public record GridSpec(List<Placement> placements, double[] margins, List<Head> heads) {
  public GridSpec {
    placements = List.copyOf(placements);
    heads = List.copyOf(heads);
    margins = margins.clone();
    if (placements.isEmpty() || heads.isEmpty() || margins.length == 0) {
      throw new IllegalArgumentException("grid: expected ≥ 1 placement, margin and head size");
    }
  }

  /** A copy: the record keeps its own. */
  public double[] margins() {
    return margins.clone();
  }

  /**
   * An exit placement: {@code auto} (the exporter's {@code --cuts auto}: the end of every residual
   * stage but the last) or, for each target, the interior cut candidate whose cumulative MAC
   * fraction is closest to it (candidates between 2% and 95% of the MACs; duplicates dropped).
   *
   * @param name short name
   * @param targets target cumulative MAC fractions; empty for {@code auto}
   */
  public record Placement(String name, double[] targets) {
    public Placement {
      targets = targets.clone();
    }

    /** A copy: the record keeps its own. */
    public double[] targets() {
      return targets.clone();
    }

    /** The cut tensors on {@code analysis}'s backbone, in topological (MAC) order. */
    public List<String> resolve(BackboneAnalysis analysis) {
      if (targets.length == 0) {
        return analysis.autoCuts();
      }
      List<CutCandidate> interior =
          analysis.candidates().stream()
              .filter(c -> c.cumulativeMacsFraction() > 0.02 && c.cumulativeMacsFraction() < 0.95)
              .toList();
      if (interior.isEmpty()) {
        throw new IllegalArgumentException(
            "placement " + name + ": the backbone has no cut candidate between 2% and 95% MACs");
      }
      Set<CutCandidate> chosen = new LinkedHashSet<>();
      for (double t : targets) {
        chosen.add(
            interior.stream()
                .min(Comparator.comparingDouble(c -> Math.abs(c.cumulativeMacsFraction() - t)))
                .orElseThrow());
      }
      List<CutCandidate> sorted = new ArrayList<>(chosen);
      sorted.sort(Comparator.comparingLong(CutCandidate::cumulativeMacs));
      return sorted.stream().map(CutCandidate::tensor).toList();
    }
  }

  /**
   * A head size (the exporter's head: pool to G×G, {@code layers} Conv1d of width h).
   *
   * @param grid G
   * @param width h
   * @param layers Conv1d layers
   */
  public record Head(int grid, int width, int layers) {
    /** e.g. {@code g4w32}. */
    public String name() {
      return "g" + grid + "w" + width + (layers == 2 ? "" : "l" + layers);
    }
  }

  /**
   * The documented 4 × 4 × 4 grid. Placements on a ResNet-18 (cut fractions of the demo backbone in
   * brackets): {@code auto} = ends of layer1/2/3 [26, 48, 71%]; {@code early} = targets 13, 26, 36%
   * [layer1.0, layer1.1, layer2.0]; {@code late} = 58, 71, 84% [layer3.0, layer3.1, layer4.0];
   * {@code sparse} = 36, 71% [layer2.0, layer3.1]. Margins 0, 0.01, 0.02, 0.05. Heads (G, h) = (2,
   * 8), (2, 16), (4, 32) (the build default), (4, 64), two Conv1d layers each.
   */
  public static GridSpec defaults() {
    return new GridSpec(
        List.of(
            new Placement("auto", new double[0]),
            new Placement("early", new double[] {0.13, 0.26, 0.36}),
            new Placement("late", new double[] {0.58, 0.71, 0.84}),
            new Placement("sparse", new double[] {0.36, 0.71})),
        new double[] {0, 0.01, 0.02, 0.05},
        List.of(new Head(2, 8, 2), new Head(2, 16, 2), new Head(4, 32, 2), new Head(4, 64, 2)));
  }

  /**
   * This grid restricted to the named placements and heads ({@code null} keeps all of an axis).
   *
   * @throws IllegalArgumentException naming the allowed values when a name is unknown
   */
  public GridSpec only(List<String> placementNames, List<String> headNames) {
    List<Placement> ps = placements;
    List<Head> hs = heads;
    if (placementNames != null) {
      List<String> known = placements.stream().map(Placement::name).toList();
      check("--placements", placementNames, known);
      ps = placements.stream().filter(p -> placementNames.contains(p.name())).toList();
    }
    if (headNames != null) {
      List<String> known = heads.stream().map(Head::name).toList();
      check("--heads", headNames, known);
      hs = heads.stream().filter(h -> headNames.contains(h.name())).toList();
    }
    return new GridSpec(ps, margins, hs);
  }

  private static void check(String flag, List<String> names, List<String> known) {
    for (String n : names) {
      if (!known.contains(n)) {
        throw new IllegalArgumentException(
            flag + ": expected names from " + known + ", found '" + n + "'");
      }
    }
  }

  /** Number of configurations. */
  public int size() {
    return placements.size() * margins.length * heads.size();
  }

  /** The id of one configuration, also its file name without {@code .json}. */
  public static String id(Placement p, Head h, double margin) {
    return (p.name() + "_" + h.name() + "_" + CalibrationOptions.profileName(margin))
        .toLowerCase(Locale.ROOT);
  }
}
