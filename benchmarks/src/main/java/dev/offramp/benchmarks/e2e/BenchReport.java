package dev.offramp.benchmarks.e2e;

import dev.offramp.exporter.report.SvgChart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The end-to-end result as JSON-ready maps, a markdown table and SVG charts. Stateless. */
public final class BenchReport {
  private BenchReport() {}

  /** The JSON document (snake_case keys; fractions 0..1; latencies in ms; energy in mJ). */
  public static Map<String, Object> json(EndToEndBench.Result r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("schema", "offramp-bench/1");
    out.put("machine", r.machine());
    out.put("settings", r.settings());
    out.put("frames", r.frames());
    out.put("backbone_macs", r.backboneMacs());
    out.put("energy_method", r.energyMethod());
    out.put("chain_overhead_ratio", r.chainOverheadRatio());
    out.put("chain_overhead_ratio_p50", r.chainOverheadRatioP50());
    EndToEndBench.VariantResult mono = r.variant("monolithic");
    List<Map<String, Object>> vs = new ArrayList<>();
    for (EndToEndBench.VariantResult v : r.variants()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", v.name());
      m.put("scheme", v.scheme());
      m.put("profile", v.profile().orElse(null));
      m.put("default", v.isDefault());
      m.put("accuracy", v.accuracy());
      m.put("accuracy_drop_points", 100 * (mono.accuracy() - v.accuracy()));
      m.put("mean_macs", v.meanMacs());
      m.put("macs_fraction", v.macsFraction());
      LatencyStats l = v.latency();
      Map<String, Object> lat = new LinkedHashMap<>();
      lat.put("mean", l.meanMs());
      lat.put("p50", l.p50Ms());
      lat.put("p90", l.p90Ms());
      lat.put("p99", l.p99Ms());
      lat.put("min", l.minMs());
      lat.put("max", l.maxMs());
      m.put("latency_ms", lat);
      m.put("latency_vs_monolithic", l.meanMs() / mono.latency().meanMs());
      m.put("throughput_fps", l.throughputFps());
      m.put("exit_rates", v.exitRates());
      m.put("energy_mj_per_frame", v.energyJoulesPerFrame().map(j -> j * 1e3).orElse(null));
      m.put("energy_method", r.energyMethod());
      m.put("expected_accuracy", v.expectedAccuracy().orElse(null));
      m.put("expected_macs_fraction", v.expectedMacsFraction().orElse(null));
      vs.add(m);
    }
    out.put("variants", vs);
    return out;
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
