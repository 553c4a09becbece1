package dev.offramp.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.offramp.runtime.text.SafeText;
import dev.offramp.runtime.text.SecretFiles;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The door of every state change: the bearer token ({@code http.token-file}) and the bounded read
 * of a request's value ({@code http.max-body-bytes}). Answers 403/401/413/400 itself. Immutable
 * after construction; thread-safe.
 */
final class BearerGate {
  private final Optional<byte[]> token;
  private final int maxBodyBytes;

  /**
   * @throws IllegalArgumentException when the token file is missing, unreadable or empty (named)
   */
  BearerGate(HttpSettings settings) {
    this.maxBodyBytes = settings.maxBodyBytes();
    this.token = settings.tokenFile().map(BearerGate::readToken);
  }

  private static byte[] readToken(Path file) {
    return SecretFiles.firstLine(file, "http.token-file", "bearer token", true)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Checks the bearer token; answers 403/401 itself and returns false when it does not pass. */
  boolean authorized(ServerRequest req, ServerResponse res) {
    if (token.isEmpty()) {
      Replies.error(
          res,
          Status.FORBIDDEN_403,
          "state changes are disabled: set http.token-file to a file holding a bearer token and"
              + " restart");
      return false;
    }
    String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    byte[] given =
        auth.regionMatches(true, 0, "Bearer ", 0, 7)
            ? auth.substring(7).strip().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    if (!MessageDigest.isEqual(given, token.get())) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"offramp\"");
      Replies.error(
          res,
          Status.UNAUTHORIZED_401,
          "missing or wrong bearer token (Authorization: Bearer <token>)");
      return false;
    }
    return true;
  }

  /**
   * Checks the bearer token and reads the value: a plain-text body, or JSON {@code {"<name>":
   * value}}; {@code whenEmpty} (may be null) stands for an empty body. Answers 403/413/401/400
   * itself and returns empty when the request goes no further. A body over {@code
   * http.max-body-bytes} is refused from its Content-Length before the token is checked, and a
   * chunked one as soon as it passes the limit: no more than the limit is read.
   */
  Optional<String> authorizedValue(
      ServerRequest req, ServerResponse res, String name, String whenEmpty) {
    String declared = req.headers().first(HeaderNames.CONTENT_LENGTH).orElse("").strip();
    if (token.isPresent()
        && !declared.isEmpty()
        && !declared.equals("0")
        && overLimit(declared, maxBodyBytes)) {
      refuseTooLarge(res, declared + " bytes");
      return Optional.empty();
    }
    if (!authorized(req, res)) {
      return Optional.empty();
    }
    Optional<String> read = readBounded(req);
    if (read.isEmpty()) {
      refuseTooLarge(res, "over " + maxBodyBytes + " bytes (chunked)");
      return Optional.empty();
    }
    String body = read.get().strip();
    if (body.startsWith("{")) {
      try {
        JsonNode n = Replies.JSON.readTree(body).get(name);
        body = n == null ? "" : n.asText();
      } catch (JsonProcessingException e) {
        Replies.error(
            res,
            Status.BAD_REQUEST_400,
            "body is not JSON: " + SafeText.of(String.valueOf(e.getOriginalMessage()), 200));
        return Optional.empty();
      }
    }
    if (body.isEmpty() && whenEmpty != null) {
      return Optional.of(whenEmpty);
    }
    if (body.isEmpty()) {
      Replies.error(
          res,
          Status.BAD_REQUEST_400,
          "expected the new " + name + " as the body, or {\"" + name + "\": …}");
      return Optional.empty();
    }
    return Optional.of(body);
  }

  /** Whether a Content-Length value is over {@code limit} (or not a number at all). */
  static boolean overLimit(String contentLength, long limit) {
    try {
      return Long.parseLong(contentLength) > limit;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** The body as UTF-8, or empty when it has more than {@code maxBodyBytes} bytes. */
  private Optional<String> readBounded(ServerRequest req) {
    if (!req.content().hasEntity()) {
      return Optional.of("");
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] bytes = in.readNBytes(maxBodyBytes + 1);
      if (bytes.length > maxBodyBytes) {
        return Optional.empty();
      }
      return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("reading the request body failed", e);
    }
  }

  private void refuseTooLarge(ServerResponse res, String found) {
    // The rest of the body is never read: close the connection rather than drain it.
    res.header(HeaderNames.CONNECTION, "close");
    Replies.error(
        res,
        Status.REQUEST_ENTITY_TOO_LARGE_413,
        "request body too large: expected at most "
            + maxBodyBytes
            + " bytes (http.max-body-bytes), found "
            + SafeText.of(found, 40)
            + "; send only the value, e.g. {\"profile\": \"<name>\"}");
  }
}
