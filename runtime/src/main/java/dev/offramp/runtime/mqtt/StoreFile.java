package dev.offramp.runtime.mqtt;

import dev.offramp.runtime.mqtt.MqttSettings.FsyncPolicy;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * Opens the store's SQLite file: checks its integrity (a damaged file is moved aside for {@link
 * Salvage}), sets WAL mode, the fsync policy and the size cap, and creates the table.
 */
final class StoreFile {
  private static final System.Logger LOG = System.getLogger(StoreFile.class.getName());

  private StoreFile() {}

  /** An open database and, when the previous file was damaged, where it was moved. */
  record Opened(Connection db, Optional<Path> damaged) {}

  static Opened open(Path dir, Path file, long maxBytes, FsyncPolicy fsync)
      throws SQLException, IOException {
    boolean existed = Files.exists(file);
    Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
    Optional<Path> damaged = Optional.empty();
    if (existed && !integrityOk(db, file)) {
      db.close();
      Path aside = dir.resolve(file.getFileName() + ".damaged-" + System.currentTimeMillis());
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      for (String suffix : List.of("-wal", "-shm")) {
        Path side = dir.resolve(file.getFileName() + suffix);
        if (Files.exists(side)) {
          Files.move(side, dir.resolve(aside.getFileName() + suffix));
        }
      }
      damaged = Optional.of(aside);
      db = DriverManager.getConnection("jdbc:sqlite:" + file);
    }
    try (Statement st = db.createStatement()) {
      st.execute("PRAGMA busy_timeout=5000");
      st.execute("PRAGMA journal_mode=WAL");
      st.execute(
          "PRAGMA synchronous="
              + switch (fsync) {
                case ALWAYS -> "FULL";
                case PERIODIC -> "NORMAL";
                case NEVER -> "OFF";
              });
      limitSize(st, dir, file, maxBytes);
      st.execute(
          "CREATE TABLE IF NOT EXISTS results (id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " camera TEXT NOT NULL, session TEXT NOT NULL, seq INTEGER NOT NULL,"
              + " crc INTEGER NOT NULL, payload BLOB NOT NULL)");
    }
    return new Opened(db, damaged);
  }

  private static boolean integrityOk(Connection db, Path file) {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
      String first = rs.next() ? rs.getString(1) : "no answer";
      if ("ok".equals(first)) {
        return true;
      }
      LOG.log(
          Level.WARNING, "store {0} is damaged: SQLite says {1}; salvaging its rows", file, first);
      return false;
    } catch (SQLException e) {
      LOG.log(
          Level.WARNING,
          "store {0} is damaged or not a database ({1}); salvaging its rows",
          file,
          e.getMessage());
      return false;
    }
  }

  /**
   * Caps the database and its WAL below both the bound and what the disk can take, so that SQLite
   * reports "full" while there is still room to delete (deleting writes to the WAL): about 3/4 of
   * the usable space, at most 5/4 of the bound (pages hold more than the payload estimate), with
   * the WAL checkpointed every 1/8 of that.
   */
  private static void limitSize(Statement st, Path dir, Path file, long maxBytes)
      throws SQLException {
    long pageSize;
    try (ResultSet rs = st.executeQuery("PRAGMA page_size")) {
      pageSize = rs.next() ? rs.getLong(1) : 4096;
    }
    long usable;
    try {
      usable =
          Files.getFileStore(dir).getUsableSpace()
              + sizeOf(file)
              + sizeOf(dir.resolve(file.getFileName() + "-wal"));
    } catch (IOException e) {
      usable = Long.MAX_VALUE / 4;
    }
    long budget = Math.min(maxBytes + maxBytes / 4, usable / 4 * 3);
    long walPages = Math.max(16, Math.min(1000, budget / pageSize / 8));
    long dbPages = Math.max(32, budget / pageSize - 2 * walPages);
    st.execute("PRAGMA wal_autocheckpoint=" + walPages);
    st.execute("PRAGMA journal_size_limit=" + walPages * pageSize);
    st.execute("PRAGMA max_page_count=" + dbPages);
  }

  private static long sizeOf(Path p) {
    try {
      return Files.isRegularFile(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
