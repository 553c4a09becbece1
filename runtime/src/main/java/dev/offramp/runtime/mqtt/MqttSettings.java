package dev.offramp.runtime.mqtt;

import dev.offramp.cascade.value.Required;
import dev.offramp.runtime.settings.ConfigException;
import dev.offramp.runtime.settings.ConfigNode;
import dev.offramp.runtime.settings.Require;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the MQTT publisher, parsed from the {@code mqtt:} section of the daemon config.
 * Immutable; the compact constructor validates. {@link #defaults(String, Path)} holds every default
 * (the only place they are written); {@link #parse} reads the section over them.
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
 * <p>Durations are {@link Duration}s, written with a unit such as {@code 30s}.
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
    NEVER
  }

  public MqttSettings {
    Required.nonNull(
        "brokerUrl, clientId, topicPrefix, username, passwordFile, tlsCaFile, tlsCertFile,"
            + " tlsKeyFile, keepAlive, connectTimeout, reconnectMinDelay, reconnectMaxDelay,"
            + " statsInterval, bufferDir, bufferFsync",
        brokerUrl,
        clientId,
        topicPrefix,
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
        bufferDir,
        bufferFsync);
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
    Require.positive("mqtt.keep-alive", keepAlive);
    Require.positive("mqtt.connect-timeout", connectTimeout);
    Require.positive("mqtt.reconnect-min-delay", reconnectMinDelay);
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
    Require.atLeast("mqtt.queue-capacity", queueCapacity, 1);
    Require.atLeast("mqtt.buffer-max-mb", bufferMaxMb, 1);
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
   * Every default: a local broker, QoS 1, no authentication or TLS, 30 s keep-alive, 5 s connect
   * time-out, reconnect 1 s doubling to 5 s, stats every 10 s, 1024 results in memory, a 64 MiB
   * store under the state directory, periodic fsync.
   *
   * @param deviceId the daemon's device id (client id and topic prefix derive from it)
   * @param stateDir the daemon's state directory; the store lives in {@code mqtt-buffer} under it
   */
  public static MqttSettings defaults(String deviceId, Path stateDir) {
    Objects.requireNonNull(deviceId, "deviceId");
    return new MqttSettings(
        "tcp://127.0.0.1:1883",
        "offramp-" + deviceId,
        "offramp/" + deviceId,
        1,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        1024,
        stateDir.resolve("mqtt-buffer"),
        64,
        FsyncPolicy.PERIODIC);
  }

  /**
   * Parses the {@code mqtt} section; absent keys keep {@link #defaults(String, Path)}.
   *
   * @throws ConfigException naming the key, what was expected and what was found
   */
  public static MqttSettings parse(ConfigNode n, String deviceId, Path stateDir) {
    MqttSettings d = defaults(deviceId, stateDir);
    String brokerUrl = n.string("broker-url", d.brokerUrl());
    String clientId = n.string("client-id", d.clientId());
    String topicPrefix = n.string("topic-prefix", d.topicPrefix());
    int resultQos = n.oneOf("result-qos", d.resultQos(), 0, 1, 2);
    Optional<String> username = n.optionalString("username");
    Optional<Path> passwordFile = n.optionalPath("password-file");
    Optional<Path> tlsCaFile = n.optionalPath("tls-ca-file");
    Optional<Path> tlsCertFile = n.optionalPath("tls-cert-file");
    Optional<Path> tlsKeyFile = n.optionalPath("tls-key-file");
    Duration keepAlive = n.duration("keep-alive", d.keepAlive());
    Duration connectTimeout = n.duration("connect-timeout", d.connectTimeout());
    Duration reconnectMinDelay = n.duration("reconnect-min-delay", d.reconnectMinDelay());
    Duration reconnectMaxDelay = n.duration("reconnect-max-delay", d.reconnectMaxDelay());
    Duration statsInterval = n.duration("stats-interval", d.statsInterval());
    int queueCapacity = n.integer("queue-capacity", d.queueCapacity(), 1, 1 << 20);
    Path bufferDir = n.path("buffer-dir", d.bufferDir());
    int bufferMaxMb = n.integer("buffer-max-mb", d.bufferMaxMb(), 1, 1 << 20);
    FsyncPolicy fsync = n.enumValue("buffer-fsync", FsyncPolicy.class, d.bufferFsync());
    try {
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
          fsync);
    } catch (IllegalArgumentException e) {
      throw n.invalid(e);
    }
  }
}
