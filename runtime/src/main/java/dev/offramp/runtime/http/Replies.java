package dev.offramp.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.util.Map;

/** How every API answer is written: JSON bodies, errors as {@code {"error": ...}}. Stateless. */
final class Replies {
  private static final System.Logger LOG = System.getLogger(Replies.class.getName());

  /** The API's JSON mapper: snake_case names, as the status document has always used. */
  static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private Replies() {}

  /** Answers {@code {"error": message}}; a 5xx is logged too. */
  static void error(ServerResponse res, Status status, String message) {
    if (status.code() >= 500) {
      LOG.log(Level.WARNING, "HTTP {0}: {1}", status.code(), message);
    }
    json(res, status, Map.of("error", message));
  }

  /** Answers {@code body} as JSON. */
  static void json(ServerResponse res, Status status, Object body) {
    try {
      res.status(status);
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      res.send(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "serialising " + body.getClass().getSimpleName() + " failed", e);
    }
  }
}
