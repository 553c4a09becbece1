package dev.offramp.runtime.mqtt;

import dev.offramp.runtime.mqtt.DropCounts.Reason;
import dev.offramp.runtime.pipeline.ResultEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Imports the buffer the previous release left ({@code seg-<n>.log} segment files of {@code [int32
 * length][int32 CRC-32][payload]} records and a {@code cursor} file {@code <segment> <offset>})
 * into the store, then removes those files.
 *
 * <p>A record whose checksum fails is skipped alone and counted ({@link Reason#CORRUPT}); a record
 * whose length is impossible ends its segment (counted as one). A cursor that does not point at a
 * record boundary of a present segment is ignored with a warning: every record is imported (some
 * may be sent twice; none is discarded). A directory named like a segment is skipped.
 */
final class LegacyBuffer {
  private static final System.Logger LOG = System.getLogger(LegacyBuffer.class.getName());
  private static final Pattern SEGMENT = Pattern.compile("seg-(\\d{12})\\.log");
  private static final int HEADER = 8;

  private LegacyBuffer() {}

  private record Cursor(long segment, long offset) {}

  static void importInto(Path dir, ResultStore store, DropCounts drops)
      throws IOException, SQLException {
    List<long[]> found = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "seg-*.log")) {
      for (Path p : ds) {
        Matcher m = SEGMENT.matcher(String.valueOf(p.getFileName()));
        if (!m.matches()) {
          continue;
        }
        if (!Files.isRegularFile(p)) {
          LOG.log(Level.WARNING, "mqtt buffer: {0} is not a regular file; skipped", p);
          continue;
        }
        found.add(new long[] {Long.parseLong(m.group(1)), files.size()});
        files.add(p);
      }
    }
    Path cursorFile = dir.resolve("cursor");
    if (found.isEmpty()) {
      if (Files.isRegularFile(cursorFile)) {
        Files.delete(cursorFile);
      }
      return;
    }
    found.sort((a, b) -> Long.compare(a[0], b[0]));
    Optional<Cursor> cursor = readCursor(cursorFile);
    boolean cursorUsable =
        cursor.isPresent() && found.stream().anyMatch(f -> f[0] == cursor.get().segment());
    long imported = 0;
    long corrupt = 0;
    for (long[] f : found) {
      Path p = files.get((int) f[1]);
      if (cursorUsable && f[0] < cursor.get().segment()) {
        continue;
      }
      long skipBelow = 0;
      if (cursorUsable && f[0] == cursor.get().segment() && cursor.get().offset() > 0) {
        if (isBoundary(Files.readAllBytes(p), cursor.get().offset())) {
          skipBelow = cursor.get().offset();
        } else {
          LOG.log(
              Level.WARNING,
              "mqtt buffer: cursor {0} does not point at a record of segment {1}; importing that"
                  + " segment in full (its results may be sent twice, none is discarded)",
              cursorFile,
              f[0]);
        }
      }
      long[] counts = importSegment(p, store, skipBelow);
      imported += counts[0];
      corrupt += counts[1];
    }
    if (cursor.isPresent() && !cursorUsable) {
      LOG.log(
          Level.WARNING,
          "mqtt buffer: cursor {0} names segment {1}, which is not there; imported every segment"
              + " (some results may be sent twice, none is discarded)",
          cursorFile,
          cursor.get().segment());
    }
    if (corrupt > 0) {
      drops.add(Reason.CORRUPT, corrupt);
    }
    for (Path p : files) {
      Files.deleteIfExists(p);
    }
    Files.deleteIfExists(cursorFile);
    LOG.log(
        Level.WARNING,
        "mqtt buffer: converted the previous release''s buffer in {0}: {1} result(s) imported into"
            + " {2}, {3} damaged record(s) dropped (reason corrupt); the old segment files are"
            + " removed",
        dir,
        imported,
        store.file(),
        corrupt);
  }

  /** Whether {@code offset} is the start of a record (or the end) when framing from 0. */
  private static boolean isBoundary(byte[] all, long offset) {
    ByteBuffer b = ByteBuffer.wrap(all);
    long off = 0;
    while (off < offset && all.length - off >= HEADER) {
      int len = b.getInt((int) off);
      if (len < 0 || len > all.length - off - HEADER) {
        return false;
      }
      off += HEADER + len;
    }
    return off == offset;
  }

  /** Imports the records at or after {@code skipBelow}; returns {imported, corrupt}. */
  private static long[] importSegment(Path p, ResultStore store, long skipBelow)
      throws IOException, SQLException {
    byte[] all = Files.readAllBytes(p);
    ByteBuffer b = ByteBuffer.wrap(all);
    CRC32 crc = new CRC32();
    long imported = 0;
    long corrupt = 0;
    int off = 0;
    while (off < all.length) {
      if (all.length - off < HEADER) {
        corrupt++;
        LOG.log(Level.WARNING, "mqtt buffer: {0}: torn record header at byte {1}", p, off);
        break;
      }
      int len = b.getInt(off);
      int sum = b.getInt(off + 4);
      if (len < 0 || len > all.length - off - HEADER) {
        corrupt++;
        LOG.log(
            Level.WARNING,
            "mqtt buffer: {0}: impossible record length {1} at byte {2}; the {3} byte(s) after"
                + " it cannot be framed (counted as one damaged record)",
            p,
            len,
            off,
            all.length - off);
        break;
      }
      int start = off + HEADER;
      off = start + len;
      if (start - HEADER < skipBelow) {
        continue;
      }
      crc.reset();
      crc.update(all, start, len);
      byte[] payload = java.util.Arrays.copyOfRange(all, start, start + len);
      ResultEvent e = null;
      if ((int) crc.getValue() == sum) {
        try {
          e = ResultJson.fromBytes(payload);
        } catch (RuntimeException ex) {
          e = null;
        }
      }
      if (e == null) {
        corrupt++;
        LOG.log(
            Level.WARNING,
            "mqtt buffer: {0}: record at byte {1} fails its checksum or does not parse; dropped"
                + " it alone (reason corrupt)",
            p,
            start - HEADER);
        continue;
      }
      store.appendRaw(e.camera(), e.session(), e.seq(), payload);
      imported++;
    }
    return new long[] {imported, corrupt};
  }

  private static Optional<Cursor> readCursor(Path p) {
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    try {
      String[] parts = Files.readString(p, StandardCharsets.US_ASCII).strip().split("\\s+");
      Cursor c = new Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      if (c.segment() < 0 || c.offset() < 0) {
        throw new IllegalArgumentException("negative value");
      }
      return Optional.of(c);
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "mqtt buffer: unreadable cursor {0} ({1}); importing every record",
          p,
          e.toString());
      return Optional.empty();
    }
  }
}
