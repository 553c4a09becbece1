package dev.offramp.runtime.mqtt;

import java.util.List;

/** What {@link ResultStore#readAfter} returns. */
final class StoredRows {
  private StoredRows() {}

  /** One stored result; the payload is copied in and out, so a row never changes. */
  record Row(long id, String camera, byte[] payload) {
    Row {
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }

  /**
   * Rows read: the good ones, the last id looked at (good or damaged), and whether the limit was
   * reached (more may follow).
   */
  record Batch(List<Row> rows, long lastId, boolean more) {}
}
