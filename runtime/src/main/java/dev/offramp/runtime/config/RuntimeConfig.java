package dev.offramp.runtime.config;

import dev.offramp.runtime.audit.AuditSettings;
import dev.offramp.runtime.budget.BudgetSettings;
import dev.offramp.runtime.capture.SourceSettings;
import dev.offramp.runtime.energy.EnergySettings;
import dev.offramp.runtime.http.HttpSettings;
import dev.offramp.runtime.mqtt.MqttSettings;
import dev.offramp.runtime.pipeline.BundleSettings;
import dev.offramp.runtime.pipeline.ExecutionSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole daemon configuration: one validated record per component. Built by {@link
 * ConfigLoader}; the top-level keys are those read in {@link #parse(ConfigNode)}.
 *
 * @param deviceId the device id, an MQTT topic level ({@code offramp/<device-id>/…})
 * @param stateDir where state survives restarts (the MQTT offline buffer)
 * @param bundle the cascade bundle and profile
 * @param execution ONNX Runtime providers and threads
 * @param source the frame source
 * @param mqtt the MQTT publisher
 * @param http the HTTP server
 * @param energy energy attribution
 * @param audit the live audit of early answers
 * @param budget budget mode (off when no limit is set)
 */
public record RuntimeConfig(
    String deviceId,
    Path stateDir,
    BundleSettings bundle,
    ExecutionSettings execution,
    SourceSettings source,
    MqttSettings mqtt,
    HttpSettings http,
    EnergySettings energy,
    AuditSettings audit,
    BudgetSettings budget) {

  public RuntimeConfig {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(execution, "execution");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(mqtt, "mqtt");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(energy, "energy");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(budget, "budget");
  }

  /** A configuration without live audit settings (their defaults) and without budget mode. */
  public RuntimeConfig(
      String deviceId,
      Path stateDir,
      BundleSettings bundle,
      ExecutionSettings execution,
      SourceSettings source,
      MqttSettings mqtt,
      HttpSettings http,
      EnergySettings energy) {
    this(
        deviceId,
        stateDir,
        bundle,
        execution,
        source,
        mqtt,
        http,
        energy,
        AuditSettings.defaults(),
        BudgetSettings.off());
  }

  /** Parses the root of the configuration tree. The caller runs {@link ConfigNode#finish()}. */
  public static RuntimeConfig parse(ConfigNode root) {
    String deviceId = root.string("device-id", defaultDeviceId());
    if (!deviceId.matches("[A-Za-z0-9_-]+")) {
      throw root.error(
          "device-id",
          "expected letters, digits, '-' or '_' (an MQTT topic level)",
          "'" + deviceId + "'");
    }
    Path stateDir = root.path("state-dir", defaultStateDir());
    return new RuntimeConfig(
        deviceId,
        stateDir,
        BundleSettings.parse(root.section("bundle")),
        ExecutionSettings.parse(root.section("execution")),
        SourceSettings.parse(root.section("source")),
        parseMqtt(root.section("mqtt"), deviceId, stateDir),
        parseHttp(root.section("http")),
        parseEnergy(root.section("energy")),
        AuditSettings.parse(root.section("audit")),
        BudgetSettings.parse(root.section("budget")));
  }

  static MqttSettings parseMqtt(ConfigNode n, String deviceId, Path stateDir) {
    MqttSettings.Builder b = MqttSettings.builder(deviceId, stateDir);
    n.optionalString("broker-url").ifPresent(b::brokerUrl);
    n.optionalString("client-id").ifPresent(b::clientId);
    n.optionalString("topic-prefix").ifPresent(b::topicPrefix);
    b.resultQos(n.oneOf("result-qos", 1, 0, 1, 2));
    n.optionalString("username").ifPresent(b::username);
    n.optionalPath("password-file").ifPresent(b::passwordFile);
    n.optionalPath("tls-ca-file").ifPresent(b::tlsCaFile);
    n.optionalPath("tls-cert-file").ifPresent(b::tlsCertFile);
    n.optionalPath("tls-key-file").ifPresent(b::tlsKeyFile);
    b.keepAlive(n.duration("keep-alive", Duration.ofSeconds(30)));
    b.connectTimeout(n.duration("connect-timeout", Duration.ofSeconds(10)));
    b.reconnectMinDelay(n.duration("reconnect-min-delay", Duration.ofSeconds(1)));
    b.reconnectMaxDelay(n.duration("reconnect-max-delay", Duration.ofSeconds(30)));
    b.statsInterval(n.duration("stats-interval", Duration.ofSeconds(10)));
    b.queueCapacity(n.integer("queue-capacity", 1024, 1, 1 << 20));
    n.optionalPath("buffer-dir").ifPresent(b::bufferDir);
    b.bufferMaxMb(n.integer("buffer-max-mb", 64, 1, 1 << 20));
    b.bufferFsync(
        n.enumValue(
            "buffer-fsync", MqttSettings.FsyncPolicy.class, MqttSettings.FsyncPolicy.PERIODIC));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw n.invalid(e);
    }
  }

  static HttpSettings parseHttp(ConfigNode n) {
    HttpSettings d = HttpSettings.defaults();
    try {
      HttpSettings s =
          d.withHost(n.string("host", d.host()))
              .withPort(n.integer("port", d.port(), 0, 65535))
              .withSseQueue(n.integer("sse-queue", d.sseQueue(), 1, 1 << 16))
              .withMaxSseClients(n.integer("max-sse-clients", d.maxSseClients(), 1, 1024))
              .withEnabled(n.bool("enabled", d.enabled()))
              .withMaxBodyBytes(n.integer("max-body-bytes", d.maxBodyBytes(), 1, 64 << 20))
              .withSseStallMs(n.integer("sse-stall-ms", d.sseStallMs(), 100, 600_000));
      Optional<Path> token = n.optionalPath("token-file");
      return token.isPresent() ? s.withTokenFile(token.get()) : s;
    } catch (IllegalArgumentException e) {
      throw n.invalid(e);
    }
  }

  static EnergySettings parseEnergy(ConfigNode n) {
    EnergySettings d = EnergySettings.defaults();
    try {
      EnergySettings s =
          d.withMeter(n.enumValue("meter", EnergySettings.Meter.class, d.meter()))
              .withRoot(n.path("root", d.root()))
              .withPmicCommand(n.stringList("pmic-command", d.pmicCommand()))
              .withSampleInterval(n.duration("sample-interval", d.sampleInterval()))
              .withBoard(n.enumValue("board", EnergySettings.Board.class, d.board()));
      if (n.has("model-idle-watts")) {
        s = s.withModelIdleWatts(n.number("model-idle-watts", 0, 0, 1e4));
      }
      if (n.has("model-joules-per-mac")) {
        s = s.withModelJoulesPerMac(n.number("model-joules-per-mac", 0, 0, 1));
      }
      return s;
    } catch (IllegalArgumentException e) {
      throw n.invalid(e);
    }
  }

  /** The host name, made safe as a topic level; {@code offramp} when unknown. */
  static String defaultDeviceId() {
    String name = "";
    try {
      name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException | RuntimeException e) {
      // Not Linux, or no procfs: fall through to the default.
    }
    name = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    return name.isEmpty() ? "offramp" : name;
  }

  /** {@code $STATE_DIRECTORY} under systemd, else {@code ~/.local/state/offramp}. */
  static Path defaultStateDir() {
    String systemd = System.getenv("STATE_DIRECTORY");
    if (systemd != null && !systemd.isBlank()) {
      return Path.of(systemd.split(":")[0]);
    }
    return Path.of(System.getProperty("user.home"), ".local", "state", "offramp");
  }
}
