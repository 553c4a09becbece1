package dev.offramp.benchmarks.soak;

import static dev.offramp.benchmarks.proc.ChildProcesses.broker;
import static dev.offramp.benchmarks.proc.ChildProcesses.daemon;
import static dev.offramp.benchmarks.proc.ChildProcesses.logTail;
import static dev.offramp.benchmarks.proc.ChildProcesses.rssKiB;
import static dev.offramp.benchmarks.proc.ChildProcesses.subscribe;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offramp.benchmarks.cli.BenchFlags;
import dev.offramp.benchmarks.proc.ChildProcesses.Broker;
import dev.offramp.benchmarks.report.HostLine;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.exporter.cli.ToolCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The runtime's soak benchmark, black-box: the real daemon ({@code ./offramp run}) as a child
 * process on a looped video with no frame-rate cap, publishing to a real Mosquitto, its results
 * read back with {@code mosquitto_sub}. Reports sustained throughput, end-to-end latency (capture
 * to publish) p50/p99, the per-frame overhead outside inference (total − inference: capture
 * hand-off, preprocessing, publishing) and the daemon's RSS after warm-up and at the end.
 *
 * <p>Usage: {@code ./offramp bench soak [--frames N] [--warmup N] [--bundle DIR] [--source SRC]
 * [--config FILE] [--json FILE]}. Run from the repository root. {@code --config} hands the daemon a
 * configuration file (e.g. an {@code audit:} section); the command-line flags above still win. The
 * report then carries the daemon's last retained {@code <prefix>/audit} counters.
 */
@Command(
    name = "soak",
    description =
        "Soak benchmark: the real daemon on a looped video publishing to a real Mosquitto;"
            + " throughput, latency p50/p99, overhead outside inference, RSS.")
public final class SoakBench extends ToolCommand {
  @Mixin BenchFlags.Soak flags;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The options as one validated value. */
  record Args(
      int frames, int warmup, String bundle, String source, Path json, Optional<Path> config) {
    Args {
      if (warmup < 1 || frames <= warmup) {
        throw new IllegalArgumentException(
            "expected 1 <= --warmup < --frames, found warmup " + warmup + ", frames " + frames);
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    run(
        new Args(
            flags.frames,
            flags.warmup,
            flags.input.bundle,
            flags.input.source,
            flags.json,
            Optional.ofNullable(flags.config)));
    return 0;
  }

  private void run(Args args) throws Exception {
    Path tmp = Files.createTempDirectory("offramp-soak");
    Broker broker = broker(tmp);
    int port = broker.port();
    Process daemon = null;
    Process sub = null;
    try {
      sub = subscribe(port, "-t", "offramp/soak/+/result", "-C", Integer.toString(args.frames()));
      List<String> extra = new ArrayList<>();
      args.config().ifPresent(c -> extra.addAll(List.of("--config", c.toString())));
      daemon = daemon(tmp, port, "soak", args.bundle(), args.source(), extra);
      Stats stats = collect(sub, daemon, args, tmp);
      Report report = stats.report(args);
      if (args.config().isPresent()) {
        report = report.withConfig(Files.readString(args.config().get()), lastAudit(port));
      }
      Json.write(args.json(), report);
      out().print(Json.text(report));
    } finally {
      for (Process p : new Process[] {daemon, sub, broker.process()}) {
        if (p != null) {
          p.destroy();
          if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        }
      }
    }
  }

  /** Latency samples and RSS readings of one run. */
  record Stats(
      double[] totalMs,
      double[] overheadMs,
      double[] inferenceMs,
      double seconds,
      long rssWarmKiB,
      long rssEndKiB,
      double meanStages) {

    /** The result document of this run, without a configuration or audit counters. */
    Report report(Args args) {
      return new Report(
          args.bundle(),
          args.source(),
          args.frames(),
          args.warmup(),
          totalMs.length,
          totalMs.length / seconds,
          meanStages,
          new Latency(
              percentile(totalMs, 50),
              percentile(totalMs, 99),
              Arrays.stream(totalMs).average().orElse(Double.NaN)),
          new Percentiles(percentile(inferenceMs, 50), percentile(inferenceMs, 99)),
          new Percentiles(percentile(overheadMs, 50), percentile(overheadMs, 99)),
          new Rss(
              rssWarmKiB / 1024.0,
              rssEndKiB / 1024.0,
              (double) (rssEndKiB - rssWarmKiB) / rssWarmKiB),
          HostLine.here(),
          null,
          null);
    }
  }

  /**
   * soak.json; {@code config} and {@code audit} only when the daemon ran with a configuration file.
   */
  record Report(
      String bundle,
      String source,
      int frames,
      int warmupFrames,
      int measuredFrames,
      double throughputFps,
      double meanStagesRun,
      Latency latencyMs,
      Percentiles inferenceMs,
      Percentiles overheadOutsideInferenceMs,
      Rss rssMib,
      HostLine machine,
      @JsonInclude(JsonInclude.Include.NON_NULL) String config,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode audit) {
    /** This report with the daemon's configuration file and its last audit counters. */
    Report withConfig(String configText, JsonNode auditCounters) {
      return new Report(
          bundle,
          source,
          frames,
          warmupFrames,
          measuredFrames,
          throughputFps,
          meanStagesRun,
          latencyMs,
          inferenceMs,
          overheadOutsideInferenceMs,
          rssMib,
          machine,
          configText,
          auditCounters == null ? NullNode.getInstance() : auditCounters);
    }
  }

  /** End-to-end latency, capture to publish. */
  record Latency(double p50, double p99, double mean) {}

  /** Two percentiles of a latency part. */
  record Percentiles(double p50, double p99) {}

  /** The daemon's resident set after warm-up and at the end. */
  record Rss(double afterWarmup, double end, double growthFraction) {}

  static Stats collect(Process sub, Process daemon, Args args, Path daemonDir) throws IOException {
    int measured = args.frames() - args.warmup();
    double[] total = new double[measured];
    double[] overhead = new double[measured];
    double[] inference = new double[measured];
    long stages = 0;
    long rssWarm = 0;
    long firstTs = 0;
    long lastTs = 0;
    int n = 0;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode r = JSON.readTree(line);
        n++;
        if (n == args.warmup()) {
          rssWarm = rssKiB(daemon.pid());
          firstTs = r.get("ts").asLong();
        } else if (n > args.warmup()) {
          int i = n - args.warmup() - 1;
          JsonNode lat = r.get("latency_ms");
          total[i] = lat.get("total").asDouble();
          inference[i] = lat.get("inference").asDouble();
          overhead[i] = total[i] - inference[i];
          stages += r.get("stages_run").asLong();
          lastTs = r.get("ts").asLong();
        }
        if (n == args.frames()) {
          break;
        }
        if (n % 10_000 == 0) {
          System.err.printf(Locale.ROOT, "soak: %d frames%n", n);
        }
      }
    }
    if (n < args.frames()) {
      throw new IllegalStateException(
          "the daemon published "
              + n
              + " results, expected "
              + args.frames()
              + "; "
              + logTail(daemonDir, 15));
    }
    long rssEnd = rssKiB(daemon.pid());
    return new Stats(
        total,
        overhead,
        inference,
        (lastTs - firstTs) / 1000.0,
        rssWarm,
        rssEnd,
        (double) stages / measured);
  }

  /** The daemon's retained audit counters (sampled, audited, skipped), or null when none came. */
  private static JsonNode lastAudit(int port) throws IOException, InterruptedException {
    Process p = subscribe(port, "-t", "offramp/soak/audit", "-C", "1", "-W", "15");
    String line;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      line = in.readLine();
    }
    p.waitFor(20, TimeUnit.SECONDS);
    if (line == null || line.isBlank()) {
      return JSON.nullNode();
    }
    JsonNode a = JSON.readTree(line);
    ObjectNode o = JSON.createObjectNode();
    for (String k : List.of("rate", "sampled", "audited", "skipped")) {
      o.set(k, a.get(k));
    }
    return o;
  }

  /** The {@code p}-th percentile (nearest rank) of {@code values}. */
  public static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }
}
