package dev.offramp.runtime.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.runtime.control.ControlHub;
import dev.offramp.runtime.pipeline.BundleId;
import dev.offramp.runtime.pipeline.Pipeline;
import dev.offramp.runtime.text.SafeText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Replaces the running bundle without a restart. Every request (upload, URL, watched directory,
 * rollback) becomes a job on one background thread ({@code offramp-bundle}), so validation never
 * runs on the pipeline thread and two installs never overlap. A job unpacks or copies the bundle
 * into {@code <state-dir>/bundles/}, checks the signature (when {@code bundle.public-key} is set),
 * opens the bundle (manifest, every stage's SHA-256), checks that its input and class count match
 * the running bundle (the capture is set up for it), opens its sessions, runs one warm-up frame
 * through every stage and only then asks the pipeline to swap between two frames. Any failure
 * leaves the running bundle as it was and is published with its reason: MQTT {@code
 * <prefix>/state/bundle} (retained), the HTTP answer and {@code /api/status}.
 *
 * <p>Ownership: this class owns every executor it opens, and closes a replaced executor (the first
 * one included; closing is idempotent) once the pipeline reports that no frame uses it any more.
 * The replaced bundle's directory is kept for rollback ({@code bundle.keep-previous}); a rollback
 * opens and validates it again, apart from the signature it passed before.
 */
public final class BundleUpdates implements BundleEndpoint, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BundleUpdates.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SWAP_WAIT_S = 30;
  private static final long ANSWER_WAIT_S = 120;
  private static final long WATCH_INTERVAL_MS = 1_000;

  private final BundleUpdateSettings settings;
  private final BundleFiles files;
  private final Pipeline pipeline;
  private final ControlHub hub;
  private final ExecutionOptions options;
  private final Optional<PublicKey> key;
  private final ExecutorService worker;
  private final Set<String> seen = new HashSet<>();
  private final Thread watcher;
  private volatile boolean closed;

  // Written by the worker thread only; read by status and close from others.
  private volatile CascadeExecutor owned;
  private volatile Path currentDir;
  private volatile BundleId currentId;
  private volatile Path previousDir;
  private volatile BundleId previousId;
  private volatile Map<String, Object> state;

  private BundleUpdates(
      BundleUpdateSettings settings,
      Path stateDir,
      Pipeline pipeline,
      ControlHub hub,
      ExecutionOptions options,
      Path initialDir) {
    this.settings = settings;
    this.files = new BundleFiles(settings, stateDir);
    this.pipeline = pipeline;
    this.hub = hub;
    this.options = options;
    this.key = settings.publicKey().map(ManifestSignature::readPublicKey);
    this.currentDir = initialDir.toAbsolutePath().normalize();
    this.currentId = pipeline.bundle();
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(null, r, "offramp-bundle", 16L << 20);
              t.setDaemon(true);
              return t;
            });
    this.watcher =
        settings.watchDir().isPresent() ? new Thread(this::watch, "offramp-bundle-watch") : null;
  }

  /**
   * Prepares {@code <state-dir>/bundles/} (what an earlier run left there is removed, apart from
   * {@code bundle.path} should it lie there: a restart runs {@code bundle.path}), publishes the
   * running bundle and starts watching {@code bundle.watch-dir}; registers itself for {@code
   * set/bundle}.
   *
   * @throws IllegalArgumentException when the public key cannot be read or the state directory is
   *     unusable
   */
  public static BundleUpdates start(
      BundleUpdateSettings settings,
      Path stateDir,
      Pipeline pipeline,
      ControlHub hub,
      ExecutionOptions options,
      Path initialDir) {
    BundleUpdates u = new BundleUpdates(settings, stateDir, pipeline, hub, options, initialDir);
    // Never the running bundle, should bundle.path point at a copy kept there.
    u.files.prepare(u.currentDir);
    u.publish("active", "bundle.path", Optional.empty());
    hub.onBundleRequest(u::request);
    if (u.watcher != null) {
      u.watcher.setDaemon(true);
      u.watcher.start();
    }
    return u;
  }

  @Override
  public long maxUploadBytes() {
    return settings.maxUploadBytes();
  }

  @Override
  public Map<String, Object> status() {
    return state;
  }

  // ------------------------------------------------------------------ requests

  @Override
  public Reply upload(InputStream body) {
    Path archive;
    try {
      archive = files.receive(body);
    } catch (BundleUpdateException e) {
      return new Reply(413, Map.of("error", e.getMessage(), "bundle", idJson(currentIdNow())));
    } catch (IOException | UncheckedIOException e) {
      return new Reply(
          400, Map.of("error", "upload: reading the body failed (" + e.getMessage() + ")"));
    }
    return await(worker.submit(() -> install(() -> files.unpack(archive), "upload", true)));
  }

  @Override
  public Reply rollback() {
    return await(worker.submit(this::doRollback));
  }

  /**
   * A {@code set/bundle} payload: an {@code http(s)://} URL to fetch, or {@code rollback}.
   *
   * @throws IllegalArgumentException for anything else (answered on {@code <prefix>/error})
   */
  public void request(String value) {
    String v = value.strip();
    if (v.equalsIgnoreCase("rollback")) {
      worker.execute(this::doRollback);
      return;
    }
    URI uri;
    try {
      uri = new URI(v);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme();
    if (uri == null
        || uri.getHost() == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException(
          "bundle: expected an http:// or https:// URL of a bundle archive, or rollback; found '"
              + SafeText.of(v)
              + "'");
    }
    URI url = uri;
    worker.execute(
        () -> install(() -> files.unpack(files.fetch(url)), "url " + SafeText.of(v, 200), true));
  }

  private Reply await(Future<Map<String, Object>> job) {
    try {
      Map<String, Object> outcome = job.get(ANSWER_WAIT_S, TimeUnit.SECONDS);
      return new Reply("active".equals(outcome.get("state")) ? 200 : 422, outcome);
    } catch (TimeoutException e) {
      return new Reply(202, state);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(503, Map.of("error", "interrupted while the bundle was validated"));
    } catch (ExecutionException e) {
      return new Reply(500, Map.of("error", String.valueOf(e.getCause())));
    }
  }

  // ------------------------------------------------------------------ worker thread

  @FunctionalInterface
  private interface Source {
    Path get() throws IOException;
  }

  private Map<String, Object> doRollback() {
    if (previousDir == null || !Files.isDirectory(previousDir)) {
      return refuse(
          "rollback",
          "rollback: no previous bundle kept (none was replaced yet, or bundle.keep-previous is"
              + " false)");
    }
    Path dir = previousDir;
    return install(() -> dir, "rollback", false);
  }

  /** Validates the bundle {@code source} yields and swaps it in; never throws. */
  private Map<String, Object> install(Source source, String from, boolean checkSignature) {
    if (closed) {
      return refuse(from, "the daemon is stopping");
    }
    publish("validating", from, Optional.empty());
    Path dir = null;
    CascadeExecutor executor = null;
    try {
      dir = source.get().toAbsolutePath().normalize();
      if (checkSignature && key.isPresent()) {
        ManifestSignature.verify(key.get(), dir);
      }
      Bundle bundle = Bundle.open(dir);
      BundleCompatibility.check(bundle.manifest(), pipeline.manifest());
      executor = CascadeExecutor.open(bundle, options);
      // Warm-up: every stage runs once before a live frame depends on it.
      executor.classify(
          new float[bundle.manifest().input().elementCount()], ExitPolicy.neverExit());
      CascadeExecutor old = pipeline.swap(executor).get(SWAP_WAIT_S, TimeUnit.SECONDS);
      old.close();
      CascadeExecutor newOwned = executor;
      executor = null;
      owned = newOwned;
      Path oldDir = currentDir;
      BundleId oldId = currentId;
      Path oldPrevious = previousDir;
      currentDir = dir;
      currentId = pipeline.bundle();
      if (settings.keepPrevious()) {
        previousDir = oldDir;
        previousId = oldId;
      } else {
        previousDir = null;
        previousId = null;
        files.deleteIfManaged(oldDir);
      }
      if (oldPrevious != null && !oldPrevious.equals(previousDir) && !oldPrevious.equals(dir)) {
        files.deleteIfManaged(oldPrevious);
      }
      LOG.log(Level.INFO, "bundle: {0} swapped in (from {1}), was {2}", currentId, from, oldId);
      hub.announce("profile", pipeline.profile());
      return publish("active", from, Optional.empty());
    } catch (BundleException | BundleUpdateException | IllegalArgumentException e) {
      return refuseAndClean(from, e.getMessage(), dir, executor);
    } catch (IOException | UncheckedIOException e) {
      return refuseAndClean(from, "reading the bundle failed: " + e.getMessage(), dir, executor);
    } catch (TimeoutException e) {
      return refuseAndClean(
          from, "the pipeline did not take the bundle within " + SWAP_WAIT_S + " s", dir, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return refuseAndClean(from, "interrupted", dir, executor);
    } catch (ExecutionException e) {
      return refuseAndClean(from, "not swapped in: " + e.getCause().getMessage(), dir, executor);
    } catch (RuntimeException e) {
      // ONNX Runtime refusing a graph, a warm-up run failing: the bundle is unusable here.
      LOG.log(Level.WARNING, "bundle: validation failed", e);
      return refuseAndClean(
          from, "sessions or warm-up run failed: " + e.getMessage(), dir, executor);
    }
  }

  private Map<String, Object> refuseAndClean(
      String from, String why, Path dir, CascadeExecutor executor) {
    if (executor != null) {
      executor.close();
    }
    if (dir != null && !dir.equals(currentDir) && !dir.equals(previousDir)) {
      files.deleteIfManaged(dir);
    }
    return refuse(from, why);
  }

  private Map<String, Object> refuse(String from, String why) {
    LOG.log(Level.WARNING, "bundle: {0} refused; {1} keeps running: {2}", from, currentId, why);
    return publish("refused", from, Optional.of(why));
  }

  // ------------------------------------------------------------------ watched directory

  /**
   * Polls {@code bundle.watch-dir}: a subdirectory counts as complete once it holds a {@code
   * .ready} file (write it last); each (name, marker time) is installed once.
   */
  private void watch() {
    Path dir = settings.watchDir().orElseThrow();
    while (!closed) {
      try (var children = Files.list(dir)) {
        for (Path child : children.sorted().toList()) {
          Path ready = child.resolve(".ready");
          if (!Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(ready)) {
            continue;
          }
          String mark = child.getFileName() + "@" + Files.getLastModifiedTime(ready).toMillis();
          if (seen.add(mark)) {
            String from = "watch-dir " + SafeText.of(child.getFileName().toString());
            worker.execute(() -> install(() -> files.copyIn(child), from, true));
          }
        }
      } catch (IOException | UncheckedIOException e) {
        LOG.log(Level.WARNING, "bundle: cannot list {0}: {1}", dir, e.getMessage());
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return;
      }
      try {
        Thread.sleep(WATCH_INTERVAL_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  // ------------------------------------------------------------------ state

  private synchronized Map<String, Object> publish(
      String what, String from, Optional<String> error) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", what);
    m.put("bundle", idJson(currentId));
    m.put("source", from);
    error.ifPresent(e -> m.put("error", e));
    if (previousId != null) {
      m.put("previous", idJson(previousId));
    }
    m.put("since", System.currentTimeMillis());
    Map<String, Object> snapshot = java.util.Collections.unmodifiableMap(m);
    state = snapshot;
    try {
      hub.announce("bundle", JSON.writeValueAsString(m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serialising the bundle state failed", e);
    }
    return snapshot;
  }

  private BundleId currentIdNow() {
    return pipeline.bundle();
  }

  private static Map<String, Object> idJson(BundleId id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", id.name());
    m.put("sha256", id.sha256());
    return m;
  }

  /** Stops the watcher and the worker; closes the executor this class opened last. */
  @Override
  public void close() {
    closed = true;
    if (watcher != null) {
      watcher.interrupt();
    }
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    CascadeExecutor o = owned;
    if (o != null) {
      o.close();
    }
  }

  @Override
  public String toString() {
    return "BundleUpdates[" + Objects.toString(currentId) + "]";
  }
}
