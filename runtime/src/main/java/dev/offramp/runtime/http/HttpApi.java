package dev.offramp.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.offramp.runtime.control.RuntimeControl;
import dev.offramp.runtime.text.SafeText;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The HTTP API as plain methods: {@link #routing} registers {@code /}, {@code /api/status}, {@code
 * /api/results} (SSE), {@code PUT /api/profile}, {@code PUT /api/paused}, {@code PUT /api/budget};
 * {@link #healthChecks()} are the readiness and liveness checks {@code /observe/health} runs.
 * Stateless apart from the token read at construction; thread-safe.
 */
public final class HttpApi {
  private static final System.Logger LOG = System.getLogger(HttpApi.class.getName());
  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  private static final String PAGE = "index.html";

  private final Supplier<RuntimeStatus> status;
  private final RuntimeControl control;
  private final Readiness readiness;
  private final ResultStream results;
  private final Optional<byte[]> token;
  private final byte[] page;
  private final int maxBodyBytes;
  private final Map<String, Supplier<?>> statusSections =
      new java.util.concurrent.ConcurrentSkipListMap<>();
  private volatile Optional<BundleEndpoint> bundles = Optional.empty();

  /**
   * @param settings {@code token-file} is read here (first line); a missing or empty file is an
   *     error naming it
   * @param status a fresh status per {@code /api/status} request
   * @param control target of {@code PUT /api/profile} and {@code /api/paused}
   * @param readiness the conditions of {@code /observe/health/ready}
   * @param results the result fan-out that {@code /api/results} streams
   */
  public HttpApi(
      HttpSettings settings,
      Supplier<RuntimeStatus> status,
      RuntimeControl control,
      Readiness readiness,
      ResultStream results) {
    this.status = status;
    this.control = control;
    this.readiness = readiness;
    this.results = results;
    this.maxBodyBytes = settings.maxBodyBytes();
    this.token = settings.tokenFile().map(HttpApi::readToken);
    try (InputStream in = HttpApi.class.getResourceAsStream(PAGE)) {
      if (in == null) {
        throw new IllegalStateException(
            "classpath resource " + PAGE + " missing beside " + HttpApi.class);
      }
      this.page = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading the live page resource failed", e);
    }
  }

  private static byte[] readToken(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty() || lines.get(0).isBlank()) {
        throw new IllegalArgumentException(
            "http.token-file " + file + " is empty; put the bearer token on its first line");
      }
      return lines.get(0).strip().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "http.token-file: cannot read " + file + " (" + e + "); check the path and permissions",
          e);
    }
  }

  /**
   * Adds a section to {@code /api/status} (and the page's first state): key {@code name}, a fresh
   * value from {@code section} per request (e.g. the live audit's {@code audit} object).
   */
  public void addStatusSection(String name, Supplier<?> section) {
    statusSections.put(name, section);
  }

  private Object statusBody() {
    RuntimeStatus s = status.get();
    if (statusSections.isEmpty()) {
      return s;
    }
    com.fasterxml.jackson.databind.node.ObjectNode tree = JSON.valueToTree(s);
    statusSections.forEach((name, section) -> tree.set(name, JSON.valueToTree(section.get())));
    return tree;
  }

  /** Enables {@code PUT /api/bundle} and the rollback route; call before the server starts. */
  public void bundleEndpoint(BundleEndpoint endpoint) {
    bundles = Optional.of(endpoint);
  }

  /** Registers the API and page routes. */
  public void routing(HttpRouting.Builder r) {
    r.get("/", this::page)
        .get("/index.html", this::page)
        .get("/api/status", this::status)
        .get("/api/initial.js", this::initial)
        .get("/api/results", this::results)
        .put("/api/profile", this::putProfile)
        .put("/api/paused", this::putPaused)
        .put("/api/audit/clear", this::putAuditClear)
        .put("/api/budget", this::putBudget)
        .put("/api/bundle", this::putBundle)
        .put("/api/bundle/rollback", this::rollbackBundle)
        .post("/api/bundle/rollback", this::rollbackBundle);
  }

  /**
   * Liveness (pipeline and publisher threads go round) and readiness (bundle, capture, broker,
   * storage), for the observer.
   */
  public List<HealthCheck> healthChecks() {
    return List.of(
        check("offramp", HealthCheckType.LIVENESS, readiness.threadsAlive()::getAsBoolean),
        check("bundle", HealthCheckType.READINESS, readiness.bundleLoaded()::getAsBoolean),
        check("capture", HealthCheckType.READINESS, readiness.captureOnline()::getAsBoolean),
        check("broker", HealthCheckType.READINESS, readiness.brokerConnected()::getAsBoolean),
        storageCheck());
  }

  /** Whether every readiness condition holds now. */
  public boolean ready() {
    return readiness.bundleLoaded().getAsBoolean()
        && readiness.captureOnline().getAsBoolean()
        && readiness.brokerConnected().getAsBoolean()
        && readiness.storageProblem().get().isEmpty();
  }

  private static HealthCheck check(String name, HealthCheckType type, Supplier<Boolean> up) {
    return new HealthCheck() {
      @Override
      public HealthCheckType type() {
        return type;
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public HealthCheckResponse call() {
        return HealthCheckResponse.builder().status(up.get()).build();
      }
    };
  }

  private HealthCheck storageCheck() {
    return new HealthCheck() {
      @Override
      public HealthCheckType type() {
        return HealthCheckType.READINESS;
      }

      @Override
      public String name() {
        return "storage";
      }

      @Override
      public HealthCheckResponse call() {
        Optional<String> problem = readiness.storageProblem().get();
        HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(problem.isEmpty());
        problem.ifPresent(p -> b.detail("reason", "storage failing: " + p));
        return b.build();
      }
    };
  }

  private void page(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    res.send(page);
  }

  private void status(ServerRequest req, ServerResponse res) {
    sendJson(res, Status.OK_200, statusBody());
  }

  /**
   * The page's first state as a blocking script, so the page shows the latest result and status as
   * soon as it loads, before the event stream and the first poll answer.
   */
  private void initial(ServerRequest req, ServerResponse res) {
    try {
      String latest = results.latest().orElse("null");
      String js =
          "window.OFFRAMP_INITIAL = {\"status\": "
              + JSON.writeValueAsString(statusBody())
              + ", \"latest\": "
              + latest
              + "};\n";
      res.header(HeaderNames.CONTENT_TYPE, "text/javascript; charset=utf-8");
      res.header(HeaderNames.CACHE_CONTROL, "no-store");
      res.send(js.getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serialising the status failed", e);
    }
  }

  private void results(ServerRequest req, ServerResponse res) {
    if (!results.hasRoom()) {
      res.status(Status.SERVICE_UNAVAILABLE_503)
          .send("too many /api/results clients; raise http.max-sse-clients");
      return;
    }
    results.serve(res.sink(SseSink.TYPE));
  }

  private void putProfile(ServerRequest req, ServerResponse res) {
    Optional<String> value = authorizedValue(req, res, "profile");
    if (value.isEmpty()) {
      return;
    }
    try {
      control.setProfile(value.get());
    } catch (IllegalArgumentException e) {
      error(res, Status.BAD_REQUEST_400, e.getMessage());
      return;
    }
    sendJson(res, Status.OK_200, Map.of("profile", control.profile()));
  }

  private void putPaused(ServerRequest req, ServerResponse res) {
    Optional<String> value = authorizedValue(req, res, "paused");
    if (value.isEmpty()) {
      return;
    }
    String v = value.get().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      error(
          res,
          Status.BAD_REQUEST_400,
          "paused: expected true or false; found '" + SafeText.of(value.get()) + "'");
      return;
    }
    control.setPaused(Boolean.parseBoolean(v));
    sendJson(res, Status.OK_200, Map.of("paused", control.paused()));
  }

  private void putBudget(ServerRequest req, ServerResponse res) {
    Optional<String> value = authorizedValue(req, res, "budget");
    if (value.isEmpty()) {
      return;
    }
    try {
      control.setBudget(value.get());
    } catch (IllegalArgumentException e) {
      error(res, Status.BAD_REQUEST_400, e.getMessage());
      return;
    }
    sendJson(res, Status.OK_200, Map.of("budget", control.budgetOn() ? "on" : "off"));
  }

  private void putAuditClear(ServerRequest req, ServerResponse res) {
    Optional<String> value = authorizedValue(req, res, "audit", "clear");
    if (value.isEmpty()) {
      return;
    }
    if (!(control instanceof dev.offramp.runtime.control.ControlHub hub)) {
      error(res, Status.NOT_FOUND_404, "the live audit is not available in this server");
      return;
    }
    try {
      sendJson(res, Status.OK_200, Map.of("audit", hub.set("audit", value.get())));
    } catch (IllegalArgumentException e) {
      error(res, Status.BAD_REQUEST_400, e.getMessage());
    }
  }

  private Optional<String> authorizedValue(ServerRequest req, ServerResponse res, String name) {
    return authorizedValue(req, res, name, null);
  }

  /**
   * Installs a bundle archive (tar, tar.gz or zip of the bundle directory), streamed to the state
   * directory under its own limit, {@code bundle.max-upload-mb}; answers once it is swapped in
   * (200) or refused (413, 422), with the reason.
   */
  private void putBundle(ServerRequest req, ServerResponse res) {
    if (bundles.isEmpty()) {
      error(res, Status.NOT_FOUND_404, "bundle updates are not available in this run");
      return;
    }
    BundleEndpoint b = bundles.get();
    if (!authorized(req, res)) {
      return;
    }
    String declared = req.headers().first(HeaderNames.CONTENT_LENGTH).orElse("").strip();
    if (!declared.isEmpty() && overLimit(declared, b.maxUploadBytes())) {
      res.header(HeaderNames.CONNECTION, "close");
      error(
          res,
          Status.REQUEST_ENTITY_TOO_LARGE_413,
          "bundle archive too large: expected at most "
              + b.maxUploadBytes()
              + " bytes (bundle.max-upload-mb), found "
              + SafeText.of(declared, 40)
              + " bytes");
      return;
    }
    if (!req.content().hasEntity()) {
      error(
          res,
          Status.BAD_REQUEST_400,
          "expected a tar, tar.gz or zip of the bundle directory as the body; found none");
      return;
    }
    BundleEndpoint.Reply reply;
    try (InputStream in = req.content().inputStream()) {
      reply = b.upload(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the bundle upload failed", e);
    }
    if (reply.status() == 413) {
      res.header(HeaderNames.CONNECTION, "close");
    }
    sendJson(res, Status.create(reply.status()), reply.body());
  }

  private void rollbackBundle(ServerRequest req, ServerResponse res) {
    if (bundles.isEmpty()) {
      error(res, Status.NOT_FOUND_404, "bundle updates are not available in this run");
      return;
    }
    if (!authorized(req, res)) {
      return;
    }
    BundleEndpoint.Reply reply = bundles.get().rollback();
    sendJson(res, Status.create(reply.status()), reply.body());
  }

  /** The update state of the bundle for {@code /api/status}; empty when updates are off. */
  public Map<String, Object> bundleStatus() {
    return bundles.map(BundleEndpoint::status).orElse(Map.of());
  }

  /** Checks the bearer token; answers 403/401 itself and returns false when it does not pass. */
  private boolean authorized(ServerRequest req, ServerResponse res) {
    if (token.isEmpty()) {
      error(
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
      error(
          res,
          Status.UNAUTHORIZED_401,
          "missing or wrong bearer token (Authorization: Bearer <token>)");
      return false;
    }
    return true;
  }

  /**
   * Checks the bearer token and reads the value: a plain-text body, or JSON {@code {"<name>":
   * value}}. Answers 403/413/401/400 itself and returns empty when the request goes no further. A
   * body over {@code http.max-body-bytes} is refused from its Content-Length before the token is
   * checked, and a chunked one as soon as it passes the limit: no more than the limit is read.
   */
  private Optional<String> authorizedValue(
      ServerRequest req, ServerResponse res, String name, String whenEmpty) {
    String declared = req.headers().first(HeaderNames.CONTENT_LENGTH).orElse("").strip();
    if (token.isPresent() && !declared.isEmpty() && !declared.equals("0") && overLimit(declared)) {
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
        JsonNode n = JSON.readTree(body).get(name);
        body = n == null ? "" : n.asText();
      } catch (JsonProcessingException e) {
        error(
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
      error(
          res,
          Status.BAD_REQUEST_400,
          "expected the new " + name + " as the body, or {\"" + name + "\": …}");
      return Optional.empty();
    }
    return Optional.of(body);
  }

  /** Whether a Content-Length value is over the limit (or not a number at all). */
  private boolean overLimit(String contentLength) {
    return overLimit(contentLength, maxBodyBytes);
  }

  private static boolean overLimit(String contentLength, long limit) {
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
    error(
        res,
        Status.REQUEST_ENTITY_TOO_LARGE_413,
        "request body too large: expected at most "
            + maxBodyBytes
            + " bytes (http.max-body-bytes), found "
            + SafeText.of(found, 40)
            + "; send only the value, e.g. {\"profile\": \"<name>\"}");
  }

  private static void error(ServerResponse res, Status status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    if (status.code() >= 500) {
      LOG.log(Level.WARNING, "HTTP {0}: {1}", status.code(), message);
    }
    sendJson(res, status, m);
  }

  private static void sendJson(ServerResponse res, Status status, Object body) {
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
