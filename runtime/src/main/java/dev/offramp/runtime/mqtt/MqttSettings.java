package dev.offramp.runtime.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the MQTT publisher, parsed from the {@code mqtt:} section of the daemon config.
 * Immutable; the compact constructor validates. Build with {@link #builder(String, Path)}, which
 * holds every default, and override only the keys present in the file.
 *
 * <table>
 *   <caption>Config keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code broker-url}</td><td>{@code tcp://127.0.0.1:1883}</td>
 *       <td>broker URI, {@code tcp://HOST:PORT} or {@code ssl://HOST:PORT} (TLS, needs {@code
 *       tls-ca-file}); port 1..65535, checked at start-up</td></tr>
 *   <tr><td>{@code client-id}</td><td>{@code offramp-<device-id>}</td><td>MQTT client id</td></tr>
 *   <tr><td>{@code topic-prefix}</td><td>{@code offramp/<device-id>}</td>
 *       <td>prefix of every topic (no wildcards, no trailing slash)</td></tr>
 *   <tr><td>{@code result-qos}</td><td>1</td><td>QoS of {@code <prefix>/<camera>/result}, 0..2</td></tr>
 *   <tr><td>{@code username}</td><td>none</td><td>user name; authentication is off without it</td></tr>
 *   <tr><td>{@code password-file}</td><td>none</td>
 *       <td>file whose first line is the password (needs {@code username})</td></tr>
 *   <tr><td>{@code tls-ca-file}</td><td>none</td><td>PEM CA certificate(s) that sign the broker's
 *       certificate; required for {@code ssl://}</td></tr>
 *   <tr><td>{@code tls-cert-file}</td><td>none</td><td>PEM client certificate (chain), optional</td></tr>
 *   <tr><td>{@code tls-key-file}</td><td>none</td>
 *       <td>PEM PKCS#8 or PKCS#1 (RSA) / SEC1 (EC) private key of the client certificate</td></tr>
 *   <tr><td>{@code keep-alive}</td><td>30s</td><td>MQTT keep-alive interval</td></tr>
 *   <tr><td>{@code connect-timeout}</td><td>5s</td><td>time allowed for one connect attempt</td></tr>
 *   <tr><td>{@code reconnect-min-delay}</td><td>1s</td><td>first reconnect delay</td></tr>
 *   <tr><td>{@code reconnect-max-delay}</td><td>5s</td>
 *       <td>reconnect delay cap; the delay doubles from the minimum up to it (with the connect
 *       time-out, this bounds how late a returning broker is noticed: about 7 s)</td></tr>
 *   <tr><td>{@code stats-interval}</td><td>10s</td><td>period of {@code <prefix>/stats}; 0 = off</td></tr>
 *   <tr><td>{@code queue-capacity}</td><td>1024</td>
 *       <td>results in the in-memory hand-off from the pipeline to the publisher thread (overflow is
 *       dropped, counted {@code queue}); also what is held in memory while the store refuses
 *       writes</td></tr>
 *   <tr><td>{@code buffer-dir}</td><td>{@code <state-dir>/mqtt-buffer}</td>
 *       <td>directory of the store-and-forward store, {@code results.db} (SQLite, WAL); every result
 *       is stored before it is sent and kept until acknowledged</td></tr>
 *   <tr><td>{@code buffer-max-mb}</td><td>64</td>
 *       <td>store bound in MiB (also capped at 3/4 of the free disk); when full the oldest unsent
 *       results are dropped, counted {@code full}</td></tr>
 *   <tr><td>{@code buffer-fsync}</td><td>{@code periodic}</td>
 *       <td>{@code always}: SQLite {@code synchronous=FULL}; {@code periodic}: {@code NORMAL} and a
 *       checkpoint at most once a second; {@code never}: {@code OFF}. A process crash loses no
 *       committed result under any of them; they differ on a power cut</td></tr>
 * </table>
 *
 * <p>Durations are {@link Duration}s; runtime-core parses them from strings like {@code 30s}.
 *
 * @param brokerUrl {@code broker-url}
 * @param clientId {@code client-id}
 * @param topicPrefix {@code topic-prefix}
 * @param resultQos {@code result-qos}
 * @param username {@code username}
 * @param passwordFile {@code password-file}
 * @param tlsCaFile {@code tls-ca-file}
 * @param tlsCertFile {@code tls-cert-file}
 * @param tlsKeyFile {@code tls-key-file}
 * @param keepAlive {@code keep-alive}
 * @param connectTimeout {@code connect-timeout}
 * @param reconnectMinDelay {@code reconnect-min-delay}
 * @param reconnectMaxDelay {@code reconnect-max-delay}
 * @param statsInterval {@code stats-interval}
 * @param queueCapacity {@code queue-capacity}
 * @param bufferDir {@code buffer-dir}
 * @param bufferMaxMb {@code buffer-max-mb}
 * @param bufferFsync {@code buffer-fsync}
 */
public record MqttSettings(
    String brokerUrl,
    String clientId,
    String topicPrefix,
    int resultQos,
    Optional<String> username,
    Optional<Path> passwordFile,
    Optional<Path> tlsCaFile,
    Optional<Path> tlsCertFile,
    Optional<Path> tlsKeyFile,
    Duration keepAlive,
    Duration connectTimeout,
    Duration reconnectMinDelay,
    Duration reconnectMaxDelay,
    Duration statsInterval,
    int queueCapacity,
    Path bufferDir,
    int bufferMaxMb,
    FsyncPolicy bufferFsync) {

  /** When the disk buffer calls {@code fsync}; config values are the lower-case names. */
  public enum FsyncPolicy {
    /** After every buffered result: survives power loss, costs one disk flush per result. */
    ALWAYS,
    /** At most once a second and on close: a power cut loses at most about a second. */
    PERIODIC,
    /** Never explicitly: a process crash loses nothing, a power cut may lose what the OS held. */
    NEVER;

    /** Parses {@code always|periodic|never}, naming the allowed values when it fails. */
    public static FsyncPolicy parse(String value) {
      for (FsyncPolicy p : values()) {
        if (p.name().equalsIgnoreCase(value.strip())) {
          return p;
        }
      }
      throw new IllegalArgumentException(
          "mqtt.buffer-fsync: expected one of always, periodic, never; found '" + value + "'");
    }

    /** The config spelling. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public MqttSettings {
    Objects.requireNonNull(brokerUrl, "brokerUrl");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(passwordFile, "passwordFile");
    Objects.requireNonNull(tlsCaFile, "tlsCaFile");
    Objects.requireNonNull(tlsCertFile, "tlsCertFile");
    Objects.requireNonNull(tlsKeyFile, "tlsKeyFile");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(reconnectMinDelay, "reconnectMinDelay");
    Objects.requireNonNull(reconnectMaxDelay, "reconnectMaxDelay");
    Objects.requireNonNull(statsInterval, "statsInterval");
    Objects.requireNonNull(bufferDir, "bufferDir");
    Objects.requireNonNull(bufferFsync, "bufferFsync");
    String scheme = BrokerUrl.validate(brokerUrl);
    if (scheme.equals("ssl") && tlsCaFile.isEmpty()) {
      throw new IllegalArgumentException(
          "mqtt.broker-url is ssl:// but mqtt.tls-ca-file is not set; set it to the PEM file of the"
              + " CA that signed the broker's certificate");
    }
    if (scheme.equals("tcp") && (tlsCaFile.isPresent() || tlsCertFile.isPresent())) {
      throw new IllegalArgumentException(
          "mqtt.tls-* is set but mqtt.broker-url '" + brokerUrl + "' is tcp://; use ssl://");
    }
    if (tlsCertFile.isPresent() != tlsKeyFile.isPresent()) {
      throw new IllegalArgumentException(
          "mqtt.tls-cert-file and mqtt.tls-key-file go together; found only "
              + (tlsCertFile.isPresent() ? "tls-cert-file" : "tls-key-file"));
    }
    if (passwordFile.isPresent() && username.isEmpty()) {
      throw new IllegalArgumentException("mqtt.password-file is set but mqtt.username is not");
    }
    if (clientId.isBlank() || clientId.length() > 65535) {
      throw new IllegalArgumentException(
          "mqtt.client-id: expected a non-blank id; found '" + clientId + "'");
    }
    if (topicPrefix.isBlank()
        || topicPrefix.endsWith("/")
        || topicPrefix.contains("+")
        || topicPrefix.contains("#")) {
      throw new IllegalArgumentException(
          "mqtt.topic-prefix: expected a topic without wildcards (+, #) or trailing '/'; found '"
              + topicPrefix
              + "'");
    }
    if (resultQos < 0 || resultQos > 2) {
      throw new IllegalArgumentException("mqtt.result-qos: expected 0, 1 or 2; found " + resultQos);
    }
    requirePositive("keep-alive", keepAlive);
    requirePositive("connect-timeout", connectTimeout);
    requirePositive("reconnect-min-delay", reconnectMinDelay);
    if (reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
      throw new IllegalArgumentException(
          "mqtt.reconnect-max-delay ("
              + reconnectMaxDelay
              + ") is below mqtt.reconnect-min-delay ("
              + reconnectMinDelay
              + ")");
    }
    if (statsInterval.isNegative()) {
      throw new IllegalArgumentException(
          "mqtt.stats-interval: expected >= 0; found " + statsInterval);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException(
          "mqtt.queue-capacity: expected >= 1; found " + queueCapacity);
    }
    if (bufferMaxMb < 1) {
      throw new IllegalArgumentException("mqtt.buffer-max-mb: expected >= 1; found " + bufferMaxMb);
    }
  }

  private static void requirePositive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          "mqtt." + key + ": expected a positive duration; found " + d);
    }
  }

  /** Whether the connection uses TLS. */
  public boolean tls() {
    return brokerUrl.startsWith("ssl://");
  }

  /** Disk buffer bound in bytes. */
  public long bufferMaxBytes() {
    return bufferMaxMb * 1024L * 1024L;
  }

  /**
   * A builder holding every default.
   *
   * @param deviceId the daemon's device id (client id and topic prefix derive from it)
   * @param stateDir the daemon's state directory; the buffer lives in {@code mqtt-buffer} under it
   */
  public static Builder builder(String deviceId, Path stateDir) {
    return new Builder(deviceId, stateDir);
  }

  /** Mutable builder; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private String brokerUrl = "tcp://127.0.0.1:1883";
    private String clientId;
    private String topicPrefix;
    private int resultQos = 1;
    private Optional<String> username = Optional.empty();
    private Optional<Path> passwordFile = Optional.empty();
    private Optional<Path> tlsCaFile = Optional.empty();
    private Optional<Path> tlsCertFile = Optional.empty();
    private Optional<Path> tlsKeyFile = Optional.empty();
    private Duration keepAlive = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration reconnectMinDelay = Duration.ofSeconds(1);
    private Duration reconnectMaxDelay = Duration.ofSeconds(5);
    private Duration statsInterval = Duration.ofSeconds(10);
    private int queueCapacity = 1024;
    private Path bufferDir;
    private int bufferMaxMb = 64;
    private FsyncPolicy bufferFsync = FsyncPolicy.PERIODIC;

    private Builder(String deviceId, Path stateDir) {
      Objects.requireNonNull(deviceId, "deviceId");
      Objects.requireNonNull(stateDir, "stateDir");
      this.clientId = "offramp-" + deviceId;
      this.topicPrefix = "offramp/" + deviceId;
      this.bufferDir = stateDir.resolve("mqtt-buffer");
    }

    public Builder brokerUrl(String v) {
      brokerUrl = v;
      return this;
    }

    public Builder clientId(String v) {
      clientId = v;
      return this;
    }

    public Builder topicPrefix(String v) {
      topicPrefix = v;
      return this;
    }

    public Builder resultQos(int v) {
      resultQos = v;
      return this;
    }

    public Builder username(String v) {
      username = Optional.of(v);
      return this;
    }

    public Builder passwordFile(Path v) {
      passwordFile = Optional.of(v);
      return this;
    }

    public Builder tlsCaFile(Path v) {
      tlsCaFile = Optional.of(v);
      return this;
    }

    public Builder tlsCertFile(Path v) {
      tlsCertFile = Optional.of(v);
      return this;
    }

    public Builder tlsKeyFile(Path v) {
      tlsKeyFile = Optional.of(v);
      return this;
    }

    public Builder keepAlive(Duration v) {
      keepAlive = v;
      return this;
    }

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    public Builder reconnectMinDelay(Duration v) {
      reconnectMinDelay = v;
      return this;
    }

    public Builder reconnectMaxDelay(Duration v) {
      reconnectMaxDelay = v;
      return this;
    }

    public Builder statsInterval(Duration v) {
      statsInterval = v;
      return this;
    }

    public Builder queueCapacity(int v) {
      queueCapacity = v;
      return this;
    }

    public Builder bufferDir(Path v) {
      bufferDir = v;
      return this;
    }

    public Builder bufferMaxMb(int v) {
      bufferMaxMb = v;
      return this;
    }

    public Builder bufferFsync(FsyncPolicy v) {
      bufferFsync = v;
      return this;
    }

    /** Validates and builds. */
    public MqttSettings build() {
      return new MqttSettings(
          brokerUrl,
          clientId,
          topicPrefix,
          resultQos,
          username,
          passwordFile,
          tlsCaFile,
          tlsCertFile,
          tlsKeyFile,
          keepAlive,
          connectTimeout,
          reconnectMinDelay,
          reconnectMaxDelay,
          statsInterval,
          queueCapacity,
          bufferDir,
          bufferMaxMb,
          bufferFsync);
    }
  }
}
