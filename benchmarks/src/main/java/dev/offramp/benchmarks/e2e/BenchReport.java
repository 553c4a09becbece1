package dev.offramp.benchmarks.e2e;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.offramp.exporter.report.SvgChart;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The end-to-end result as JSON-ready maps, a markdown table and SVG charts. Stateless. */
public final class BenchReport {
  private BenchReport() {}

  /**
   * bench.json (snake_case keys through {@link dev.offramp.benchmarks.report.Json}; fractions 0..1;
   * latencies in ms; energy in mJ).
   */
  public record Document(
      String schema,
      Map<String, Object> machine,
      Map<String, Object> settings,
      int frames,
      long backboneMacs,
      String energyMethod,
      double chainOverheadRatio,
      double chainOverheadRatioP50,
      List<Variant> variants) {
    /** Copies the variants. */
    public Document {
      variants = List.copyOf(variants);
    }
  }

  /** One variant's row; {@code profile}, energy and expectations are null where not known. */
  public record Variant(
      String name,
      String scheme,
      String profile,
      @JsonProperty("default") boolean isDefault,
      double accuracy,
      double accuracyDropPoints,
      double meanMacs,
      double macsFraction,
      Latency latencyMs,
      double latencyVsMonolithic,
      double throughputFps,
      List<Double> exitRates,
      Double energyMjPerFrame,
      String energyMethod,
      Double expectedAccuracy,
      Double expectedMacsFraction) {
    /** Copies the exit rates. */
    public Variant {
      exitRates = List.copyOf(exitRates);
    }
  }

  /** Latency statistics in milliseconds. */
  public record Latency(double mean, double p50, double p90, double p99, double min, double max) {}

  /** The JSON document. */
  public static Document json(EndToEndBench.Result r) {
    EndToEndBench.VariantResult mono = r.variant("monolithic");
    List<Variant> vs = new ArrayList<>();
    for (EndToEndBench.VariantResult v : r.variants()) {
      LatencyStats l = v.latency();
      vs.add(
          new Variant(
              v.name(),
              v.scheme(),
              v.profile().orElse(null),
              v.isDefault(),
              v.accuracy(),
              100 * (mono.accuracy() - v.accuracy()),
              v.meanMacs(),
              v.macsFraction(),
              new Latency(l.meanMs(), l.p50Ms(), l.p90Ms(), l.p99Ms(), l.minMs(), l.maxMs()),
              l.meanMs() / mono.latency().meanMs(),
              l.throughputFps(),
              Arrays.stream(v.exitRates()).boxed().toList(),
              v.energyJoulesPerFrame().map(j -> j * 1e3).orElse(null),
              r.energyMethod(),
              v.expectedAccuracy().orElse(null),
              v.expectedMacsFraction().orElse(null)));
    }
    return new Document(
        "offramp-bench/1",
        r.machine(),
        r.settings(),
        r.frames(),
        r.backboneMacs(),
        r.energyMethod(),
        r.chainOverheadRatio(),
        r.chainOverheadRatioP50(),
        vs);
  }

  /** A markdown summary: machine, settings, one row per variant, the chain overhead. */
  public static String markdown(EndToEndBench.Result r) {
    EndToEndBench.VariantResult mono = r.variant("monolithic");
    StringBuilder sb = new StringBuilder();
    Map<String, Object> mc = r.machine();
    sb.append(
        f(
            "Measured %s on %s (%s cores), %s, ONNX Runtime %s; %d %s frames per variant,"
                + " batch 1, %s intra-op thread(s), interleaved per frame; load average %s.%n%n",
            mc.get("date"),
            mc.get("cpu_model"),
            mc.get("cores"),
            mc.get("jdk"),
            mc.get("onnxruntime"),
            r.frames(),
            r.settings().get("split"),
            r.settings().get("threads"),
            mc.get("load_average_1m")));
    sb.append(
        "| variant | accuracy | drop (pt) | MAC fraction | mean ms | p50 ms | p99 ms |"
            + " vs monolithic | frames/s | energy mJ/frame |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (EndToEndBench.VariantResult v : r.variants()) {
      sb.append(
          f(
              "| %s%s | %.4f | %.2f | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f | %s |%n",
              v.name(),
              v.isDefault() ? " (default)" : "",
              v.accuracy(),
              100 * (mono.accuracy() - v.accuracy()),
              v.macsFraction(),
              v.latency().meanMs(),
              v.latency().p50Ms(),
              v.latency().p99Ms(),
              v.latency().meanMs() / mono.latency().meanMs(),
              v.latency().throughputFps(),
              v.energyJoulesPerFrame()
                  .map(j -> f("%.3f", j * 1e3))
                  .orElse("n/a (" + r.energyMethod() + ")")));
    }
    sb.append(
        f(
            "%nChain overhead (never-exit cascade / monolithic, same run): %.3f on means, %.3f on"
                + " medians.%n",
            r.chainOverheadRatio(), r.chainOverheadRatioP50()));
    return sb.toString();
  }

  /** Mean latency (ms) against MAC fraction, one series per scheme. */
  public static String latencySvg(EndToEndBench.Result r) {
    return SvgChart.scatter(
        "Latency vs MAC fraction (batch 1, interleaved)",
        "MAC fraction (heads included)",
        "mean latency per frame (ms)",
        series(r, v -> v.latency().meanMs()),
        Optional.of(
            new SvgChart.Reference("monolithic", r.variant("monolithic").latency().meanMs())));
  }

  /** Accuracy against MAC fraction, one series per scheme. */
  public static String accuracySvg(EndToEndBench.Result r) {
    return SvgChart.scatter(
        "Accuracy vs MAC fraction",
        "MAC fraction (heads included)",
        "accuracy",
        series(r, EndToEndBench.VariantResult::accuracy),
        Optional.of(new SvgChart.Reference("monolithic", r.variant("monolithic").accuracy())));
  }

  private static List<SvgChart.Series> series(
      EndToEndBench.Result r, java.util.function.ToDoubleFunction<EndToEndBench.VariantResult> y) {
    Map<String, List<SvgChart.Point>> by = new LinkedHashMap<>();
    for (EndToEndBench.VariantResult v : r.variants()) {
      String key = v.name().endsWith(":" + EndToEndBench.NEVER_EXIT) ? "never-exit" : v.scheme();
      by.computeIfAbsent(key, k -> new ArrayList<>())
          .add(
              new SvgChart.Point(
                  v.macsFraction(),
                  y.applyAsDouble(v),
                  f(
                      "%s: MAC fraction %.3f, %.4f",
                      v.name(), v.macsFraction(), y.applyAsDouble(v))));
    }
    List<SvgChart.Series> out = new ArrayList<>();
    by.forEach((k, pts) -> out.add(new SvgChart.Series(k, pts, pts.size() > 1)));
    return out;
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
