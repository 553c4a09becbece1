package dev.offramp.runtime.bundle;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a bundle archive — zip, tar or gzip-compressed tar, told apart by their first bytes —
 * into an empty directory, creating nothing but regular files and directories inside it. Refused:
 * absolute names, {@code ..} segments, backslashes and NUL in names, symbolic and hard links,
 * devices, an entry that appears twice, more than {@code maxEntries} entries, more than {@code
 * maxBytes} unpacked (counted while writing, so a compression bomb stops at the cap). A zip entry
 * that a Unix zip marked as a symbolic link is written as a small regular file holding the link's
 * target, never as a link. Stateless.
 */
final class ArchiveExtractor {
  private static final int BLOCK = 512;

  private ArchiveExtractor() {}

  /**
   * Unpacks {@code archive} into {@code dest} (created) and returns the bundle directory in it:
   * {@code dest} itself when it holds {@code manifest.json}, else its one subdirectory that does.
   *
   * @throws BundleUpdateException naming the entry at fault
   */
  static Path extract(Path archive, Path dest, long maxBytes, int maxEntries) throws IOException {
    Files.createDirectories(dest);
    byte[] magic = new byte[4];
    try (InputStream in = Files.newInputStream(archive)) {
      int n = in.readNBytes(magic, 0, 4);
      if (n < 4) {
        throw new BundleUpdateException(
            "archive: expected a zip, tar or tar.gz of the bundle directory; found "
                + n
                + " byte(s)");
      }
    }
    Budget budget = new Budget(maxBytes, maxEntries);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
      if (magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
        unzip(raw, dest, budget);
      } else if ((magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
        untar(new GZIPInputStream(raw, 1 << 16), dest, budget);
      } else {
        untar(raw, dest, budget);
      }
    }
    return bundleRoot(dest);
  }

  private static Path bundleRoot(Path dest) throws IOException {
    if (Files.isRegularFile(dest.resolve("manifest.json"))) {
      return dest;
    }
    try (var children = Files.list(dest)) {
      var dirs = children.filter(Files::isDirectory).toList();
      if (dirs.size() == 1 && Files.isRegularFile(dirs.get(0).resolve("manifest.json"))) {
        return dirs.get(0);
      }
    }
    throw new BundleUpdateException(
        "archive: expected manifest.json at its top level or in its one top-level directory;"
            + " found neither. Archive the bundle directory as written by `offramp build`, e.g."
            + " tar -C bundle -cf bundle.tar .");
  }

  private static final class Budget {
    final long maxBytes;
    final int maxEntries;
    long bytes;
    int entries;

    Budget(long maxBytes, int maxEntries) {
      this.maxBytes = maxBytes;
      this.maxEntries = maxEntries;
    }

    void entry(String name) {
      if (++entries > maxEntries) {
        throw new BundleUpdateException(
            "archive: more than "
                + maxEntries
                + " entries (at '"
                + printable(name)
                + "'); a bundle is a manifest and a few stage files");
      }
    }

    void bytes(long n) {
      bytes += n;
      if (bytes > maxBytes) {
        throw new BundleUpdateException(
            "archive: unpacks to more than "
                + maxBytes
                + " bytes (bundle.max-upload-mb); raise the limit if the bundle is really"
                + " that large");
      }
    }
  }

  private static void unzip(InputStream raw, Path dest, Budget budget) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(raw, StandardCharsets.UTF_8)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        budget.entry(e.getName());
        Path target = safeTarget(dest, e.getName());
        if (target == null) {
          continue;
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          write(zip, Long.MAX_VALUE, target, budget, e.getName());
        }
      }
    }
  }

  private static void untar(InputStream in, Path dest, Budget budget) throws IOException {
    byte[] header = new byte[BLOCK];
    String longName = null;
    while (true) {
      int n = in.readNBytes(header, 0, BLOCK);
      if (n == 0 || isZeros(header, n)) {
        return;
      }
      if (n < BLOCK) {
        throw new BundleUpdateException(
            "archive: truncated tar header; expected 512 bytes, found " + n + ". Send it again.");
      }
      if (!new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
        throw new BundleUpdateException(
            "archive: expected a zip, a tar (ustar) or a tar.gz; found neither (first bytes not"
                + " 'PK', no ustar header)");
      }
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      String name = longName != null ? longName : headerName(header);
      longName = null;
      long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
      switch (type) {
        case 'x', 'g' -> skip(in, padded);
        case 'L' -> {
          if (size > 4096) {
            throw new BundleUpdateException(
                "archive: a long name of " + size + " bytes; expected at most 4096");
          }
          byte[] b = in.readNBytes((int) padded);
          int end = 0;
          while (end < size && b[end] != 0) {
            end++;
          }
          longName = new String(b, 0, end, StandardCharsets.UTF_8);
        }
        case '5' -> {
          budget.entry(name);
          Path target = safeTarget(dest, name);
          if (target != null) {
            Files.createDirectories(target);
          }
          skip(in, padded);
        }
        case '0', '\0', '7' -> {
          budget.entry(name);
          Path target = safeTarget(dest, name);
          if (target == null) {
            throw new BundleUpdateException(
                "archive: a file entry without a name; expected bundle files");
          }
          write(in, size, target, budget, name);
          skip(in, padded - size);
        }
        default ->
            throw new BundleUpdateException(
                "archive: entry '"
                    + printable(name)
                    + "' is a "
                    + describe(type)
                    + "; expected regular files and directories only. Archive the bundle files"
                    + " themselves (tar -h follows links)");
      }
    }
  }

  private static String describe(char type) {
    return switch (type) {
      case '1' -> "hard link";
      case '2' -> "symbolic link";
      case '3', '4' -> "device";
      case '6' -> "FIFO";
      default -> "tar entry of type '" + type + "'";
    };
  }

  private static String headerName(byte[] h) {
    String name = cString(h, 0, 100);
    String prefix = cString(h, 345, 155);
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int off, int len) {
    long v = 0;
    boolean any = false;
    for (int i = off; i < off + len; i++) {
      int c = b[i];
      if (c == 0 || c == ' ') {
        if (any) {
          break;
        }
        continue;
      }
      if (c < '0' || c > '7') {
        throw new BundleUpdateException(
            "archive: tar size field is not octal; the archive is damaged or not a tar");
      }
      v = v * 8 + (c - '0');
      any = true;
      if (v > (1L << 40)) {
        throw new BundleUpdateException("archive: tar entry size out of range");
      }
    }
    return v;
  }

  private static boolean isZeros(byte[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static void skip(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long s = in.skip(left);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new BundleUpdateException("archive: truncated; send it again");
        }
        s = 1;
      }
      left -= s;
    }
  }

  /**
   * The path an entry name maps to inside {@code dest}; null for the archive root ({@code ./}).
   *
   * @throws BundleUpdateException for names that would leave {@code dest} or are ambiguous
   */
  static Path safeTarget(Path dest, String name) {
    String why = null;
    if (name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
      why = "contains NUL or a backslash";
    } else if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
      why = "is absolute";
    } else {
      for (String part : name.split("/", -1)) {
        if (part.equals("..")) {
          why = "contains '..'";
          break;
        }
      }
    }
    if (why != null) {
      throw new BundleUpdateException(
          "archive: entry '"
              + printable(name)
              + "' "
              + why
              + "; expected names relative to the bundle directory. Refused, nothing installed");
    }
    String clean = name;
    while (clean.startsWith("./")) {
      clean = clean.substring(2);
    }
    while (clean.endsWith("/")) {
      clean = clean.substring(0, clean.length() - 1);
    }
    if (clean.isEmpty() || clean.equals(".")) {
      return null;
    }
    Path target = dest.resolve(clean).normalize();
    if (!target.startsWith(dest) || target.equals(dest)) {
      throw new BundleUpdateException(
          "archive: entry '" + printable(name) + "' resolves outside the bundle directory");
    }
    return target;
  }

  private static void write(InputStream in, long size, Path target, Budget budget, String name)
      throws IOException {
    Path parent = target.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    byte[] buf = new byte[1 << 16];
    long left = size;
    // CREATE_NEW: an entry that appears twice, or one written over a directory, is refused.
    try (OutputStream out =
        Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          if (size == Long.MAX_VALUE) {
            return;
          }
          throw new BundleUpdateException(
              "archive: entry '" + printable(name) + "' is truncated; send the archive again");
        }
        budget.bytes(n);
        out.write(buf, 0, n);
        left -= n;
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new BundleUpdateException(
          "archive: entry '" + printable(name) + "' appears twice; expected each file once", e);
    }
  }

  private static String printable(String s) {
    return dev.offramp.runtime.text.SafeText.of(s, 120);
  }
}
