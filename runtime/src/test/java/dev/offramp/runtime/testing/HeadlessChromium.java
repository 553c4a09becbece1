package dev.offramp.runtime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium driven over the DevTools protocol (a WebSocket from {@code
 * java.net.http}), for page tests that must watch a page change over time, which {@code --dump-dom}
 * (one snapshot at the load event) cannot. One page; calls from one thread. {@link #close()} ends
 * the browser.
 */
public final class HeadlessChromium implements AutoCloseable {
  /** Debian's chromium. */
  public static final Path BINARY = Path.of("/usr/bin/chromium");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final WebSocket socket;
  private final BlockingQueue<JsonNode> messages;
  private int nextId;

  private HeadlessChromium(Process process, WebSocket socket, BlockingQueue<JsonNode> messages) {
    this.process = process;
    this.socket = socket;
    this.messages = messages;
  }

  public static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Starts Chromium with a fresh profile in {@code profileDir} and opens {@code url}.
   *
   * @throws IllegalStateException when the browser does not come up within 60 s
   */
  public static HeadlessChromium open(String url, Path profileDir) throws Exception {
    Files.createDirectories(profileDir);
    Process p =
        new ProcessBuilder(
                command(
                    profileDir,
                    "--window-size=900,700",
                    "--remote-debugging-port=0",
                    "about:blank"))
            .redirectErrorStream(true)
            .redirectOutput(profileDir.resolve("chromium.log").toFile())
            .start();
    try {
      String pageSocket = pageSocket(p, profileDir);
      BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(URI.create(pageSocket), new Collector(queue))
              .get(20, TimeUnit.SECONDS);
      HeadlessChromium c = new HeadlessChromium(p, ws, queue);
      c.call("Page.navigate", JSON.createObjectNode().put("url", url));
      return c;
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /**
   * The command line of a quiet headless Chromium (no sandbox, GPU, network chatter or first-run
   * screens) with its profile in {@code profileDir}, then {@code args}.
   */
  public static List<String> command(Path profileDir, String... args) {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profileDir));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Finds the DevTools WebSocket of the browser's page from the port Chromium writes down. */
  private static String pageSocket(Process p, Path profileDir) throws Exception {
    Path portFile = profileDir.resolve("DevToolsActivePort");
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "chromium exited "
                + p.exitValue()
                + ": "
                + Files.readString(profileDir.resolve("chromium.log")));
      }
      List<String> lines = Files.exists(portFile) ? Files.readAllLines(portFile) : List.of();
      if (!lines.isEmpty() && !lines.get(0).isBlank()) {
        String list =
            http.send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + lines.get(0).strip() + "/json/list"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        for (JsonNode target : JSON.readTree(list)) {
          if ("page".equals(target.path("type").asText())
              && target.path("url").asText().startsWith("about:blank")) {
            return target.path("webSocketDebuggerUrl").asText();
          }
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("chromium did not open its DevTools port within 60 s");
  }

  /** The value of a JavaScript expression in the page, as a string. */
  public String evaluate(String expression) throws Exception {
    JsonNode r =
        call(
            "Runtime.evaluate",
            JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
    if (r.has("exceptionDetails")) {
      throw new AssertionError(
          "`" + expression + "` threw in the page: " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value").asText();
  }

  private JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ++nextId;
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params);
    socket.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      JsonNode m = messages.poll(100, TimeUnit.MILLISECONDS);
      if (m != null && m.path("id").asInt(-1) == id) {
        if (m.has("error")) {
          throw new IllegalStateException(method + " failed: " + m.get("error"));
        }
        return m.path("result");
      }
    }
    throw new IllegalStateException(method + ": no answer from chromium within 20 s");
  }

  @Override
  public void close() throws InterruptedException {
    socket.abort();
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** Collects whole DevTools messages (a message may come in several frames). */
  private static final class Collector implements WebSocket.Listener {
    private final BlockingQueue<JsonNode> queue;
    private final StringBuilder partial = new StringBuilder();

    Collector(BlockingQueue<JsonNode> queue) {
      this.queue = queue;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          queue.add(JSON.readTree(partial.toString()));
        } catch (IOException e) {
          throw new IllegalStateException("DevTools sent a message that is not JSON", e);
        } finally {
          partial.setLength(0);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
