package dev.offramp.runtime.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipException;

/**
 * The files side of an update: the staging directory {@code <state-dir>/bundles/} and how a new
 * bundle lands there (an uploaded archive received, a URL fetched, an archive unpacked, a watched
 * directory copied), every copy capped by {@code bundle.max-upload-mb}. Whatever fails is removed
 * before the error leaves. Thread-safe: names are unique per call.
 */
final class BundleFiles {
  private static final System.Logger LOG = System.getLogger(BundleFiles.class.getName());

  private final BundleUpdateSettings settings;
  private final Path staging;
  private final AtomicLong counter = new AtomicLong();

  BundleFiles(BundleUpdateSettings settings, Path stateDir) {
    this.settings = settings;
    this.staging = stateDir.resolve("bundles").toAbsolutePath().normalize();
  }

  Path staging() {
    return staging;
  }

  /**
   * Creates the staging directory and removes what an earlier run left there, apart from the
   * directory holding {@code keep} (a restart runs {@code bundle.path}, which may lie there).
   *
   * @throws IllegalArgumentException when the state directory is unusable
   */
  void prepare(Path keep) {
    try {
      Files.createDirectories(staging);
      try (var children = Files.list(staging)) {
        for (Path child : children.toList()) {
          if (!keep.startsWith(child.toAbsolutePath().normalize())) {
            deleteTree(child);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "state-dir: cannot prepare " + staging + " for bundle updates (" + e + ")", e);
    }
  }

  /**
   * Stores an uploaded archive.
   *
   * @throws BundleUpdateException when it is larger than {@code bundle.max-upload-mb}
   */
  Path receive(InputStream body) throws IOException {
    Path archive = staging.resolve("upload-" + counter.incrementAndGet() + ".archive");
    try {
      long n = copyCapped(body, archive, Long.MAX_VALUE);
      LOG.log(Level.INFO, "bundle: received an archive of {0} bytes", n);
      return archive;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(archive);
      throw e;
    }
  }

  /** Unpacks {@code archive} into a new staging directory; the archive is removed either way. */
  Path unpack(Path archive) throws IOException {
    Path dest = staging.resolve("b-" + counter.incrementAndGet());
    try {
      return ArchiveExtractor.extract(
          archive, dest, settings.maxUploadBytes(), BundleUpdateSettings.MAX_ENTRIES);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(dest);
      if (e instanceof ZipException z) {
        throw new BundleUpdateException("archive: not a readable zip (" + z.getMessage() + ")", z);
      }
      throw e;
    } finally {
      deleteQuietly(archive);
    }
  }

  /** Downloads an archive, within {@code bundle.fetch-timeout} and the size cap. */
  Path fetch(URI url) throws IOException {
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
      throw new BundleUpdateException(
          "fetch: interrupted while downloading "
              + url
              + "; the running bundle is kept; retry the update",
          e);
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

  /** Copies a watched bundle directory (regular files only) so later edits there change nothing. */
  Path copyIn(Path source) throws IOException {
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

  /** Removes {@code dir} when it lies in the staging directory (never a bundle we did not copy). */
  void deleteIfManaged(Path dir) {
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
}
