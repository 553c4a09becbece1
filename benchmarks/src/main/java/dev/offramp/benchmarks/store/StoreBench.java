package dev.offramp.benchmarks.store;

import com.squareup.tape2.QueueFile;
import dev.offramp.benchmarks.cli.BenchFlags;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.exporter.cli.ToolCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Compares three engines for the MQTT store-and-forward buffer on this machine, same workload for
 * each, with the {@code periodic} fsync policy where the engine allows it (a sync at most once a
 * second, every write still surviving a process crash):
 *
 * <ul>
 *   <li>{@code live}: results acknowledged as they come: append a batch of 64, read it, delete it;
 *   <li>{@code outage}: append every result (broker down), then read and delete them all (replay);
 *   <li>{@code damage}: 1,000 stored results, one byte flipped in the payload of result 500, the
 *       store reopened and read: how many come back intact, how many altered without an error, and
 *       what error, if any.
 * </ul>
 *
 * <p>Usage: {@code ./offramp bench store [--results N] [--dir DIR] [--json FILE]} (flags: {@link
 * BenchFlags.Store}).
 */
@Command(
    name = "store",
    description =
        "The store-and-forward buffer's candidate engines (SQLite WAL, Tape, H2 MVStore) on the"
            + " same workload: live, outage and replay throughput, and one flipped byte.")
public final class StoreBench extends ToolCommand {
  @Mixin BenchFlags.Store flags;

  private static final int BATCH = 64;
  private static final int SIZE = 600;
  private static final long SYNC_NANOS = 1_000_000_000L;

  /** One engine behind the workload. */
  interface Engine extends AutoCloseable {
    void append(List<byte[]> batch) throws Exception;

    /** Reads up to n oldest records. */
    List<byte[]> head(int n) throws Exception;

    /** Deletes the n oldest records. */
    void remove(int n) throws Exception;

    @Override
    void close() throws Exception;
  }

  /** SQLite, WAL, synchronous=NORMAL plus a checkpoint at most once a second. */
  static final class Sqlite implements Engine {
    final Connection db;
    final PreparedStatement insert;
    final PreparedStatement select;
    final PreparedStatement delete;
    final Statement st;
    long lastSync = System.nanoTime();
    long lastRead;

    Sqlite(Path file) throws SQLException {
      db = DriverManager.getConnection("jdbc:sqlite:" + file);
      st = db.createStatement();
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA synchronous=NORMAL");
      st.execute(
          "CREATE TABLE IF NOT EXISTS r (id INTEGER PRIMARY KEY AUTOINCREMENT, crc INTEGER,"
              + " payload BLOB)");
      insert = db.prepareStatement("INSERT INTO r (crc, payload) VALUES (?, ?)");
      select = db.prepareStatement("SELECT id, payload FROM r ORDER BY id LIMIT ?");
      delete = db.prepareStatement("DELETE FROM r WHERE id <= ?");
    }

    @Override
    public void append(List<byte[]> batch) throws SQLException {
      st.execute("BEGIN");
      for (byte[] b : batch) {
        insert.setLong(1, 0);
        insert.setBytes(2, b);
        insert.addBatch();
      }
      insert.executeBatch();
      st.execute("COMMIT");
      maybeSync();
    }

    @Override
    public List<byte[]> head(int n) throws SQLException {
      List<byte[]> out = new ArrayList<>();
      select.setInt(1, n);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          lastRead = rs.getLong(1);
          out.add(rs.getBytes(2));
        }
      }
      return out;
    }

    @Override
    public void remove(int n) throws SQLException {
      delete.setLong(1, lastRead);
      delete.executeUpdate();
      maybeSync();
    }

    void maybeSync() throws SQLException {
      if (System.nanoTime() - lastSync > SYNC_NANOS) {
        lastSync = System.nanoTime();
        st.execute("PRAGMA wal_checkpoint(PASSIVE)");
      }
    }

    @Override
    public void close() throws SQLException {
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      db.close();
    }
  }

  /** Tape's QueueFile: opened "rwd", so every write is synchronous; there is no periodic mode. */
  static final class Tape implements Engine {
    final QueueFile q;

    Tape(Path file) throws IOException {
      q = new QueueFile.Builder(file.toFile()).build();
    }

    @Override
    public void append(List<byte[]> batch) throws IOException {
      for (byte[] b : batch) {
        q.add(b);
      }
    }

    @Override
    public List<byte[]> head(int n) {
      List<byte[]> out = new ArrayList<>();
      Iterator<byte[]> it = q.iterator();
      while (it.hasNext() && out.size() < n) {
        out.add(it.next());
      }
      return out;
    }

    @Override
    public void remove(int n) throws IOException {
      q.remove(n);
    }

    @Override
    public void close() throws IOException {
      q.close();
    }
  }

  /** H2 MVStore: a commit per batch (survives a process crash), sync at most once a second. */
  static final class Mv implements Engine {
    final MVStore store;
    final MVMap<Long, byte[]> map;
    long next;
    long lastSync = System.nanoTime();

    Mv(Path file) {
      store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
      map = store.openMap("r");
      Long last = map.lastKey();
      next = last == null ? 0 : last + 1;
    }

    @Override
    public void append(List<byte[]> batch) {
      for (byte[] b : batch) {
        map.put(next++, b);
      }
      store.commit();
      maybeSync();
    }

    @Override
    public List<byte[]> head(int n) {
      List<byte[]> out = new ArrayList<>();
      Iterator<Long> it = map.keyIterator(null);
      while (it.hasNext() && out.size() < n) {
        out.add(map.get(it.next()));
      }
      return out;
    }

    @Override
    public void remove(int n) {
      for (int i = 0; i < n; i++) {
        Long k = map.firstKey();
        if (k == null) {
          break;
        }
        map.remove(k);
      }
      store.commit();
      maybeSync();
    }

    void maybeSync() {
      if (System.nanoTime() - lastSync > SYNC_NANOS) {
        lastSync = System.nanoTime();
        store.sync();
      }
    }

    @Override
    public void close() {
      store.close();
    }
  }

  interface Opener {
    Engine open(Path file) throws Exception;
  }

  static byte[] record(int i) {
    byte[] b = new byte[SIZE];
    Arrays.fill(b, (byte) 'x');
    byte[] head = String.format(Locale.ROOT, "{\"seq\":%08d,", i).getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }

  /** Records {@code from} up to {@code from + BATCH} (at most {@code n}). */
  static List<byte[]> batch(int from, int n) {
    List<byte[]> batch = new ArrayList<>();
    for (int k = from; k < Math.min(n, from + BATCH); k++) {
      batch.add(record(k));
    }
    return batch;
  }

  static double live(Opener o, Path file, int n) throws Exception {
    try (Engine e = o.open(file)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i += BATCH) {
        List<byte[]> batch = batch(i, n);
        e.append(batch);
        List<byte[]> got = e.head(batch.size());
        if (got.size() != batch.size()) {
          throw new IllegalStateException("read " + got.size() + " of " + batch.size());
        }
        e.remove(got.size());
      }
      return n / ((System.nanoTime() - t0) / 1e9);
    }
  }

  static double[] outage(Opener o, Path file, int n) throws Exception {
    try (Engine e = o.open(file)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i += BATCH) {
        List<byte[]> batch = batch(i, n);
        e.append(batch);
      }
      long t1 = System.nanoTime();
      int left = n;
      while (left > 0) {
        List<byte[]> got = e.head(BATCH);
        e.remove(got.size());
        left -= got.size();
        if (got.isEmpty()) {
          throw new IllegalStateException(left + " records missing on replay");
        }
      }
      long t2 = System.nanoTime();
      return new double[] {n / ((t1 - t0) / 1e9), n / ((t2 - t1) / 1e9)};
    }
  }

  static StoreReport.Damage damage(Opener o, Path file) throws Exception {
    int n = 1000;
    try (Engine e = o.open(file)) {
      List<byte[]> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(record(i));
      }
      for (int i = 0; i < n; i += BATCH) {
        e.append(all.subList(i, Math.min(n, i + BATCH)));
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    byte[] marker =
        String.format(Locale.ROOT, "{\"seq\":%08d,", 500).getBytes(StandardCharsets.UTF_8);
    int at = indexOf(bytes, marker);
    if (at < 0) {
      return new StoreReport.Damage(
          null, null, null, "record 500 not found verbatim in the file (compressed or paged)");
    }
    bytes[at + marker.length + 100] ^= 0x01;
    Files.write(file, bytes);
    int intact = 0;
    int altered = 0;
    String error = "none";
    try (Engine e = o.open(file)) {
      for (byte[] r : e.head(n + 1)) {
        String s = new String(r, 0, Math.min(r.length, 16), StandardCharsets.UTF_8);
        int seq = s.length() == 16 && s.startsWith("{\"seq\":") ? parse(s.substring(7, 15)) : -1;
        if (seq >= 0 && Arrays.equals(r, record(seq))) {
          intact++;
        } else {
          altered++;
        }
      }
    } catch (Exception ex) {
      error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
    }
    return new StoreReport.Damage(intact, altered, error, null);
  }

  private static int parse(String digits) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Where {@code needle} first stands in {@code hay}, or -1 (Latin-1 maps each byte to one char).
   */
  static int indexOf(byte[] hay, byte[] needle) {
    return new String(hay, StandardCharsets.ISO_8859_1)
        .indexOf(new String(needle, StandardCharsets.ISO_8859_1));
  }

  @Override
  public Integer call() throws Exception {
    int n = flags.results;
    Path dir =
        flags.dir == null
            ? Files.createTempDirectory("offramp-store-bench")
            : Files.createDirectories(flags.dir);
    Map<String, Opener> engines = new LinkedHashMap<>();
    engines.put("sqlite-wal", Sqlite::new);
    engines.put("tape-queuefile", Tape::new);
    engines.put("h2-mvstore", Mv::new);
    Map<String, StoreReport.EngineResult> results = new LinkedHashMap<>();
    for (Map.Entry<String, Opener> e : engines.entrySet()) {
      String name = e.getKey();
      Opener o = e.getValue();
      long live = Math.round(live(o, dir.resolve(name + "-live"), n));
      double[] oc = outage(o, dir.resolve(name + "-outage"), n);
      StoreReport.EngineResult r =
          new StoreReport.EngineResult(
              live, Math.round(oc[0]), Math.round(oc[1]), damage(o, dir.resolve(name + "-damage")));
      err().println(name + ": " + Json.tree(r));
      results.put(name, r);
    }
    StoreReport report =
        new StoreReport(
            n,
            SIZE,
            BATCH,
            dir.toString(),
            results.get("sqlite-wal"),
            results.get("tape-queuefile"),
            results.get("h2-mvstore"),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"));
    Json.write(flags.json, report);
    out().print(Json.text(report));
    return 0;
  }
}
