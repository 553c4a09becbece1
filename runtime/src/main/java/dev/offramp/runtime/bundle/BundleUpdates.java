package dev.offramp.runtime.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.runtime.control.ControlHub;
import dev.offramp.runtime.http.BundleEndpoint;
import dev.offramp.runtime.pipeline.BundleId;
import dev.offramp.runtime.pipeline.Pipeline;
import dev.offramp.runtime.text.SafeText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.PublicKey;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
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
import java.util.concurrent.atomic.AtomicLong;

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
  private final Path staging;
  private final Pipeline pipeline;
  private final ControlHub hub;
  private final ExecutionOptions options;
  private final Optional<PublicKey> key;
  private final ExecutorService worker;
  private final AtomicLong counter = new AtomicLong();
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
    this.staging = stateDir.resolve("bundles").toAbsolutePath().normalize();
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
    try {
      Files.createDirectories(u.staging);
      try (var children = Files.list(u.staging)) {
        for (Path child : children.toList()) {
          // Never the running bundle, should bundle.path point at a copy kept here.
          if (!u.currentDir.startsWith(child.toAbsolutePath().normalize())) {
            deleteTree(child);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "state-dir: cannot prepare " + u.staging + " for bundle updates (" + e + ")", e);
    }
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
    Path archive = staging.resolve("upload-" + counter.incrementAndGet() + ".archive");
    try {
      long n = copyCapped(body, archive, Long.MAX_VALUE);
      LOG.log(Level.INFO, "bundle: received an archive of {0} bytes", n);
    } catch (BundleUpdateException e) {
      deleteQuietly(archive);
      return new Reply(413, Map.of("error", e.getMessage(), "bundle", idJson(currentIdNow())));
    } catch (IOException | UncheckedIOException e) {
      deleteQuietly(archive);
      return new Reply(
          400, Map.of("error", "upload: reading the body failed (" + e.getMessage() + ")"));
    }
    return await(worker.submit(() -> install(() -> unpack(archive), "upload", true)));
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
    worker.execute(() -> install(() -> unpack(fetch(url)), "url " + SafeText.of(v, 200), true));
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
      checkCompatible(bundle.manifest(), pipeline.manifest());
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
        deleteIfManaged(oldDir);
      }
      if (oldPrevious != null && !oldPrevious.equals(previousDir) && !oldPrevious.equals(dir)) {
        deleteIfManaged(oldPrevious);
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
      deleteIfManaged(dir);
    }
    return refuse(from, why);
  }

  private Map<String, Object> refuse(String from, String why) {
    LOG.log(Level.WARNING, "bundle: {0} refused; {1} keeps running: {2}", from, currentId, why);
    return publish("refused", from, Optional.of(why));
  }

  /**
   * The capture delivers frames of the running bundle's size and color, and consumers read class
   * ids: both must stay.
   */
  static void checkCompatible(Manifest next, Manifest running) {
    InputSpec a = next.input();
    InputSpec b = running.input();
    if (a.width() != b.width() || a.height() != b.height() || a.color() != b.color()) {
      throw new BundleUpdateException(
          "input: expected "
              + describe(b)
              + " like the running bundle '"
              + running.name()
              + "' (the capture is set up for it); found "
              + describe(a)
              + ". Build the bundle for the same input, or restart with it as bundle.path");
    }
    if (next.classes().size() != running.classes().size()) {
      throw new BundleUpdateException(
          "classes: expected "
              + running.classes().size()
              + " like the running bundle '"
              + running.name()
              + "' (consumers read class ids); found "
              + next.classes().size()
              + ". Restart with it as bundle.path to change the classes");
    }
  }

  private static String describe(InputSpec s) {
    return s.width() + "x" + s.height() + " " + s.color().name().toLowerCase(Locale.ROOT);
  }

  private Path unpack(Path archive) throws IOException {
    Path dest = staging.resolve("b-" + counter.incrementAndGet());
    try {
      return ArchiveExtractor.extract(
          archive, dest, settings.maxUploadBytes(), BundleUpdateSettings.MAX_ENTRIES);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(dest);
      if (e instanceof java.util.zip.ZipException z) {
        throw new BundleUpdateException("archive: not a readable zip (" + z.getMessage() + ")", z);
      }
      throw e;
    } finally {
      deleteQuietly(archive);
    }
  }

  private Path fetch(URI url) throws IOException {
    Path archive = staging.resolve("fetch-" + counter.incrementAndGet() + ".archive");
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(settings.fetchTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    long deadline = System.nanoTime() + settings.fetchTimeout().toNanos();
    try {
      HttpResponse<InputStream> res =
          client.send(
              HttpRequest.newBuilder(url).timeout(settings.fetchTimeout()).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = res.body()) {
        if (res.statusCode() != 200) {
          throw new BundleUpdateException(
              "fetch: expected HTTP 200 from " + url + "; found " + res.statusCode());
        }
        copyCapped(in, archive, deadline);
      }
      return archive;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BundleUpdateException("fetch: interrupted", e);
    } catch (java.net.http.HttpTimeoutException e) {
      deleteQuietly(archive);
      throw new BundleUpdateException(
          "fetch: "
              + url
              + " did not answer within "
              + settings.fetchTimeout().toSeconds()
              + " s (bundle.fetch-timeout)",
          e);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(archive);
      if (e instanceof BundleUpdateException b) {
        throw b;
      }
      throw new BundleUpdateException("fetch: " + url + " failed (" + e + ")", e);
    } finally {
      client.close();
    }
  }

  /** Copies at most {@code bundle.max-upload-mb} bytes; refuses more, and stops at a deadline. */
  private long copyCapped(InputStream in, Path target, long deadlineNanos) throws IOException {
    long max = settings.maxUploadBytes();
    long total = 0;
    byte[] buf = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(target)) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        total += n;
        if (total > max) {
          throw new BundleUpdateException(
              "archive too large: expected at most "
                  + max
                  + " bytes (bundle.max-upload-mb); found more. Raise bundle.max-upload-mb if the"
                  + " bundle is really that large");
        }
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() > deadlineNanos) {
          throw new BundleUpdateException(
              "fetch: transfer took longer than "
                  + settings.fetchTimeout().toSeconds()
                  + " s (bundle.fetch-timeout)");
        }
        out.write(buf, 0, n);
      }
    }
    return total;
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
            worker.execute(() -> install(() -> copyIn(child), from, true));
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

  /** Copies a watched bundle directory (regular files only) so later edits there change nothing. */
  private Path copyIn(Path source) throws IOException {
    Path dest = staging.resolve("b-" + counter.incrementAndGet());
    long[] budget = {0, 0};
    try {
      Files.walkFileTree(
          source,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
                throws IOException {
              Files.createDirectories(dest.resolve(source.relativize(d).toString()));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
              if (!a.isRegularFile()) {
                throw new BundleUpdateException(
                    "watch-dir: "
                        + f
                        + " is not a regular file (a link or device); expected bundle files");
              }
              budget[0] += a.size();
              if (++budget[1] > BundleUpdateSettings.MAX_ENTRIES
                  || budget[0] > settings.maxUploadBytes()) {
                throw new BundleUpdateException(
                    "watch-dir: " + source + " is larger than bundle.max-upload-mb allows");
              }
              Files.copy(f, dest.resolve(source.relativize(f).toString()));
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException | RuntimeException e) {
      deleteQuietly(dest);
      throw e;
    }
    return dest;
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

  private void deleteIfManaged(Path dir) {
    if (dir != null && dir.startsWith(staging)) {
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      deleteTree(p);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "bundle: cannot delete {0}: {1}", p, e.toString());
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
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
