package dev.offramp.runtime.bundle;

import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code PUT /api/bundle} and {@code PUT|POST /api/bundle/rollback} do once the bearer token
 * has been checked; implemented by the bundle updater. Thread-safe.
 */
public interface BundleEndpoint {
  /**
   * An answer to send.
   *
   * @param status HTTP status code
   * @param body JSON body
   */
  record Reply(int status, Map<String, Object> body) {
    public Reply {
      Objects.requireNonNull(body, "body");
      // Insertion order kept: the answer reads state first.
      body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
    }
  }

  /** The cap on an upload, in bytes ({@code bundle.max-upload-mb}). */
  long maxUploadBytes();

  /** Installs the bundle archive read from {@code body} (at most {@link #maxUploadBytes()}). */
  Reply upload(InputStream body);

  /** Goes back to the previous bundle. */
  Reply rollback();

  /** The update state for {@code /api/status}. */
  Map<String, Object> status();
}
