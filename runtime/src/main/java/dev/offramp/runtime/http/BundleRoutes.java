package dev.offramp.runtime.http;

import dev.offramp.runtime.bundle.BundleEndpoint;
import dev.offramp.runtime.text.SafeText;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code PUT /api/bundle} and {@code PUT|POST /api/bundle/rollback}: checks the token and the
 * upload's size, then hands over to the {@link BundleEndpoint}; 404 while none is set. Thread-safe.
 */
final class BundleRoutes {
  private final BearerGate gate;
  private volatile Optional<BundleEndpoint> bundles = Optional.empty();

  BundleRoutes(BearerGate gate) {
    this.gate = gate;
  }

  void endpoint(BundleEndpoint endpoint) {
    bundles = Optional.of(endpoint);
  }

  /** The update state for {@code /api/status}; empty when updates are off. */
  Map<String, Object> status() {
    return bundles.map(BundleEndpoint::status).orElse(Map.of());
  }

  /**
   * Installs a bundle archive (tar, tar.gz or zip of the bundle directory), streamed to the state
   * directory under its own limit, {@code bundle.max-upload-mb}; answers once it is swapped in
   * (200) or refused (413, 422), with the reason.
   */
  void put(ServerRequest req, ServerResponse res) {
    Optional<BundleEndpoint> b = available(req, res);
    if (b.isEmpty()) {
      return;
    }
    long max = b.get().maxUploadBytes();
    String declared = req.headers().first(HeaderNames.CONTENT_LENGTH).orElse("").strip();
    if (!declared.isEmpty() && BearerGate.overLimit(declared, max)) {
      res.header(HeaderNames.CONNECTION, "close");
      Replies.error(
          res,
          Status.REQUEST_ENTITY_TOO_LARGE_413,
          "bundle archive too large: expected at most "
              + max
              + " bytes (bundle.max-upload-mb), found "
              + SafeText.of(declared, 40)
              + " bytes");
      return;
    }
    if (!req.content().hasEntity()) {
      Replies.error(
          res,
          Status.BAD_REQUEST_400,
          "expected a tar, tar.gz or zip of the bundle directory as the body; found none");
      return;
    }
    BundleEndpoint.Reply reply;
    try (InputStream in = req.content().inputStream()) {
      reply = b.get().upload(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the bundle upload failed", e);
    }
    if (reply.status() == 413) {
      res.header(HeaderNames.CONNECTION, "close");
    }
    Replies.json(res, Status.create(reply.status()), reply.body());
  }

  void rollback(ServerRequest req, ServerResponse res) {
    Optional<BundleEndpoint> b = available(req, res);
    if (b.isPresent()) {
      BundleEndpoint.Reply reply = b.get().rollback();
      Replies.json(res, Status.create(reply.status()), reply.body());
    }
  }

  /** The endpoint when updates are on and the token passes; else answered (404, 403, 401). */
  private Optional<BundleEndpoint> available(ServerRequest req, ServerResponse res) {
    Optional<BundleEndpoint> b = bundles;
    if (b.isEmpty()) {
      Replies.error(res, Status.NOT_FOUND_404, "bundle updates are not available in this run");
      return Optional.empty();
    }
    return gate.authorized(req, res) ? b : Optional.empty();
  }
}
