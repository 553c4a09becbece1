package dev.offramp.runtime.mqtt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the {@link SSLSocketFactory} of a TLS broker connection from PEM files: CA certificates to
 * trust, and optionally a client certificate chain with its private key (PKCS#8 {@code PRIVATE
 * KEY}, or RSA PKCS#1 {@code RSA PRIVATE KEY}). Encrypted keys and SEC1 {@code EC PRIVATE KEY} are
 * refused with the {@code openssl} command that converts them. Stateless.
 */
public final class TlsSocketFactories {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");

  private TlsSocketFactories() {}

  /**
   * A TLS 1.2/1.3 socket factory trusting {@code caFile}, presenting the client certificate when
   * both {@code certFile} and {@code keyFile} are given.
   *
   * @throws IllegalArgumentException naming the file and what was wrong with it
   */
  public static SSLSocketFactory create(
      Path caFile, Optional<Path> certFile, Optional<Path> keyFile) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      List<Certificate> cas = certificates(caFile, "mqtt.tls-ca-file");
      for (int i = 0; i < cas.size(); i++) {
        trust.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (certFile.isPresent() && keyFile.isPresent()) {
        List<Certificate> chain = certificates(certFile.get(), "mqtt.tls-cert-file");
        PrivateKey key = privateKey(keyFile.get());
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        char[] pw = new char[0];
        try {
          ks.setKeyEntry("client", key, pw, chain.toArray(new Certificate[0]));
        } catch (GeneralSecurityException e) {
          throw new IllegalArgumentException(
              "mqtt.tls-key-file "
                  + keyFile.get()
                  + " does not match the certificate in mqtt.tls-cert-file "
                  + certFile.get()
                  + ": "
                  + e.getMessage(),
              e);
        }
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("MQTT TLS setup failed: " + e.getMessage(), e);
    }
  }

  private static String read(Path file, String key) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(key + ": file not found: " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException(key + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static List<Certificate> certificates(Path file, String key) {
    String text = read(file, key);
    List<Certificate> out = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Matcher m = PEM.matcher(text);
      while (m.find()) {
        if (m.group(1).equals("CERTIFICATE")) {
          Collection<? extends Certificate> cs =
              cf.generateCertificates(new ByteArrayInputStream(decode(m.group(2), file, key)));
          out.addAll(cs);
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          key + ": " + file + " holds a certificate that does not parse: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          key
              + ": expected PEM certificates (-----BEGIN CERTIFICATE-----) in "
              + file
              + "; found none");
    }
    return out;
  }

  static PrivateKey privateKey(Path file) {
    String key = "mqtt.tls-key-file";
    Matcher m = PEM.matcher(read(file, key));
    if (!m.find()) {
      throw new IllegalArgumentException(
          key
              + ": expected a PEM private key (-----BEGIN PRIVATE KEY-----) in "
              + file
              + "; found none");
    }
    String type = m.group(1);
    byte[] der = decode(m.group(2), file, key);
    byte[] pkcs8 =
        switch (type) {
          case "PRIVATE KEY" -> der;
          case "RSA PRIVATE KEY" -> wrapPkcs1Rsa(der);
          case "ENCRYPTED PRIVATE KEY" ->
              throw new IllegalArgumentException(
                  key
                      + ": "
                      + file
                      + " is encrypted; store it unencrypted and readable only by the daemon: openssl"
                      + " pkcs8 -topk8 -nocrypt -in "
                      + file
                      + " -out client.key");
          case "EC PRIVATE KEY" ->
              throw new IllegalArgumentException(
                  key
                      + ": "
                      + file
                      + " is a SEC1 EC key; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in "
                      + file
                      + " -out client.key");
          default ->
              throw new IllegalArgumentException(
                  key
                      + ": expected a PRIVATE KEY or RSA PRIVATE KEY PEM block in "
                      + file
                      + "; found "
                      + type);
        };
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
    for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(key + ": " + file + " is not an RSA, EC or EdDSA key");
  }

  private static byte[] decode(String base64, Path file, String key) {
    try {
      return Base64.getMimeDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          key + ": " + file + " has a PEM block that is not base64", e);
    }
  }

  /** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey: version 0, rsaEncryption, the key. */
  private static byte[] wrapPkcs1Rsa(byte[] pkcs1) {
    byte[] algId = {
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    byte[] version = {0x02, 0x01, 0x00};
    byte[] octet = der(0x04, pkcs1);
    byte[] body = new byte[version.length + algId.length + octet.length];
    System.arraycopy(version, 0, body, 0, version.length);
    System.arraycopy(algId, 0, body, version.length, algId.length);
    System.arraycopy(octet, 0, body, version.length + algId.length, octet.length);
    return der(0x30, body);
  }

  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    byte[] len;
    if (n < 0x80) {
      len = new byte[] {(byte) n};
    } else if (n < 0x100) {
      len = new byte[] {(byte) 0x81, (byte) n};
    } else if (n < 0x10000) {
      len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    } else {
      len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }
    byte[] out = new byte[1 + len.length + n];
    out[0] = (byte) tag;
    System.arraycopy(len, 0, out, 1, len.length);
    System.arraycopy(content, 0, out, 1 + len.length, n);
    return out;
  }
}
