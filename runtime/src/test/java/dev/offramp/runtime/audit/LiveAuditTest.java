package dev.offramp.runtime.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.Classification;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.cascade.testing.TestBundles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit's queue, accounting and override, on a real (generated) bundle. */
class LiveAuditTest {
  @TempDir Path dir;

  private static float[] input(Manifest m, Random r) {
    float[] x = new float[m.input().elementCount()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  @Test
  void samplesThatDoNotFitTheQueueAreCountedAndTheRestAgreeWithTheBackbone() {
    Bundle bundle = Bundle.open(TestBundles.write(dir));
    Manifest m = bundle.manifest();
    AuditSettings s =
        new AuditSettings(1.0, 0.05, AuditSettings.Action.REPORT, 5, 2, Duration.ofSeconds(1), 3);
    LiveAudit audit = new LiveAudit(s, m, () -> "m0.05");
    Random r = new Random(5);
    try (CascadeExecutor ex = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      for (int i = 0; i < 3; i++) {
        Classification c = ex.classify(input(m, r), ExitPolicy.exitAt(0));
        audit.offer(c, ex, "m0.05");
      }
      Classification last = ex.classify(input(m, r), ExitPolicy.neverExit());
      audit.offer(last, ex, "m0.05"); // the last stage answered: nothing to audit
      assertEquals(3, audit.sampled());
      assertEquals(1, audit.skipped(), "queue of 2");
      while (audit.pending()) {
        audit.runOne(ex);
      }
      assertEquals(2, audit.audited());
      long total = 0;
      for (int c = 0; c < m.classes().size(); c++) {
        total += audit.samples(0, c);
      }
      assertEquals(2, total);
      Map<String, Object> snap = audit.snapshot();
      assertEquals(3L, snap.get("sampled"));
      assertEquals(1L, snap.get("skipped"));
      assertEquals(2L, snap.get("audited"));
    }
  }

  @Test
  void anAlertOnAnExpectedClassTightensThatExitUntilCleared() {
    Bundle bundle = Bundle.open(TestBundles.write(dir));
    Manifest m = bundle.manifest();
    // The generated bundle carries no expectation: give the profile one through the manifest.
    double[][] expected = new double[m.exits()][m.classes().size()];
    for (double[] row : expected) {
      java.util.Arrays.fill(row, 0.99);
    }
    var p = m.profile("m0.05");
    var withExpectation =
        new dev.offramp.cascade.bundle.Profile(
            p.name(),
            p.margin(),
            p.thresholds(),
            new dev.offramp.cascade.bundle.Expected(
                p.expected().accuracy(),
                p.expected().macsFraction(),
                p.expected().exitRates(),
                expected),
            p.target());
    Map<String, dev.offramp.cascade.bundle.Profile> profiles =
        new java.util.LinkedHashMap<>(m.profiles());
    profiles.put("m0.05", withExpectation);
    Manifest expectedManifest =
        new Manifest(
            m.format(),
            m.name(),
            m.classes(),
            m.input(),
            m.backbone(),
            m.stages(),
            profiles,
            m.defaultProfile(),
            m.training());
    AuditSettings s =
        new AuditSettings(1.0, 0.05, AuditSettings.Action.TIGHTEN, 5, 8, Duration.ofSeconds(1), 3);
    LiveAudit audit = new LiveAudit(s, expectedManifest, () -> "m0.05");
    ExitPolicy base = ExitPolicy.exitAt(0);
    assertSame(base, audit.policy(base), "no override: the policy itself");
    for (int i = 0; i < 5; i++) {
      audit.record(0, 4, "m0.05", false);
    }
    List<Map<String, Object>> alerts = audit.takeAlerts();
    assertEquals(1, alerts.size());
    Map<String, Object> alert = alerts.get(0);
    assertEquals(0, alert.get("exit"));
    assertEquals(4, alert.get("class_id"));
    assertEquals("tighten", alert.get("action"));
    assertEquals(5L, alert.get("samples"));
    assertEquals(0.99, (double) alert.get("expected"), 1e-12);
    assertTrue(audit.withheld(0, 4));
    float[] four = new float[m.classes().size()];
    four[4] = 1f;
    assertFalse(audit.policy(base).stopsAt(0, four), "exit 0 no longer answers class 4");
    float[] three = new float[m.classes().size()];
    three[3] = 1f;
    assertTrue(audit.policy(base).stopsAt(0, three), "other classes still exit");
    assertEquals("cleared", audit.clear());
    assertFalse(audit.withheld(0, 4));
    assertSame(base, audit.policy(base));
    assertTrue(audit.takeCleared());
  }
}
