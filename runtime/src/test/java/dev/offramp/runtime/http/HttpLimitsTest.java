package dev.offramp.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.runtime.control.ControlHub;
import dev.offramp.runtime.mqtt.Fixtures;
import dev.offramp.runtime.mqtt.Fixtures.FakeControl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection at the HTTP door, over real sockets: oversized bodies (declared and chunked),
 * hostile values echoed back, clients of the result stream that never read, and a port that cannot
 * be bound.
 */
class HttpLimitsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "s3cret";

  @TempDir Path dir;
  FakeControl control = new FakeControl("m0.02", "m0.05");
  ResultStream stream;
  OfframpHttpServer server;

  @BeforeEach
  void start() throws IOException {
    Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    HttpSettings settings =
        HttpSettings.defaults()
            .withPort(0)
            .withTokenFile(token)
            .withMaxSseClients(2)
            .withSseQueue(4)
            .withSseStallMs(300);
    stream = new ResultStream(settings);
    HttpApi api =
        new HttpApi(
            settings,
            () -> Apis.status("m0.02", Map.of()),
            new ControlHub(control),
            Apis.allReady(),
            stream);
    server = OfframpHttpServer.start(settings, api);
  }

  @AfterEach
  void stop() {
    stream.close();
    server.close();
  }

  /** {@code PUT /api/profile} of {@code value} (ASCII) with the token and its Content-Length. */
  private String putProfile(String value) throws IOException {
    String head =
        "PUT /api/profile HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + TOKEN
            + "\r\nContent-Length: "
            + value.length()
            + "\r\nConnection: close\r\n\r\n";
    return raw(head.getBytes(StandardCharsets.US_ASCII), value.getBytes(StandardCharsets.US_ASCII));
  }

  /** Sends raw request bytes and reads the whole answer (the server closes or 5 s pass). */
  private String raw(byte[] head, byte[] body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(head);
      try {
        out.write(body);
        out.flush();
      } catch (IOException e) {
        // The server may close before the whole body is sent: that is the point.
      }
      return readAnswer(s.getInputStream());
    }
  }

  private static String readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        got.write(buf, 0, n);
        String text = got.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end >= 0 && text.contains("}")) {
          break;
        }
      }
    } catch (IOException e) {
      // reset by the server after its answer
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  private static JsonNode body(String answer) throws IOException {
    return JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
  }

  @Test
  void bodyDeclaredAt300MegabytesIsRefusedWith413BeforeItIsRead() throws Exception {
    String head =
        "PUT /api/profile HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + TOKEN
            + "\r\nContent-Type: text/plain\r\nContent-Length: 314572800\r\n\r\n";
    String answer = raw(head.getBytes(StandardCharsets.US_ASCII), new byte[256 * 1024]);
    assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
    assertTrue(answer.toLowerCase().contains("connection: close"), answer);
    String error = body(answer).get("error").asText();
    assertTrue(error.contains("expected at most 65536 bytes (http.max-body-bytes)"), error);
    assertTrue(error.contains("found 314572800 bytes"), error);
    assertEquals("m0.02", control.profile(), "nothing changed");
  }

  @Test
  void chunkedBodyOverTheLimitIsRefusedWith413() throws Exception {
    String head =
        "PUT /api/profile HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + TOKEN
            + "\r\nTransfer-Encoding: chunked\r\n\r\n";
    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    byte[] chunk = new byte[16 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'a');
    for (int i = 0; i < 6; i++) {
      chunks.write(
          (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunks.write(chunk);
      chunks.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    chunks.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    String answer = raw(head.getBytes(StandardCharsets.US_ASCII), chunks.toByteArray());
    assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
    assertTrue(body(answer).get("error").asText().contains("over 65536 bytes (chunked)"), answer);
  }

  @Test
  void bodyJustUnderTheLimitIsStillRead() throws Exception {
    String value = "m0.05" + " ".repeat(65_536 - 5);
    String answer = putProfile(value);
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertEquals("m0.05", control.profile());
  }

  @Test
  void aHostileValueIsEchoedEscapedAndTruncated() throws Exception {
    String value = "evil\nINFO: forged log line" + "x".repeat(5_000);
    String answer = putProfile(value);
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    String error = body(answer).get("error").asText();
    assertTrue(error.startsWith("profile: expected one of ["), error);
    assertTrue(error.contains("found 'evil\\nINFO: forged log line"), error);
    assertFalse(error.contains("\n"), "no raw newline is echoed");
    assertTrue(error.contains("(4947 more characters)"), error);
    assertTrue(error.length() < 300, "echo is truncated: " + error.length());
  }

  @Test
  void streamClientsThatNeverReadAreDisconnectedSoOthersGetASlot() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()));
        s.getOutputStream()
            .write(
                "GET /api/results HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        stalled.add(s);
      }
      assertTrue(Fixtures.await(Duration.ofSeconds(5), () -> stream.clients() == 2));
      assertEquals(503, status("/api/results"), "both slots are taken");
      // Results keep coming; the two clients read none of them.
      long seq = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (stream.disconnected() < 2 && System.nanoTime() < deadline) {
        // Bursts: the socket buffers (megabytes on loopback) fill first, then the queues.
        for (int i = 0; i < 100; i++) {
          stream.accept(Fixtures.result("cam0", ++seq));
        }
        Thread.sleep(5);
      }
      assertEquals(2, stream.disconnected(), "after " + seq + " results");
      assertEquals(0, stream.clients());
      assertTrue(stream.dropped() > 0);
      for (Socket s : stalled) {
        assertTrue(closedByServer(s), "the stalled client's connection was closed");
      }
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
    }
    // A new client now gets a slot and the stream.
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(5_000);
      s.getOutputStream()
          .write(
              "GET /api/results HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertTrue(Fixtures.await(Duration.ofSeconds(5), () -> stream.clients() == 1));
      stream.accept(Fixtures.result("cam0", 99_999));
      String got = readUntil(s.getInputStream(), "\"seq\":99999");
      assertTrue(got.startsWith("HTTP/1.1 200"), got);
    }
  }

  private int status(String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(5_000);
      s.getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = readUntil(s.getInputStream(), "\r\n");
      return Integer.parseInt(answer.substring(9, 12));
    }
  }

  private static String readUntil(InputStream in, String marker) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    for (int n; (n = in.read(buf)) > 0; ) {
      got.write(buf, 0, n);
      if (got.toString(StandardCharsets.UTF_8).contains(marker)) {
        break;
      }
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  /** Reads what the server had sent until the end of the stream: true when it ends (EOF/reset). */
  private static boolean closedByServer(Socket s) throws IOException {
    s.setSoTimeout(5_000);
    InputStream in = s.getInputStream();
    byte[] buf = new byte[65536];
    try {
      while (in.read(buf) >= 0) {
        // drain what was queued before the close
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Test
  void aPortInUseStopsStartUpNamingHostAndPort() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      HttpSettings settings = HttpSettings.defaults().withPort(taken.getLocalPort());
      HttpApi api = Apis.api(settings, control, stream);
      UncheckedIOException e =
          Assertions.assertThrows(
              UncheckedIOException.class, () -> OfframpHttpServer.start(settings, api));
      assertTrue(
          e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " ("),
          e.getMessage());
      assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
      assertTrue(e.getMessage().contains("http.enabled: false"), e.getMessage());
    }
  }

  @Test
  void anAddressNotOnThisMachineStopsStartUp() {
    HttpSettings settings = HttpSettings.defaults().withHost("8.8.8.8").withPort(0);
    HttpApi api = Apis.api(settings, control, stream);
    UncheckedIOException e =
        Assertions.assertThrows(
            UncheckedIOException.class, () -> OfframpHttpServer.start(settings, api));
    assertTrue(e.getMessage().startsWith("cannot listen on 8.8.8.8:0 ("), e.getMessage());
    assertTrue(e.getMessage().contains("Cannot assign requested address"), e.getMessage());
  }
}
