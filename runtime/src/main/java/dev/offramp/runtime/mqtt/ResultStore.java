package dev.offramp.runtime.mqtt;

import dev.offramp.runtime.mqtt.DropCounts.Reason;
import dev.offramp.runtime.mqtt.MqttSettings.FsyncPolicy;
import dev.offramp.runtime.pipeline.ResultEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.zip.CRC32;

/**
 * The store-and-forward buffer: an SQLite database in WAL mode ({@code <buffer-dir>/results.db})
 * holding every result from the moment it is produced until the broker acknowledges it.
 *
 * <p>One table, {@code results(id, camera, session, seq, crc, payload)}, {@code id} increasing and
 * never reused (AUTOINCREMENT). A result is inserted (in a batch, one transaction) before it is
 * handed to the network and deleted when the broker acknowledges it. Each row carries the CRC-32 of
 * its payload: SQLite detects damage to its own page structure, the checksum detects damage inside
 * a payload; a row that fails it is deleted, counted ({@link Reason#CORRUPT}) and logged once with
 * the file and row id, and nothing else is affected.
 *
 * <p>Bounded: past {@code maxBytes} of payload (plus a per-row overhead), or on a full disk, the
 * oldest rows not handed to the network are deleted and counted ({@link Reason#FULL}). Fsync
 * ({@link FsyncPolicy}): {@code always} is SQLite's {@code synchronous=FULL} (the WAL is synced at
 * every commit); {@code periodic} is {@code synchronous=NORMAL} plus a checkpoint (which syncs) at
 * most once a second; {@code never} is {@code synchronous=OFF}. Every commit survives a process
 * crash whatever the policy; the policy only decides what a power cut can take.
 *
 * <p>One owner thread (the publisher's); methods are synchronized so the closing thread may take
 * over. {@link #depth()} may be read from any thread.
 */
final class ResultStore implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ResultStore.class.getName());
  static final String FILE = "results.db";
  static final String LEDGER = "ledger";
  static final int ROW_OVERHEAD = 48;
  private static final long CHECKPOINT_PERIOD_NANOS = 1_000_000_000L;
  private static final int SQLITE_FULL = 13;

  private final Path dir;
  private final Path file;
  private final long maxBytes;
  private final FsyncPolicy fsync;
  private final DropCounts drops;
  private final AtomicLong depth = new AtomicLong();
  private final CRC32 crc = new CRC32();
  private Connection db;
  private PreparedStatement insert;
  private PreparedStatement select;
  private PreparedStatement deleteRange;
  private Statement tx;
  private long bytes;
  private long lastCheckpoint = System.nanoTime();
  private boolean closed;

  private ResultStore(Path dir, long maxBytes, FsyncPolicy fsync, DropCounts drops) {
    this.dir = dir;
    this.file = dir.resolve(FILE);
    this.maxBytes = maxBytes;
    this.fsync = fsync;
    this.drops = drops;
  }

  /**
   * Opens (creating if needed) the store in {@code dir}: skips junk with a warning, imports a
   * buffer left by the previous release, counts a store file lost while stopped, and checks
   * integrity.
   *
   * @throws UncheckedIOException naming the directory and the setting when it cannot be used
   */
  static ResultStore open(Path dir, long maxBytes, FsyncPolicy fsync, DropCounts drops) {
    if (maxBytes < 4096) {
      throw new IllegalArgumentException("store bound: expected >= 4096 bytes; found " + maxBytes);
    }
    ResultStore s = new ResultStore(dir, maxBytes, fsync, drops);
    try {
      Files.createDirectories(dir);
      BufferDirectory.tidy(dir);
      long lostWhileStopped = BufferDirectory.lostWhileStopped(dir);
      s.connect();
      if (lostWhileStopped > 0) {
        drops.add(Reason.LOST, lostWhileStopped);
        LOG.log(
            Level.WARNING,
            "store {0} was missing at start; the last clean stop left {1} unsent result(s) in it:"
                + " counted as dropped (reason lost)",
            s.file,
            lostWhileStopped);
      }
      LegacyBuffer.importInto(dir, s, drops);
    } catch (IOException | SQLException e) {
      throw BufferDirectory.unusable(dir, e);
    }
    if (s.depth.get() > 0) {
      LOG.log(Level.INFO, "store {0}: {1} result(s) waiting to be sent", s.file, s.depth.get());
    }
    return s;
  }

  private synchronized void connect() throws SQLException, IOException {
    StoreFile.Opened o = StoreFile.open(dir, file, maxBytes, fsync);
    db = o.db();
    try (Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT count(*), coalesce(sum(length(payload)), 0) FROM results")) {
      rs.next();
      depth.set(rs.getLong(1));
      bytes = rs.getLong(2) + rs.getLong(1) * ROW_OVERHEAD;
    }
    tx = db.createStatement();
    insert =
        db.prepareStatement(
            "INSERT INTO results (camera, session, seq, crc, payload) VALUES (?, ?, ?, ?, ?)");
    select =
        db.prepareStatement(
            "SELECT id, camera, crc, payload FROM results WHERE id > ? AND id <= ? ORDER BY id"
                + " LIMIT ?");
    deleteRange = db.prepareStatement("DELETE FROM results WHERE id >= ? AND id <= ?");
    if (o.damaged().isPresent()) {
      Salvage.copy(o.damaged().get(), this, drops);
    }
  }

  /** Highest id stored now (0 when empty). */
  synchronized long maxId() throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM results")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The database file. */
  Path file() {
    return file;
  }

  /**
   * Stores a batch durably (one transaction), evicting the oldest rows when the bound or the disk
   * requires it.
   *
   * @param inUse rows handed to the network (they may still be acknowledged): never evicted
   * @throws SQLException when the batch could not be stored even after evicting (storage failing)
   */
  synchronized void append(List<ResultEvent> batch, LongPredicate inUse) throws SQLException {
    if (batch.isEmpty()) {
      return;
    }
    List<byte[]> payloads = new ArrayList<>(batch.size());
    long added = 0;
    for (ResultEvent e : batch) {
      byte[] p = ResultJson.toBytes(e);
      payloads.add(p);
      added += p.length + ROW_OVERHEAD;
    }
    if (bytes + added > maxBytes) {
      evict(bytes + added - maxBytes + maxBytes / 10, inUse);
    }
    try {
      insertAll(batch, payloads);
    } catch (SQLException e) {
      if (e.getErrorCode() != SQLITE_FULL) {
        throw e;
      }
      // The disk is full before the bound: make room from the oldest unsent and try once more.
      long freed = evict(Math.max(added * 4, bytes / 10), inUse);
      if (freed == 0) {
        throw e;
      }
      insertAll(batch, payloads);
    }
    bytes += added;
    depth.addAndGet(batch.size());
    maybeCheckpoint();
  }

  private void insertAll(List<ResultEvent> batch, List<byte[]> payloads) throws SQLException {
    tx.execute("BEGIN IMMEDIATE");
    try {
      for (int i = 0; i < batch.size(); i++) {
        ResultEvent e = batch.get(i);
        byte[] p = payloads.get(i);
        insert.setString(1, e.camera());
        insert.setString(2, e.session());
        insert.setLong(3, e.seq());
        insert.setLong(4, checksum(p));
        insert.setBytes(5, p);
        insert.addBatch();
      }
      insert.executeBatch();
      tx.execute("COMMIT");
    } catch (SQLException e) {
      insert.clearBatch();
      rollbackQuietly();
      throw e;
    }
  }

  /**
   * Deletes the oldest rows not {@code inUse} (handed to the network) until {@code need} bytes are
   * freed.
   */
  private long evict(long need, LongPredicate inUse) throws SQLException {
    long freed = 0;
    long rows = 0;
    long last = 0;
    List<long[]> ranges = new ArrayList<>();
    long[] open = null;
    try (PreparedStatement q =
        db.prepareStatement(
            "SELECT id, length(payload) FROM results WHERE id > ? ORDER BY id LIMIT 512")) {
      while (freed < need) {
        q.setLong(1, last);
        int n = 0;
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next() && freed < need) {
            last = rs.getLong(1);
            n++;
            if (inUse.test(last)) {
              open = null;
              continue;
            }
            if (open == null) {
              open = new long[] {last, last};
              ranges.add(open);
            }
            open[1] = last;
            freed += rs.getLong(2) + ROW_OVERHEAD;
            rows++;
          }
        }
        if (n == 0) {
          break;
        }
      }
    }
    if (rows == 0) {
      return 0;
    }
    for (long[] r : ranges) {
      deleteRange.setLong(1, r[0]);
      deleteRange.setLong(2, r[1]);
      deleteRange.executeUpdate();
    }
    bytes -= freed;
    depth.addAndGet(-rows);
    long total = drops.add(Reason.FULL, rows);
    LOG.log(
        Level.WARNING,
        "store {0} full (bound {1} bytes, or the disk): dropped the {2} oldest unsent result(s),"
            + " {3} so far (reason full)",
        file,
        maxBytes,
        rows,
        total);
    return freed;
  }

  /**
   * Up to {@code limit} rows with ids in {@code (afterId, upTo]}, in id order. A row whose payload
   * fails its checksum is deleted, counted and logged, and not returned.
   */
  synchronized StoredRows.Batch readAfter(long afterId, long upTo, int limit) throws SQLException {
    List<StoredRows.Row> rows = new ArrayList<>();
    long lastId = afterId;
    int seen = 0;
    List<Long> corrupt = new ArrayList<>();
    select.setLong(1, afterId);
    select.setLong(2, upTo);
    select.setInt(3, limit);
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        long id = rs.getLong(1);
        lastId = id;
        seen++;
        String camera = rs.getString(2);
        long sum = rs.getLong(3);
        byte[] payload = rs.getBytes(4);
        if (payload == null || checksum(payload) != sum || camera == null || camera.isEmpty()) {
          corrupt.add(id);
          bytes -= payload == null ? ROW_OVERHEAD : payload.length + ROW_OVERHEAD;
        } else {
          rows.add(new StoredRows.Row(id, camera, payload));
        }
      }
    }
    for (long id : corrupt) {
      deleteRange.setLong(1, id);
      deleteRange.setLong(2, id);
      deleteRange.executeUpdate();
      depth.decrementAndGet();
      drops.add(Reason.CORRUPT, 1);
      LOG.log(
          Level.WARNING,
          "store {0}: row id {1} fails its checksum (damaged on disk); dropped it alone (reason"
              + " corrupt)",
          file,
          id);
    }
    return new StoredRows.Batch(rows, lastId, seen == limit);
  }

  /**
   * Deletes acknowledged rows {@code fromId..toId} (inclusive) in one transaction.
   *
   * @param payloadBytes the payload bytes of those rows (the caller read them)
   */
  synchronized void delete(long fromId, long toId, long payloadBytes) throws SQLException {
    deleteRange.setLong(1, fromId);
    deleteRange.setLong(2, toId);
    int n = deleteRange.executeUpdate();
    depth.addAndGet(-n);
    bytes = Math.max(0, bytes - payloadBytes - (long) n * ROW_OVERHEAD);
    maybeCheckpoint();
  }

  /** Inserts one already-encoded row (salvage and import), committed at once. */
  synchronized void appendRaw(String camera, String session, long seq, byte[] payload)
      throws SQLException {
    insert.setString(1, camera);
    insert.setString(2, session);
    insert.setLong(3, seq);
    insert.setLong(4, checksum(payload));
    insert.setBytes(5, payload);
    insert.executeUpdate();
    bytes += payload.length + ROW_OVERHEAD;
    depth.incrementAndGet();
  }

  private void maybeCheckpoint() {
    if (fsync != FsyncPolicy.PERIODIC) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastCheckpoint < CHECKPOINT_PERIOD_NANOS) {
      return;
    }
    lastCheckpoint = now;
    try (Statement st = db.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (SQLException e) {
      LOG.log(Level.DEBUG, "store {0}: checkpoint: {1}", file, e.getMessage());
    }
  }

  private void rollbackQuietly() {
    try {
      tx.execute("ROLLBACK");
    } catch (SQLException e) {
      LOG.log(Level.DEBUG, "store {0}: rollback: {1}", file, e.getMessage());
    }
  }

  long checksum(byte[] payload) {
    crc.reset();
    crc.update(payload, 0, payload.length);
    return crc.getValue();
  }

  /** Results stored and not yet acknowledged. Any thread. */
  long depth() {
    return depth.get();
  }

  /** Writes the ledger (what this stop leaves) and closes the database. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (Statement st = db.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      LOG.log(Level.DEBUG, "store {0}: final checkpoint: {1}", file, e.getMessage());
    }
    try {
      db.close();
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "store {0}: close failed: {1}", file, e.getMessage());
    }
    try {
      BufferDirectory.writeLedger(dir, depth.get());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "store {0}: ledger not written: {1}", file, e.getMessage());
    }
  }
}
