package dev.offramp.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Test fixture: a GET against an in-process daemon's HTTP port on loopback. */
public final class LocalHttp {
  private LocalHttp() {}

  /** The body of {@code GET http://127.0.0.1:<port><path>}; fails unless the answer is 200. */
  public static String get(int port, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }
}
