package dev.offramp.runtime.mqtt;

import dev.offramp.runtime.mqtt.DropCounts.Reason;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.zip.CRC32;

/**
 * Copies the readable rows of a damaged store file (SQLite reported damage to its own structure)
 * into a fresh store, in order, and counts the rest as {@link Reason#CORRUPT}. Rows are looked up
 * by id, so damage to one page loses only the rows on it. The damaged file is removed afterwards.
 */
final class Salvage {
  private static final System.Logger LOG = System.getLogger(Salvage.class.getName());

  private Salvage() {}

  static void copy(Path damaged, ResultStore into, DropCounts drops)
      throws SQLException, IOException {
    long copied = 0;
    long lost = 0;
    try (Connection old = DriverManager.getConnection("jdbc:sqlite:" + damaged)) {
      long max = firstLong(old, "SELECT seq FROM sqlite_sequence WHERE name = 'results'", -1);
      if (max < 0) {
        max = firstLong(old, "SELECT max(id) FROM results", -1);
      }
      long min = firstLong(old, "SELECT min(id) FROM results", 1);
      CRC32 crc = new CRC32();
      try (PreparedStatement q =
          old.prepareStatement(
              "SELECT id, camera, session, seq, crc, payload FROM results WHERE id = ?")) {
        for (long id = min; id <= max; id++) {
          try {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
              if (!rs.next()) {
                continue;
              }
              byte[] payload = rs.getBytes(6);
              crc.reset();
              if (payload != null) {
                crc.update(payload, 0, payload.length);
              }
              if (payload == null || crc.getValue() != rs.getLong(5)) {
                lost++;
                continue;
              }
              into.appendRaw(rs.getString(2), rs.getString(3), rs.getLong(4), payload);
              copied++;
            }
          } catch (SQLException e) {
            lost++;
          }
        }
      }
    } catch (SQLException e) {
      LOG.log(
          Level.WARNING,
          "store {0}: not readable at all ({1}); its results cannot be counted",
          damaged,
          e.getMessage());
    }
    drops.add(Reason.CORRUPT, lost);
    LOG.log(
        Level.WARNING,
        "store {0} was damaged: copied {1} readable result(s) into {2}, dropped {3} unreadable"
            + " (reason corrupt)",
        damaged,
        copied,
        into.file(),
        lost);
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(damaged.resolveSibling(damaged.getFileName() + suffix));
    }
  }

  private static long firstLong(Connection c, String sql, long fallback) {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() && rs.getObject(1) != null ? rs.getLong(1) : fallback;
    } catch (SQLException e) {
      return fallback;
    }
  }
}
