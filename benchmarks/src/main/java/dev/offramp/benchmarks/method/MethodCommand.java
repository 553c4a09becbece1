package dev.offramp.benchmarks.method;

import dev.offramp.benchmarks.cli.BenchFlags;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.exporter.cli.ToolCommand;
import dev.offramp.exporter.report.SvgChart;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code offramp bench method}: the method protocol's analysis over saved per-image outcomes.
 * {@code --runs DIR} holds one sub-directory per scheme (its name is the scheme's name in the
 * report), each with one outcomes file per seed ({@code *.json}). Every scheme is compared with
 * {@code --against} (and any {@code --pairs}); results go to {@code method.json} and {@code
 * method.md} in {@code --out}. Defaults are set here only.
 */
@Command(
    name = "method",
    description =
        "Paired bootstrap over test images (and seeds) of accuracy at equal MACs and MACs at equal"
            + " accuracy, between schemes' curves, from `offramp evaluate --outcomes` files.")
public final class MethodCommand extends ToolCommand {
  @Mixin BenchFlags.Method flags;

  @Override
  public Integer call() {
    Map<String, List<Outcomes>> groups = load(flags.runs);
    if (!groups.containsKey(flags.against)) {
      throw new IllegalArgumentException(
          "--against "
              + flags.against
              + ": no such scheme directory in "
              + flags.runs
              + "; found "
              + groups.keySet());
    }
    double reference = groups.get(flags.against).get(0).backboneMacs();
    List<String[]> comparisons = new ArrayList<>();
    for (String g : groups.keySet()) {
      if (!g.equals(flags.against)) {
        comparisons.add(new String[] {g, flags.against});
      }
    }
    if (flags.pairs != null && !flags.pairs.isBlank()) {
      for (String p : flags.pairs.split(",")) {
        String[] ab = p.trim().split(":");
        if (ab.length != 2 || !groups.containsKey(ab[0]) || !groups.containsKey(ab[1])) {
          throw new IllegalArgumentException(
              "--pairs: expected A:B with A and B among "
                  + groups.keySet()
                  + ", found '"
                  + p
                  + "'");
        }
        comparisons.add(ab);
      }
    }
    PairedBootstrap.Settings settings =
        new PairedBootstrap.Settings(
            flags.replicates, flags.seed, flags.grid, !flags.noResampleSeeds);
    Map<String, List<Map<String, Object>>> summaries = new LinkedHashMap<>();
    groups.forEach((g, rs) -> summaries.put(g, summary(rs, reference)));
    List<Comparison> results = new ArrayList<>();
    StringBuilder md = new StringBuilder("# Method protocol: paired comparisons\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Paired bootstrap, %d replicates (seed %d), images%s resampled; %d-point grids."
                + " MAC fractions of the `%s` backbone (%.0f MACs).%n%n",
            flags.replicates,
            flags.seed,
            flags.noResampleSeeds ? "" : " and seeds",
            flags.grid,
            flags.against,
            reference));
    md.append(
        "| A vs B | seeds | Δ accuracy at equal MACs (pt) [95% CI] | verdict |"
            + " Δ MAC fraction at equal accuracy [95% CI] | verdict |\n");
    md.append("|---|---|---|---|---|---|\n");
    PrintWriter w = out();
    for (String[] c : comparisons) {
      PairedBootstrap.Result r =
          PairedBootstrap.compare(
              c[0], groups.get(c[0]), c[1], groups.get(c[1]), reference, settings);
      results.add(
          new Comparison(
              r.a(),
              r.b(),
              r.seeds(),
              r.accuracyAtEqualMacs().orElse(null),
              r.accuracyVerdict(),
              r.macsAtEqualAccuracy().orElse(null),
              r.macsVerdict(),
              ToleranceView.rows(
                  c[0],
                  groups.get(c[0]),
                  c[1],
                  groups.get(c[1]),
                  reference,
                  flags.tieAccuracy,
                  flags.tieMacs)));
      String line =
          String.format(
              Locale.ROOT,
              "| %s vs %s | %d | %s | %s | %s | %s |%n",
              r.a(),
              r.b(),
              r.seeds().size(),
              r.accuracyAtEqualMacs().map(i -> fmt(i, "%+.3f")).orElse("—"),
              r.accuracyVerdict(),
              r.macsAtEqualAccuracy().map(i -> fmt(i, "%+.4f")).orElse("—"),
              r.macsVerdict());
      md.append(line);
      w.print(line);
    }
    Report doc =
        new Report(
            "benchmarks/README.md, Method protocol (fixed before the runs)",
            flags.against,
            reference,
            new Bootstrap(
                flags.replicates, flags.seed, flags.grid, !flags.noResampleSeeds, "95% percentile"),
            summaries,
            results,
            new Tolerances(flags.tieAccuracy, flags.tieMacs, "secondary view"));
    if (flags.out != null) {
      try {
        Files.createDirectories(flags.out);
        Files.writeString(flags.out.resolve("method.json"), Json.text(doc));
        Files.writeString(flags.out.resolve("method.md"), md.toString());
        Files.writeString(flags.out.resolve("accuracy-vs-macs.svg"), plot(groups, reference));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write results to " + flags.out + ": " + e, e);
      }
      w.println(
          "wrote " + flags.out.resolve("method.json") + ", method.md and accuracy-vs-macs.svg");
    }
    return 0;
  }

  private static String fmt(PairedBootstrap.Interval i, String f) {
    return String.format(
        Locale.ROOT, f + " [" + f + ", " + f + "]", i.estimate(), i.low(), i.high());
  }

  /** method.json. */
  record Report(
      String protocol,
      String referenceScheme,
      double referenceMacs,
      Bootstrap bootstrap,
      Map<String, List<Map<String, Object>>> schemes,
      List<Comparison> comparisons,
      Tolerances tolerances) {
    Report {
      comparisons = List.copyOf(comparisons);
    }
  }

  /** The bootstrap's settings as method.json records them. */
  record Bootstrap(
      int replicates, long seed, int gridPoints, boolean resampleSeeds, String interval) {}

  /**
   * One comparison of scheme A with scheme B; an interval is null where the curves share no range.
   */
  record Comparison(
      String a,
      String b,
      List<Long> seeds,
      PairedBootstrap.Interval accuracyAtEqualMacsPoints,
      String accuracyVerdict,
      PairedBootstrap.Interval macsAtEqualAccuracy,
      String macsVerdict,
      List<Map<String, Object>> toleranceView) {
    Comparison {
      seeds = List.copyOf(seeds);
      toleranceView = List.copyOf(toleranceView);
    }
  }

  /** The tolerance view's ties. */
  record Tolerances(double accuracyPoints, double macsFraction, String role) {}

  /** Seed-mean curves of every scheme (one-point schemes as markers), test split. */
  static String plot(Map<String, List<Outcomes>> groups, double reference) {
    List<SvgChart.Series> series = new ArrayList<>();
    groups.forEach(
        (g, rs) -> {
          List<SvgChart.Point> pts = new ArrayList<>();
          for (Map<String, Object> row : summary(rs, reference)) {
            boolean target =
                rs.get(0).profiles().stream()
                    .anyMatch(p -> p.target() && p.name().equals(row.get("profile")));
            if (target) {
              continue;
            }
            pts.add(
                new SvgChart.Point(
                    (double) row.get("macs_fraction"),
                    (double) row.get("accuracy_points"),
                    g + " " + row.get("profile")));
          }
          series.add(new SvgChart.Series(g, pts, pts.size() > 1));
        });
    return SvgChart.scatter(
        "Accuracy vs MACs, mean over seeds (test split)",
        "MAC fraction of the reference backbone",
        "accuracy (points)",
        series,
        Optional.empty());
  }

  /** Per margin profile, seed means of accuracy, MAC fraction and the share passing exit 0. */
  static List<Map<String, Object>> summary(List<Outcomes> runs, double reference) {
    Map<String, double[]> acc = new LinkedHashMap<>(); // name -> {margin, acc, macs, pass0, count}
    for (Outcomes r : runs) {
      int n = r.samples();
      for (Outcomes.Profile p : r.profiles()) {
        double[] s = acc.computeIfAbsent(p.name(), k -> new double[5]);
        long correct = 0;
        long pass = 0;
        double macs = 0;
        for (int i = 0; i < n; i++) {
          correct += p.correct()[i] ? 1 : 0;
          pass += p.stage()[i] > 0 ? 1 : 0;
          macs += r.macsThrough()[p.stage()[i] + 1];
        }
        s[0] = p.margin();
        s[1] += 100.0 * correct / n;
        s[2] += macs / n / reference;
        s[3] += (double) pass / n;
        s[4]++;
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    acc.forEach(
        (name, s) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("profile", name);
          m.put("margin", s[0]);
          m.put("runs", (int) s[4]);
          m.put("accuracy_points", s[1] / s[4]);
          m.put("macs_fraction", s[2] / s[4]);
          m.put("passing_exit0", s[3] / s[4]);
          rows.add(m);
        });
    return rows;
  }

  /** Scheme name → its runs, from DIR/<scheme>/*.json. */
  static Map<String, List<Outcomes>> load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "--runs " + dir + ": not a directory; expected DIR/<scheme>/<seed>.json");
    }
    Map<String, List<Outcomes>> groups = new TreeMap<>();
    try (Stream<Path> schemes = Files.list(dir)) {
      for (Path s : schemes.filter(Files::isDirectory).sorted().toList()) {
        List<Outcomes> rs = new ArrayList<>();
        try (Stream<Path> files = Files.list(s)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
            rs.add(Outcomes.read(f));
          }
        }
        if (!rs.isEmpty()) {
          groups.put(String.valueOf(s.getFileName()), rs);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e, e);
    }
    if (groups.size() < 2) {
      throw new IllegalArgumentException(
          "--runs "
              + dir
              + ": expected at least two scheme directories with outcome files, found "
              + groups.keySet());
    }
    return groups;
  }
}
