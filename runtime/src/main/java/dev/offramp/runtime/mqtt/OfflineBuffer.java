package dev.offramp.runtime.mqtt;

import dev.offramp.runtime.mqtt.MqttSettings.FsyncPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Bounded, append-only, on-disk FIFO of result payloads that survives a restart: the
 * store-and-forward buffer of the MQTT publisher.
 *
 * <p>Layout: segment files {@code seg-<n>.log} (n increasing) of records {@code [int32 length]
 * [int32 CRC-32 of payload][payload]}, big-endian, plus a {@code cursor} file naming the first
 * record not yet acknowledged ({@code <segment> <offset>}), replaced atomically. Fully acknowledged
 * segments are deleted. On open every segment is scanned; a record whose length or CRC does not
 * check (a torn write at a crash) is truncated away with everything after it in that segment, with
 * a warning. When an append would exceed the bound, whole oldest segments are deleted and their
 * unacknowledged records counted in {@link #dropped()}.
 *
 * <p>Reading is separate from acknowledging: {@link #next()} advances a read cursor, {@link
 * #commit} advances the acknowledged position, {@link #rewind()} moves the read cursor back to it
 * (after a lost connection). The cursor file is rewritten on commit of a whole segment and on
 * {@link #close()}, so a crash may redeliver records acknowledged since: delivery is at least once.
 *
 * <p>Fsync ({@link FsyncPolicy}): {@code always} forces the segment after every append; {@code
 * periodic} at most once a second and on close; {@code never} leaves it to the OS (survives a
 * process crash, not a power cut).
 *
 * <p>Meant for one owner thread (the publisher's); methods are synchronized so a hand-over (to the
 * closing thread) is safe. {@link #depth()} and {@link #dropped()} may be read from any thread
 * without blocking.
 */
public final class OfflineBuffer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(OfflineBuffer.class.getName());
  private static final Pattern SEGMENT = Pattern.compile("seg-(\\d{12})\\.log");
  private static final int HEADER = 8;
  private static final long SYNC_PERIOD_NANOS = 1_000_000_000L;

  /**
   * A position just after a record: where an acknowledgement moves the commit point.
   *
   * @param segment segment index
   * @param offset byte offset in the segment
   * @param records records in the segment before {@code offset}
   */
  public record Position(long segment, long offset, int records) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      int c = Long.compare(segment, o.segment);
      return c != 0 ? c : Long.compare(offset, o.offset);
    }
  }

  /** One record read: its payload and the position after it. */
  public record Entry(byte[] payload, Position end) {}

  private static final class Segment {
    final long index;
    final Path path;
    long bytes;
    int records;

    Segment(long index, Path path) {
      this.index = index;
      this.path = path;
    }
  }

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final FsyncPolicy fsync;
  private final Deque<Segment> segments = new ArrayDeque<>();
  private final AtomicLong depth = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final CRC32 crc = new CRC32();
  private FileChannel writer;
  private long lastSync = System.nanoTime();
  private boolean dirty;
  private Position commit;
  private Position read;
  private FileChannel reader;
  private long readerSegment = -1;
  private boolean closed;

  private OfflineBuffer(Path dir, long maxBytes, long segmentBytes, FsyncPolicy fsync) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.fsync = fsync;
  }

  /**
   * Opens (creating if needed) the buffer in {@code dir}, recovering what a previous run left.
   *
   * @param maxBytes bound on the bytes of all segments
   * @throws UncheckedIOException naming the directory when it cannot be created or read
   */
  public static OfflineBuffer open(Path dir, long maxBytes, FsyncPolicy fsync) {
    if (maxBytes < 4096) {
      throw new IllegalArgumentException(
          "offline buffer bound: expected >= 4096 bytes; found " + maxBytes);
    }
    long segmentBytes = Math.max(1024, Math.min(8L << 20, maxBytes / 8));
    OfflineBuffer b = new OfflineBuffer(dir, maxBytes, segmentBytes, fsync);
    try {
      b.recover();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "offline buffer: cannot open directory "
              + dir
              + " (set mqtt.buffer-dir to a writable directory): "
              + e.getMessage(),
          e);
    }
    return b;
  }

  private synchronized void recover() throws IOException {
    Files.createDirectories(dir);
    List<Long> indexes = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "seg-*.log")) {
      for (Path p : ds) {
        Matcher m = SEGMENT.matcher(String.valueOf(p.getFileName()));
        if (m.matches()) {
          indexes.add(Long.parseLong(m.group(1)));
        }
      }
    }
    indexes.sort(null);
    Position saved = readCursor().orElse(null);
    for (long i : indexes) {
      Segment s = new Segment(i, segmentPath(i));
      scan(s);
      segments.addLast(s);
    }
    // Segments wholly before the saved cursor were acknowledged; drop them.
    while (saved != null && !segments.isEmpty() && segments.peekFirst().index < saved.segment()) {
      Files.deleteIfExists(segments.removeFirst().path);
    }
    if (segments.isEmpty()) {
      long next = indexes.isEmpty() ? 0 : indexes.get(indexes.size() - 1) + 1;
      Segment s = new Segment(next, segmentPath(next));
      segments.addLast(s);
    }
    Segment first = segments.peekFirst();
    commit = new Position(first.index, 0, 0);
    if (saved != null && saved.segment() == first.index) {
      // Count records up to the saved offset; a cursor past the (truncated) end clamps to it.
      long off = 0;
      int n = 0;
      try (FileChannel ch = FileChannel.open(first.path, StandardOpenOption.READ)) {
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        while (off < saved.offset() && off < first.bytes) {
          h.clear();
          ch.read(h, off);
          h.flip();
          off += HEADER + h.getInt();
          n++;
        }
      }
      commit = new Position(first.index, off, n);
    }
    long total = 0;
    for (Segment s : segments) {
      total += s.records;
    }
    depth.set(total - commit.records());
    read = commit;
    Segment last = segments.peekLast();
    writer = openWriter(last);
    if (depth.get() > 0) {
      LOG.log(
          Level.INFO,
          "offline buffer {0}: {1} result(s) from a previous run waiting to be sent",
          dir,
          depth.get());
    }
  }

  private synchronized void scan(Segment s) throws IOException {
    long size = Files.size(s.path);
    long off = 0;
    int n = 0;
    try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
      ByteBuffer h = ByteBuffer.allocate(HEADER);
      while (off < size) {
        h.clear();
        if (size - off < HEADER || ch.read(h, off) < HEADER) {
          break;
        }
        h.flip();
        int len = h.getInt();
        int sum = h.getInt();
        if (len < 0 || len > size - off - HEADER) {
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(len);
        ch.read(body, off + HEADER);
        crc.reset();
        crc.update(body.array(), 0, len);
        if ((int) crc.getValue() != sum) {
          break;
        }
        off += HEADER + len;
        n++;
      }
    }
    if (off < size) {
      LOG.log(
          Level.WARNING,
          "offline buffer: {0} has a corrupt or torn record at byte {1} of {2}; truncating the"
              + " {3} byte(s) after it (a crash during a write leaves this; earlier results are"
              + " kept)",
          s.path,
          off,
          size,
          size - off);
      try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.WRITE)) {
        ch.truncate(off);
        ch.force(true);
      }
    }
    s.bytes = off;
    s.records = n;
  }

  private Optional<Position> readCursor() {
    Path p = dir.resolve("cursor");
    if (!Files.exists(p)) {
      return Optional.empty();
    }
    try {
      String[] parts = Files.readString(p, StandardCharsets.US_ASCII).strip().split("\\s+");
      return Optional.of(new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]), 0));
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "offline buffer: unreadable cursor file {0} ({1}); resending everything buffered",
          p,
          e.toString());
      return Optional.empty();
    }
  }

  private synchronized void writeCursor() throws IOException {
    Path tmp = dir.resolve("cursor.tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(
          ByteBuffer.wrap(
              (commit.segment() + " " + commit.offset() + "\n")
                  .getBytes(StandardCharsets.US_ASCII)));
      if (fsync != FsyncPolicy.NEVER) {
        ch.force(true);
      }
    }
    try {
      Files.move(
          tmp,
          dir.resolve("cursor"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path segmentPath(long index) {
    return dir.resolve(String.format("seg-%012d.log", index));
  }

  private static FileChannel openWriter(Segment s) throws IOException {
    FileChannel ch = FileChannel.open(s.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    ch.position(s.bytes);
    return ch;
  }

  /** Appends one payload; drops the oldest segments first when the bound would be exceeded. */
  public synchronized void append(byte[] payload) {
    ensureOpen();
    long need = HEADER + (long) payload.length;
    if (need > maxBytes / 2) {
      throw new IllegalArgumentException(
          "offline buffer: a "
              + payload.length
              + "-byte result does not fit a "
              + maxBytes
              + "-byte buffer");
    }
    try {
      Segment last = segments.peekLast();
      if (last.bytes > 0 && last.bytes + need > segmentBytes) {
        sync(true);
        writer.close();
        last = new Segment(last.index + 1, segmentPath(last.index + 1));
        segments.addLast(last);
        writer = openWriter(last);
      }
      while (totalBytes() + need > maxBytes && segments.size() > 1) {
        dropOldest();
      }
      crc.reset();
      crc.update(payload);
      ByteBuffer buf = ByteBuffer.allocate((int) need);
      buf.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
      while (buf.hasRemaining()) {
        writer.write(buf);
      }
      last.bytes += need;
      last.records++;
      depth.incrementAndGet();
      dirty = true;
      sync(fsync == FsyncPolicy.ALWAYS);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "offline buffer: writing to " + dir + " failed: " + e.getMessage(), e);
    }
  }

  private synchronized long totalBytes() {
    long t = 0;
    for (Segment s : segments) {
      t += s.bytes;
    }
    return t;
  }

  private synchronized void dropOldest() throws IOException {
    Segment s = segments.removeFirst();
    int lost = s.index == commit.segment() ? s.records - commit.records() : s.records;
    if (reader != null && readerSegment == s.index) {
      reader.close();
      reader = null;
      readerSegment = -1;
    }
    Files.deleteIfExists(s.path);
    Segment next = segments.peekFirst();
    commit = new Position(next.index, 0, 0);
    if (read.compareTo(commit) < 0) {
      read = commit;
    }
    depth.addAndGet(-lost);
    long total = dropped.addAndGet(lost);
    writeCursor();
    LOG.log(
        Level.WARNING,
        "offline buffer {0} is full ({1} bytes): dropped the {2} oldest unsent result(s), {3} in"
            + " total; raise mqtt.buffer-max-mb to keep more",
        dir,
        maxBytes,
        lost,
        total);
  }

  private synchronized void sync(boolean force) throws IOException {
    if (!dirty || fsync == FsyncPolicy.NEVER) {
      return;
    }
    long now = System.nanoTime();
    if (force || now - lastSync >= SYNC_PERIOD_NANOS) {
      writer.force(false);
      lastSync = now;
      dirty = false;
    }
  }

  /** Whether {@link #next()} has a record. */
  public synchronized boolean hasNext() {
    ensureOpen();
    Segment last = segments.peekLast();
    return read.segment() < last.index || read.offset() < last.bytes;
  }

  /**
   * Reads the record at the read cursor and advances it.
   *
   * @throws IllegalStateException when {@link #hasNext()} is false
   */
  public synchronized Entry next() {
    ensureOpen();
    if (!hasNext()) {
      throw new IllegalStateException("offline buffer: next() called with nothing unread");
    }
    try {
      Segment s = segmentAt(read.segment());
      if (read.offset() >= s.bytes) {
        Segment n = segmentAt(read.segment() + 1);
        read = new Position(n.index, 0, 0);
        s = n;
      }
      if (readerSegment != s.index) {
        if (reader != null) {
          reader.close();
        }
        reader = FileChannel.open(s.path, StandardOpenOption.READ);
        readerSegment = s.index;
      }
      if (s == segments.peekLast()) {
        sync(true); // what we read back must be what is on disk
      }
      ByteBuffer h = ByteBuffer.allocate(HEADER);
      reader.read(h, read.offset());
      h.flip();
      int len = h.getInt();
      ByteBuffer body = ByteBuffer.allocate(len);
      while (body.hasRemaining()) {
        if (reader.read(body, read.offset() + HEADER + body.position()) < 0) {
          throw new IOException("unexpected end of " + s.path);
        }
      }
      read = new Position(s.index, read.offset() + HEADER + len, read.records() + 1);
      return new Entry(body.array(), read);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "offline buffer: reading " + dir + " failed: " + e.getMessage(), e);
    }
  }

  private synchronized Segment segmentAt(long index) {
    for (Segment s : segments) {
      if (s.index == index) {
        return s;
      }
    }
    throw new IllegalStateException("offline buffer: segment " + index + " is gone");
  }

  /**
   * Acknowledges every record up to {@code end} (from {@link Entry#end()}), in order. A position
   * already behind the commit point (its segment was dropped) is ignored.
   */
  public synchronized void commit(Position end) {
    ensureOpen();
    if (end.compareTo(commit) <= 0) {
      return;
    }
    try {
      while (segments.peekFirst().index < end.segment()) {
        Segment s = segments.removeFirst();
        depth.addAndGet(-(s.records - commit.records()));
        if (readerSegment == s.index && reader != null) {
          reader.close();
          reader = null;
          readerSegment = -1;
        }
        if (segments.isEmpty()) {
          throw new IllegalStateException("offline buffer: commit past the last segment: " + end);
        }
        Files.deleteIfExists(s.path);
        commit = new Position(segments.peekFirst().index, 0, 0);
        writeCursor();
      }
      depth.addAndGet(-(end.records() - commit.records()));
      commit = end;
      Segment first = segments.peekFirst();
      if (first.bytes == end.offset() && segments.size() == 1 && first.bytes > 0) {
        // Everything sent: start a fresh segment so the old one can go.
        sync(true);
        writer.close();
        Segment fresh = new Segment(first.index + 1, segmentPath(first.index + 1));
        segments.addLast(fresh);
        writer = openWriter(fresh);
        segments.removeFirst();
        if (reader != null) {
          reader.close();
          reader = null;
          readerSegment = -1;
        }
        Files.deleteIfExists(first.path);
        commit = new Position(fresh.index, 0, 0);
        if (read.compareTo(commit) < 0) {
          read = commit;
        }
        writeCursor();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "offline buffer: committing in " + dir + " failed: " + e.getMessage(), e);
    }
  }

  /** Moves the read cursor back to the first unacknowledged record. */
  public synchronized void rewind() {
    read = commit;
  }

  /** Records buffered and not yet acknowledged. Any thread. */
  public long depth() {
    return depth.get();
  }

  /** Records dropped because the buffer was full, since open. Any thread. */
  public long dropped() {
    return dropped.get();
  }

  /** Forces data (unless the policy is never), saves the cursor and closes. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (fsync != FsyncPolicy.NEVER && dirty) {
        writer.force(false);
      }
      writer.close();
      if (reader != null) {
        reader.close();
      }
      writeCursor();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "offline buffer: closing " + dir + " failed: " + e.getMessage(), e);
    }
  }

  private synchronized void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("offline buffer " + dir + " is closed");
    }
  }
}
