package dev.offramp.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.runtime.bundle.BundleEndpoint;
import dev.offramp.runtime.control.ControlHub;
import dev.offramp.runtime.control.RuntimeControl;
import dev.offramp.runtime.text.SafeText;
import io.helidon.health.HealthCheck;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP API as plain methods: {@link #routing} registers {@code /}, {@code /api/status}, {@code
 * /api/results} (SSE), {@code PUT /api/profile}, {@code PUT /api/paused}, {@code PUT /api/budget};
 * {@link #healthChecks()} are the readiness and liveness checks {@code /observe/health} runs.
 * Stateless apart from the token read at construction; thread-safe.
 */
public final class HttpApi {
  private static final ObjectMapper JSON = Replies.JSON;
  private static final String PAGE = "index.html";

  private final Supplier<RuntimeStatus> status;
  private final RuntimeControl control;
  private final Readiness readiness;
  private final ResultStream results;
  private final BearerGate gate;
  private final BundleRoutes bundles;
  private final byte[] page;
  private final Map<String, Supplier<?>> statusSections =
      new java.util.concurrent.ConcurrentSkipListMap<>();

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
    this.gate = new BearerGate(settings);
    this.bundles = new BundleRoutes(gate);
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
    bundles.endpoint(endpoint);
  }

  /** Registers the API and page routes. */
  public void routing(HttpRouting.Builder r) {
    r.get("/", this::page)
        .get("/index.html", this::page)
        .get("/api/status", this::status)
        .get("/api/initial.js", this::initial)
        .get("/api/results", this::results)
        .put("/api/profile", putSwitch("profile", null, this::setProfile))
        .put("/api/paused", putSwitch("paused", null, this::setPaused))
        .put("/api/audit/clear", putSwitch("audit", "clear", this::clearAudit))
        .put("/api/budget", putSwitch("budget", null, this::setBudget))
        .put("/api/bundle", bundles::put)
        .put("/api/bundle/rollback", bundles::rollback)
        .post("/api/bundle/rollback", bundles::rollback);
  }

  /**
   * Liveness (pipeline and publisher threads go round) and readiness (bundle, capture, broker,
   * storage), for the observer.
   */
  public List<HealthCheck> healthChecks() {
    return HealthChecks.of(readiness);
  }

  /** Whether every readiness condition holds now. */
  public boolean ready() {
    return readiness.bundleLoaded().getAsBoolean()
        && readiness.captureOnline().getAsBoolean()
        && readiness.brokerConnected().getAsBoolean()
        && readiness.storageProblem().get().isEmpty();
  }

  private void page(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    res.send(page);
  }

  private void status(ServerRequest req, ServerResponse res) {
    Replies.json(res, Status.OK_200, statusBody());
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

  /**
   * A PUT of one switch: the value read through the gate, applied, and the applied value answered
   * as {@code {"<name>": value}}; 400 with the reason when the value is refused, 404 when this
   * server lacks the switch.
   */
  private Handler putSwitch(String name, String whenEmpty, Function<String, Object> apply) {
    return (req, res) -> {
      Optional<String> value = gate.authorizedValue(req, res, name, whenEmpty);
      if (value.isEmpty()) {
        return;
      }
      try {
        Replies.json(res, Status.OK_200, Map.of(name, apply.apply(value.get())));
      } catch (IllegalArgumentException e) {
        Replies.error(res, Status.BAD_REQUEST_400, e.getMessage());
      } catch (UnsupportedOperationException e) {
        Replies.error(res, Status.NOT_FOUND_404, e.getMessage());
      }
    };
  }

  private Object setProfile(String value) {
    control.setProfile(value);
    return control.profile();
  }

  private Object setPaused(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(
          "paused: expected true or false; found '" + SafeText.of(value) + "'");
    }
    control.setPaused(Boolean.parseBoolean(v));
    return control.paused();
  }

  private Object setBudget(String value) {
    control.setBudget(value);
    return control.budgetOn() ? "on" : "off";
  }

  private Object clearAudit(String value) {
    if (!(control instanceof ControlHub hub)) {
      throw new UnsupportedOperationException(
          "the live audit is not available in this server: it runs only in the daemon"
              + " (offramp run), whose control hub owns it");
    }
    return hub.set("audit", value);
  }

  /** The update state of the bundle for {@code /api/status}; empty when updates are off. */
  public Map<String, Object> bundleStatus() {
    return bundles.status();
  }
}
