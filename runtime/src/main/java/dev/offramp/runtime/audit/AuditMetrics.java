package dev.offramp.runtime.audit;

import dev.offramp.cascade.bundle.Manifest;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The audit's Prometheus meters, in Helidon's global registry: {@code
 * offramp_audit_agreement{exit,class}} (observed agreement, NaN before any sample), {@code
 * offramp_audit_samples{exit,class}}, {@code offramp_audit_withheld{exit,class}} (1 while
 * tightened) and the counters {@code offramp_audit_sampled_total}, {@code
 * offramp_audit_audited_total}, {@code offramp_audit_skipped_total}. Meters are registered once per
 * process and read the latest bound audit (a second run in one JVM).
 */
public final class AuditMetrics {
  private static final AtomicReference<LiveAudit> CURRENT = new AtomicReference<>();

  private AuditMetrics() {}

  /** Registers the meters for this bundle's exits and classes and reads {@code audit} from now. */
  public static synchronized void bind(LiveAudit audit, Manifest manifest) {
    CURRENT.set(audit);
    MeterRegistry registry = Metrics.globalRegistry();
    counter(
        registry, "offramp_audit_sampled", "Early answers sampled for audit", LiveAudit::sampled);
    counter(
        registry,
        "offramp_audit_audited",
        "Sampled early answers run to the last stage",
        LiveAudit::audited);
    counter(
        registry,
        "offramp_audit_skipped",
        "Sampled early answers dropped because the audit queue was full",
        LiveAudit::skipped);
    for (int k = 0; k < manifest.exits(); k++) {
      for (int c = 0; c < manifest.classes().size(); c++) {
        final int exit = k;
        final int cls = c;
        String label = manifest.classes().get(c);
        gauge(
            registry,
            "offramp_audit_agreement",
            "Observed agreement of an exit's answers with the full backbone",
            exit,
            label,
            a -> a == null ? Double.NaN : a.agreement(exit, cls));
        gauge(
            registry,
            "offramp_audit_samples",
            "Audited early answers behind offramp_audit_agreement",
            exit,
            label,
            a -> a == null ? 0.0 : (double) a.samples(exit, cls));
        gauge(
            registry,
            "offramp_audit_withheld",
            "1 while the audit keeps this exit from answering this class",
            exit,
            label,
            a -> a != null && a.withheld(exit, cls) ? 1.0 : 0.0);
      }
    }
  }

  /** A gauge of one exit and class, reading the bound audit ({@code null} before any). */
  private static void gauge(
      MeterRegistry registry,
      String name,
      String description,
      int exit,
      String label,
      Function<LiveAudit, Double> read) {
    registry.getOrCreate(
        Gauge.builder(name, () -> read.apply(CURRENT.get()))
            .description(description)
            .addTag(Metrics.tag("exit", Integer.toString(exit)))
            .addTag(Metrics.tag("class", label)));
  }

  private static void counter(
      MeterRegistry registry, String name, String description, ToLongFunction<LiveAudit> read) {
    registry.getOrCreate(
        FunctionalCounter.builder(
                name,
                AuditMetrics.class,
                ignored -> {
                  LiveAudit a = CURRENT.get();
                  return a == null ? 0L : read.applyAsLong(a);
                })
            .description(description));
  }
}
