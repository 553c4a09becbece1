package dev.offramp.runtime.audit;

import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.Classification;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.cascade.exit.AgreementTally;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The live audit of one bundle: samples early answers, continues them to the last stage in idle
 * time, tallies agreement per exit and class, raises alerts and holds the tightening overrides.
 *
 * <p><b>Threads.</b> {@link #offer}, {@link #pending} and {@link #runOne} run on the pipeline
 * thread only (they use its executor between two frames); {@link #policy} is read there too. The
 * rest ({@link #snapshot}, {@link #clear}, {@link #takeAlerts}, the metric readers) is safe from
 * any thread. The sample queue is bounded ({@code audit.queue}); a sample that does not fit is
 * dropped and counted ({@link #skipped()}), so the audit never holds up a live frame nor grows.
 */
public final class LiveAudit {
  private static final System.Logger LOG = System.getLogger(LiveAudit.class.getName());

  /** A queued check; its features buffer is lent from and returned to the pool, never copied. */
  private record Sample(int exit, int cls, String profile, float[] features) {}

  /** The policy built for one withheld matrix, recognised by the matrix's identity. */
  private record Cached(ExitPolicy base, boolean[][] withheld, ExitPolicy policy) {}

  private final AuditSettings settings;
  // Replaced by rebase() on a bundle swap (pipeline thread); read under this lock elsewhere.
  private volatile Manifest manifest;
  private volatile boolean suspended;
  private final Supplier<String> currentProfile;
  private final int exits;
  private final int classes;
  private final SplittableRandom random;

  // Pipeline thread only.
  private final ArrayDeque<Sample> queue = new ArrayDeque<>();
  private final List<ArrayDeque<float[]>> spare = new ArrayList<>();
  private Cached cached;

  private final AtomicLong sampled = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong audited = new AtomicLong();
  private volatile int queued;

  // Guarded by this.
  private final Map<String, AgreementTally> tallies = new HashMap<>();
  private final boolean[][] alerted;
  private final List<Map<String, Object>> alerts = new ArrayList<>();
  private boolean alertCleared;
  private final Map<String, Long> withheldSince = new LinkedHashMap<>();

  // Replaced, never mutated: read by the pipeline thread for every frame.
  private volatile boolean[][] withheld;

  /**
   * @param currentProfile the profile in force (the pipeline's), whose tallies are reported
   */
  public LiveAudit(AuditSettings settings, Manifest manifest, Supplier<String> currentProfile) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.currentProfile = Objects.requireNonNull(currentProfile, "currentProfile");
    this.exits = manifest.exits();
    this.classes = manifest.classes().size();
    this.random =
        settings.seed() == 0 ? new SplittableRandom() : new SplittableRandom(settings.seed());
    this.alerted = new boolean[exits][classes];
    for (int k = 0; k < exits; k++) {
      spare.add(new ArrayDeque<>());
    }
  }

  public AuditSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- pipeline thread

  /**
   * Considers one classification for the audit, right after {@code executor.classify} ran it and
   * before the next frame: {@link #sample}, then {@link #keep}.
   */
  public void offer(Classification c, CascadeExecutor executor, String profile) {
    if (sample(c)) {
      keep(c, executor, profile);
    }
  }

  /**
   * Whether {@code c} is sampled: an early answer, taken with probability {@code audit.rate}
   * (counted). A sampled frame of a batch is then run alone, for its features, and {@link #keep}.
   */
  public boolean sample(Classification c) {
    int exit = c.exitStage();
    if (!settings.enabled() || suspended || exit >= exits || c.stagesRun() != exit + 1) {
      return false;
    }
    if (settings.rate() < 1 && random.nextDouble() >= settings.rate()) {
      return false;
    }
    sampled.incrementAndGet();
    return true;
  }

  /**
   * Queues sampled {@code c} with its exit's forwarded features, which {@code executor} holds from
   * running {@code c}'s frame alone just before; counted as skipped when the queue is full.
   */
  public void keep(Classification c, CascadeExecutor executor, String profile) {
    int exit = c.exitStage();
    if (queue.size() >= settings.queue()) {
      skipped.incrementAndGet();
      return;
    }
    float[] features = spare.get(exit).poll();
    if (features == null) {
      features = new float[executor.featureSize(exit)];
    }
    executor.copyFeatures(exit, features);
    queue.add(new Sample(exit, c.classId(), profile, features));
    queued = queue.size();
  }

  /** Whether audit samples wait for idle time. */
  public boolean pending() {
    return !queue.isEmpty();
  }

  /**
   * Runs one queued sample through the remaining stages and tallies whether the backbone agrees.
   * Call only when no frame waits.
   */
  public void runOne(CascadeExecutor executor) {
    Sample s = queue.poll();
    if (s == null) {
      return;
    }
    queued = queue.size();
    Classification full = executor.continueFrom(s.exit(), s.features());
    spare.get(s.exit()).add(s.features());
    audited.incrementAndGet();
    record(s.exit(), s.cls(), s.profile(), full.classId() == s.cls());
  }

  /**
   * The policy to classify with: {@code base}, or {@code base} with the tightened (exit, class)
   * pairs withheld. Cheap when nothing changed.
   */
  public ExitPolicy policy(ExitPolicy base) {
    boolean[][] w = withheld;
    if (w == null) {
      return base;
    }
    Cached c = cached;
    if (c == null || c.base() != base || c.withheld() != w) {
      c = new Cached(base, w, ExitPolicy.withholding(base, w));
      cached = c;
    }
    return c.policy();
  }

  // ---------------------------------------------------------------- any thread

  /** Tallies one audited early answer and raises an alert when it is due. */
  synchronized void record(int exit, int cls, String profile, boolean agrees) {
    AgreementTally tally =
        tallies.computeIfAbsent(profile, p -> new AgreementTally(manifest.profile(p).thresholds()));
    tally.add(exit, cls, agrees);
    double expected = manifest.profile(profile).expected().agreement(exit, cls);
    long n = tally.answered(exit, cls);
    if (Double.isNaN(expected) || alerted[exit][cls] || n < settings.minSamples()) {
      return;
    }
    WilsonInterval interval = WilsonInterval.of95(tally.agreed(exit, cls), n);
    if (interval.high() >= expected - settings.tolerance()) {
      return;
    }
    alerted[exit][cls] = true;
    boolean tighten = settings.action() == AuditSettings.Action.TIGHTEN;
    if (tighten) {
      boolean[][] next = new boolean[exits][];
      boolean[][] now = withheld;
      for (int k = 0; k < exits; k++) {
        next[k] = now == null ? new boolean[classes] : now[k].clone();
      }
      next[exit][cls] = true;
      withheld = next;
      withheldSince.put(exit + "/" + cls, System.currentTimeMillis());
    }
    String label = manifest.classes().get(cls);
    double observed = (double) tally.agreed(exit, cls) / n;
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("exit", exit);
    alert.put("class", label);
    alert.put("class_id", cls);
    alert.put("profile", profile);
    alert.put("observed", observed);
    alert.put("interval", List.of(interval.low(), interval.high()));
    alert.put("expected", expected);
    alert.put("tolerance", settings.tolerance());
    alert.put("samples", n);
    alert.put("action", settings.action().name().toLowerCase(Locale.ROOT));
    alert.put("withheld", tighten);
    alert.put(
        "message",
        String.format(
                Locale.ROOT,
                "exit %d agrees with the backbone on class '%s' in %.1f%% of %d audited frames"
                    + " (95%% interval up to %.1f%%), expected %.1f%%: ",
                exit,
                label,
                100 * observed,
                n,
                100 * interval.high(),
                100 * expected)
            + (tighten
                ? "exit "
                    + exit
                    + " no longer answers this class (those frames run on to the next stage)"
                    + " until cleared with 'clear' on <prefix>/set/audit or PUT /api/audit/clear"
                : "reported only; set audit.action: tighten to stop the exit answering it"));
    alert.put("ts", System.currentTimeMillis());
    alerts.add(alert);
    LOG.log(Level.WARNING, "audit alert: {0}", alert.get("message"));
  }

  /**
   * Clears every tightening override and alert and restarts the tallies (so a cleared exit must
   * show the disagreement again before it alerts again).
   *
   * @return the applied state, {@code cleared}
   */
  public synchronized String clear() {
    withheld = null;
    withheldSince.clear();
    for (boolean[] row : alerted) {
      java.util.Arrays.fill(row, false);
    }
    tallies.clear();
    alerts.clear();
    alertCleared = true;
    LOG.log(Level.INFO, "audit: overrides and alerts cleared");
    return "cleared";
  }

  /**
   * A new bundle was swapped in (pipeline thread, between frames, after {@link #drain} on the old
   * executor): its expectations replace the old ones and every tally, alert and override restarts,
   * as after {@link #clear}. A bundle with another number of exits or classes is not audited until
   * the next start (logged): the audit's tables are sized at start.
   */
  public synchronized void rebase(Manifest next) {
    if (next.exits() != exits || next.classes().size() != classes) {
      suspended = true;
      LOG.log(
          Level.WARNING,
          "audit: off for bundle {0} ({1} exits, {2} classes; the audit was sized for {3} and {4});"
              + " restart the daemon to audit it",
          next.name(),
          next.exits(),
          next.classes().size(),
          exits,
          classes);
    } else {
      suspended = false;
    }
    manifest = next;
    clear();
  }

  /** Runs every queued sample on {@code executor} (the one that produced them). */
  public void drain(CascadeExecutor executor) {
    while (pending()) {
      runOne(executor);
    }
  }

  /** Alerts raised since the last call, oldest first. */
  public synchronized List<Map<String, Object>> takeAlerts() {
    List<Map<String, Object>> out = List.copyOf(alerts);
    alerts.clear();
    return out;
  }

  /** Whether {@link #clear} ran since the last call. */
  public synchronized boolean takeCleared() {
    boolean c = alertCleared;
    alertCleared = false;
    return c;
  }

  /** Early answers sampled for audit. */
  public long sampled() {
    return sampled.get();
  }

  /** Sampled answers dropped because the queue was full. */
  public long skipped() {
    return skipped.get();
  }

  /** Sampled answers run to the last stage. */
  public long audited() {
    return audited.get();
  }

  /** Observed agreement of the profile in force, or NaN before any sample. */
  public synchronized double agreement(int exit, int cls) {
    AgreementTally t = tallies.get(currentProfile.get());
    if (t == null || t.answered(exit, cls) == 0) {
      return Double.NaN;
    }
    return (double) t.agreed(exit, cls) / t.answered(exit, cls);
  }

  /** Audited samples of the profile in force. */
  public synchronized long samples(int exit, int cls) {
    AgreementTally t = tallies.get(currentProfile.get());
    return t == null ? 0 : t.answered(exit, cls);
  }

  /** Whether exit {@code exit} is kept from answering class {@code cls}. */
  public boolean withheld(int exit, int cls) {
    boolean[][] w = withheld;
    return w != null && w[exit][cls];
  }

  /**
   * The audit as JSON-ready maps (snake_case): settings, counters, one entry per exit and class
   * with samples or an expectation (observed, 95% interval, expected, samples, withheld), and the
   * overrides in force.
   */
  public synchronized Map<String, Object> snapshot() {
    String profile = currentProfile.get();
    AgreementTally t = tallies.get(profile);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rate", settings.rate());
    m.put("tolerance", settings.tolerance());
    m.put("action", settings.action().name().toLowerCase(Locale.ROOT));
    m.put("min_samples", settings.minSamples());
    m.put("profile", profile);
    m.put("sampled", sampled.get());
    m.put("audited", audited.get());
    m.put("skipped", skipped.get());
    m.put("queued", queued);
    List<Map<String, Object>> entries = new ArrayList<>();
    List<Map<String, Object>> overrides = new ArrayList<>();
    var expectedAll = manifest.profile(profile).expected();
    for (int k = 0; k < exits; k++) {
      for (int c = 0; c < classes; c++) {
        long n = t == null ? 0 : t.answered(k, c);
        double expected = expectedAll.agreement(k, c);
        boolean w = withheld(k, c);
        if (w) {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("exit", k);
          o.put("class", manifest.classes().get(c));
          o.put("class_id", c);
          o.put("since", withheldSince.get(k + "/" + c));
          overrides.add(o);
        }
        if (n == 0 && !w) {
          continue;
        }
        long agreed = t == null ? 0 : t.agreed(k, c);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("exit", k);
        e.put("class", manifest.classes().get(c));
        e.put("class_id", c);
        e.put("samples", n);
        e.put("observed", n == 0 ? null : (double) agreed / n);
        WilsonInterval wi = WilsonInterval.of95(agreed, n);
        e.put("interval", n == 0 ? null : List.of(wi.low(), wi.high()));
        e.put("expected", Double.isNaN(expected) ? null : expected);
        e.put("withheld", w);
        entries.add(e);
      }
    }
    m.put("agreement", entries);
    m.put("withheld", overrides);
    return m;
  }
}
