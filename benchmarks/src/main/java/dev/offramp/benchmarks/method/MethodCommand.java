package dev.offramp.benchmarks.method;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code offramp bench method}: the method protocol's analysis over saved per-image outcomes.
 * {@code --runs DIR} holds one sub-directory per scheme (its name is the scheme's name in the
 * report), each with one outcomes file per seed ({@code *.json}). Every scheme is compared with
 * {@code --against} (and any {@code --pairs}); results go to {@code method.json} and {@code
 * method.md} in {@code --out}. Defaults are set here only.
 */
@Command(
    name = "method",
    mixinStandardHelpOptions = true,
    description =
        "Paired bootstrap over test images (and seeds) of accuracy at equal MACs and MACs at equal"
            + " accuracy, between schemes' curves, from `offramp evaluate --outcomes` files.")
public final class MethodCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--runs",
      required = true,
      paramLabel = "DIR",
      description = "DIR/<scheme>/<seed>.json outcome files")
  Path runs;

  @Option(
      names = "--against",
      defaultValue = "baseline",
      paramLabel = "SCHEME",
      description = "Compare every other scheme with this one (default: baseline).")
  String against;

  @Option(names = "--pairs", paramLabel = "A:B,…", description = "Further comparisons A vs B.")
  String pairs;

  @Option(names = "--replicates", defaultValue = "2000")
  int replicates;

  @Option(names = "--seed", defaultValue = "1", description = "Bootstrap seed.")
  long seed;

  @Option(names = "--grid", defaultValue = "21", description = "Points per comparison grid.")
  int grid;

  @Option(names = "--no-resample-seeds", description = "Resample test images only.")
  boolean noResampleSeeds;

  @Option(
      names = "--tie-accuracy",
      defaultValue = "0.2",
      description = "Tolerance view: accuracy points counted as equal.")
  double tieAccuracy;

  @Option(
      names = "--tie-macs",
      defaultValue = "0.005",
      description = "Tolerance view: MAC fraction counted as equal.")
  double tieMacs;

  @Option(names = "--out", paramLabel = "DIR", description = "Write method.json and method.md.")
  Path out;

  @Override
  public Integer call() {
    Map<String, List<Outcomes>> groups = load(runs);
    if (!groups.containsKey(against)) {
      throw new IllegalArgumentException(
          "--against "
              + against
              + ": no such scheme directory in "
              + runs
              + "; found "
              + groups.keySet());
    }
    double reference = groups.get(against).get(0).backboneMacs();
    List<String[]> comparisons = new ArrayList<>();
    for (String g : groups.keySet()) {
      if (!g.equals(against)) {
        comparisons.add(new String[] {g, against});
      }
    }
    if (pairs != null && !pairs.isBlank()) {
      for (String p : pairs.split(",")) {
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
        new PairedBootstrap.Settings(replicates, seed, grid, !noResampleSeeds);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("protocol", "benchmarks/README.md, Method protocol (fixed before the runs)");
    doc.put("reference_scheme", against);
    doc.put("reference_macs", reference);
    doc.put(
        "bootstrap",
        Map.of(
            "replicates", replicates,
            "seed", seed,
            "grid_points", grid,
            "resample_seeds", !noResampleSeeds,
            "interval", "95% percentile"));
    Map<String, Object> summaries = new LinkedHashMap<>();
    groups.forEach((g, rs) -> summaries.put(g, summary(rs, reference)));
    doc.put("schemes", summaries);
    List<Object> results = new ArrayList<>();
    StringBuilder md = new StringBuilder("# Method protocol: paired comparisons\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Paired bootstrap, %d replicates (seed %d), images%s resampled; %d-point grids."
                + " MAC fractions of the `%s` backbone (%.0f MACs).%n%n",
            replicates,
            seed,
            noResampleSeeds ? "" : " and seeds",
            grid,
            against,
            reference));
    md.append(
        "| A vs B | seeds | Δ accuracy at equal MACs (pt) [95% CI] | verdict |"
            + " Δ MAC fraction at equal accuracy [95% CI] | verdict |\n");
    md.append("|---|---|---|---|---|---|\n");
    PrintWriter w = spec.commandLine().getOut();
    for (String[] c : comparisons) {
      PairedBootstrap.Result r =
          PairedBootstrap.compare(
              c[0], groups.get(c[0]), c[1], groups.get(c[1]), reference, settings);
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("a", r.a());
      j.put("b", r.b());
      j.put("seeds", r.seeds());
      j.put(
          "accuracy_at_equal_macs_points",
          r.accuracyAtEqualMacs().map(MethodCommand::json).orElse(null));
      j.put("accuracy_verdict", r.accuracyVerdict());
      j.put(
          "macs_at_equal_accuracy", r.macsAtEqualAccuracy().map(MethodCommand::json).orElse(null));
      j.put("macs_verdict", r.macsVerdict());
      j.put(
          "tolerance_view",
          ToleranceView.rows(
              c[0], groups.get(c[0]), c[1], groups.get(c[1]), reference, tieAccuracy, tieMacs));
      results.add(j);
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
    doc.put("comparisons", results);
    doc.put(
        "tolerances",
        Map.of("accuracy_points", tieAccuracy, "macs_fraction", tieMacs, "role", "secondary view"));
    if (out != null) {
      try {
        Files.createDirectories(out);
        Files.writeString(
            out.resolve("method.json"),
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc)
                + "\n");
        Files.writeString(out.resolve("method.md"), md.toString());
        Files.writeString(out.resolve("accuracy-vs-macs.svg"), plot(groups, reference));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write results to " + out + ": " + e, e);
      }
      w.println("wrote " + out.resolve("method.json") + ", method.md and accuracy-vs-macs.svg");
    }
    return 0;
  }

  private static String fmt(PairedBootstrap.Interval i, String f) {
    return String.format(
        Locale.ROOT, f + " [" + f + ", " + f + "]", i.estimate(), i.low(), i.high());
  }

  private static Map<String, Object> json(PairedBootstrap.Interval i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("estimate", i.estimate());
    m.put("low", i.low());
    m.put("high", i.high());
    m.put("grid_from", i.from());
    m.put("grid_to", i.to());
    m.put("excludes_zero", i.excludesZero());
    return m;
  }

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
