package dev.offramp.runtime.mqtt;

import static dev.offramp.runtime.mqtt.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.mqtt.Fixtures.FakeControl;
import dev.offramp.runtime.testing.Records;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS from PEM files: clear errors for bad files, and mutual-TLS connections to Mosquitto. */
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
  void aDamagedKeyIsRefusedNamingTheSettingTheFileAndTheFormatsRead(@TempDir Path dir)
      throws Exception {
    Path key =
        Files.writeString(
            dir.resolve("k.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TlsSocketFactories.privateKey(key));
    assertTrue(e.getMessage().startsWith("mqtt.tls-key-file: " + key), e.getMessage());
    assertTrue(e.getMessage().contains("BEGIN EC PRIVATE KEY"), e.getMessage());
    Path cert =
        Files.writeString(
            dir.resolve("c.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    IllegalArgumentException c =
        assertThrows(IllegalArgumentException.class, () -> TlsSocketFactories.privateKey(cert));
    assertTrue(c.getMessage().contains("found CERTIFICATE"), c.getMessage());
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

  @Test
  void publishesOverMutualTlsWithAnRsaPkcs1ClientKey(@TempDir Path dir, @TempDir Path state)
      throws Exception {
    Path key = Pki.in(dir).clientKey("genrsa", "-traditional", "-out", "client.key", "2048");
    assertTrue(Files.readString(key).contains("BEGIN RSA PRIVATE KEY"));
    assertInstanceOf(RSAPrivateKey.class, TlsSocketFactories.privateKey(key));
    publishesOverMutualTls(dir, state, key);
  }

  @Test
  void publishesOverMutualTlsWithASec1EcClientKey(@TempDir Path dir, @TempDir Path state)
      throws Exception {
    // Without -noout, openssl writes an EC PARAMETERS block before the key: it is skipped.
    Path key =
        Pki.in(dir).clientKey("ecparam", "-name", "prime256v1", "-genkey", "-out", "client.key");
    String pem = Files.readString(key);
    assertTrue(pem.contains("BEGIN EC PARAMETERS") && pem.contains("BEGIN EC PRIVATE KEY"), pem);
    assertInstanceOf(ECPrivateKey.class, TlsSocketFactories.privateKey(key));
    publishesOverMutualTls(dir, state, key);
  }

  /** A broker requiring client certificates; one result published with {@code key}'s cert. */
  private static void publishesOverMutualTls(Path dir, Path state, Path key) throws Exception {
    Pki pki = Pki.in(dir);
    pki.openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=offramp-dev", "-out", "c.csr");
    pki.sign("c.csr", "client.pem");
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
                  "tlsKeyFile", Optional.of(key)));

      try (MqttPublisher pub = MqttPublisher.start(s, new FakeControl("p"), Map::of)) {
        assertTrue(await(Duration.ofSeconds(10), pub::connected), "connected over TLS");
        pub.accept(Fixtures.result("cam0", 1));
        assertTrue(await(Duration.ofSeconds(10), () -> pub.published() == 1));
      }
    }
  }

  /** A test CA with a server certificate for 127.0.0.1, made by {@code openssl} in {@code dir}. */
  private record Pki(Path dir) {
    static Pki in(Path dir) throws Exception {
      Assumptions.assumeTrue(
          Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
      Pki pki = new Pki(dir);
      if (!Files.exists(dir.resolve("ca.pem"))) {
        String rsa = "-newkey rsa:2048 -nodes -days 1 ";
        pki.openssl((rsa + "-x509 -subj /CN=test-ca -keyout ca.key -out ca.pem").split(" "));
        pki.openssl((rsa + "-subj /CN=127.0.0.1 -keyout server.key -out server.csr").split(" "));
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        pki.sign("server.csr", "server.pem", "-extfile", "san.ext");
      }
      return pki;
    }

    /** Runs {@code openssl <args>} and returns {@code client.key}. */
    Path clientKey(String... args) throws Exception {
      openssl(args);
      return dir.resolve("client.key");
    }

    void sign(String csr, String out, String... extra) throws Exception {
      List<String> args = new ArrayList<>(List.of("x509", "-req", "-in", csr, "-CA", "ca.pem"));
      args.addAll(List.of("-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-out", out));
      args.addAll(List.of(extra));
      openssl(args.toArray(String[]::new));
    }

    /** Runs {@code openssl <args>} in the directory; a leading {@code -newkey} means req. */
    void openssl(String... args) throws Exception {
      List<String> cmd = new ArrayList<>(List.of("openssl"));
      if (args[0].equals("-newkey")) {
        cmd.add("req");
      }
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }
  }
}
