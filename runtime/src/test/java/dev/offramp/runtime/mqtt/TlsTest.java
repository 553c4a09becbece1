package dev.offramp.runtime.mqtt;

import static dev.offramp.runtime.mqtt.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.mqtt.Fixtures.FakeControl;
import dev.offramp.runtime.testing.Records;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS from PEM files: clear errors for bad files, and a mutual-TLS connection to Mosquitto. */
class TlsTest {

  @Test
  void missingCaFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("nope.pem");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TlsSocketFactories.create(missing, Optional.empty(), Optional.empty()));
    assertTrue(e.getMessage().contains("mqtt.tls-ca-file"), e.getMessage());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void caFileWithoutCertificatesSaysWhatWasExpected(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "hello\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TlsSocketFactories.create(notPem, Optional.empty(), Optional.empty()));
    assertTrue(e.getMessage().contains("BEGIN CERTIFICATE"), e.getMessage());
  }

  @Test
  void encryptedKeyIsRefusedWithTheConversionCommand(@TempDir Path dir) throws Exception {
    Path key =
        Files.writeString(
            dir.resolve("k.pem"),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TlsSocketFactories.privateKey(key));
    assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
  }

  @Test
  void settingsRefuseSslWithoutACaAndACertWithoutAKey(@TempDir Path dir) {
    IllegalArgumentException noCa =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Records.with(MqttSettings.defaults("d", dir), "brokerUrl", "ssl://127.0.0.1:8883"));
    assertTrue(noCa.getMessage().contains("mqtt.tls-ca-file"), noCa.getMessage());
    IllegalArgumentException noKey =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Records.with(
                    MqttSettings.defaults("d", dir),
                    Map.of(
                        "brokerUrl", "ssl://127.0.0.1:8883",
                        "tlsCaFile", Optional.of(dir.resolve("ca.pem")),
                        "tlsCertFile", Optional.of(dir.resolve("c.pem")))));
    assertTrue(noKey.getMessage().contains("tls-key-file"), noKey.getMessage());
    IllegalArgumentException qos =
        assertThrows(
            IllegalArgumentException.class,
            () -> Records.with(MqttSettings.defaults("d", dir), "resultQos", 3));
    assertTrue(qos.getMessage().contains("0, 1 or 2"), qos.getMessage());
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
  }

  @Test
  void publishesOverMutualTlsWithAnRsaPkcs1ClientKey(@TempDir Path dir, @TempDir Path state)
      throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=test-ca",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem");
    openssl(
        dir,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        "san.ext",
        "-out",
        "server.pem");
    openssl(dir, "genrsa", "-traditional", "-out", "client.key", "2048");
    openssl(
        dir, "req", "-new", "-key", "client.key", "-subj", "/CN=offramp-dev", "-out", "client.csr");
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        "client.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-out",
        "client.pem");
    assertTrue(Files.readString(dir.resolve("client.key")).contains("BEGIN RSA PRIVATE KEY"));

    String conf =
        "listener ${port} 127.0.0.1\nallow_anonymous true\ncafile "
            + dir.resolve("ca.pem")
            + "\ncertfile "
            + dir.resolve("server.pem")
            + "\nkeyfile "
            + dir.resolve("server.key")
            + "\nrequire_certificate true\n";
    try (Mosquitto broker = new Mosquitto(dir.resolve("broker"), conf).start()) {
      MqttSettings s =
          Records.with(
              MqttPublisherTest.settings(broker.url(), "dev-tls", state),
              Map.of(
                  "brokerUrl", "ssl://127.0.0.1:" + broker.port(),
                  "tlsCaFile", Optional.of(dir.resolve("ca.pem")),
                  "tlsCertFile", Optional.of(dir.resolve("client.pem")),
                  "tlsKeyFile", Optional.of(dir.resolve("client.key"))));
      assertNotNull(TlsSocketFactories.privateKey(dir.resolve("client.key")));
      try (MqttPublisher pub = MqttPublisher.start(s, new FakeControl("p"), Map::of)) {
        assertTrue(await(Duration.ofSeconds(10), pub::connected), "connected over TLS");
        pub.accept(Fixtures.result("cam0", 1));
        assertTrue(await(Duration.ofSeconds(10), () -> pub.published() == 1));
      }
    }
  }
}
