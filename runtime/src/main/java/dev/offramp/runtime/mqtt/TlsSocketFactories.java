package dev.offramp.runtime.mqtt;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Builds the {@link SSLSocketFactory} of a TLS broker connection from PEM files: CA certificates to
 * trust, and optionally a client certificate chain with its private key: PKCS#8 {@code PRIVATE
 * KEY}, PKCS#1 {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY} (an {@code EC PARAMETERS}
 * block before it is skipped). PEM and the key formats are read by BouncyCastle's {@link
 * PEMParser}; the keys become JDK keys through {@link JcaPEMKeyConverter}, so the JDK's TLS uses
 * them. Encrypted keys are refused with the {@code openssl} command that decrypts them. Stateless.
 */
public final class TlsSocketFactories {
  private static final String KEY = "mqtt.tls-key-file";

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
              KEY
                  + " "
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

  /** Every {@code CERTIFICATE} block of {@code file}, in order; other blocks are skipped. */
  static List<Certificate> certificates(Path file, String key) {
    List<Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser pem = new PEMParser(new StringReader(read(file, key)))) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          out.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
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

  /**
   * The first private key of {@code file}: PKCS#8, PKCS#1 RSA or SEC1 EC.
   *
   * @throws IllegalArgumentException naming {@code mqtt.tls-key-file}, the file and what to do
   */
  static PrivateKey privateKey(Path file) {
    String text = read(file, KEY);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser pem = new PEMParser(new StringReader(text))) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        switch (o) {
          case PrivateKeyInfo pkcs8 -> {
            return converter.getPrivateKey(pkcs8);
          }
          case PEMKeyPair pkcs1OrSec1 -> {
            return converter.getKeyPair(pkcs1OrSec1).getPrivate();
          }
          case PKCS8EncryptedPrivateKeyInfo e -> throw encrypted(file);
          case PEMEncryptedKeyPair e -> throw encrypted(file);
          default -> {
            // EC PARAMETERS and other blocks before the key
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException a && a.getMessage().startsWith(KEY)) {
        throw a;
      }
      if (blockTypes(text).contains("ENCRYPTED")) {
        throw encrypted(file);
      }
      throw new IllegalArgumentException(
          KEY
              + ": "
              + file
              + " holds a PEM block that is not a readable key ("
              + e.getMessage()
              + "; found "
              + blockTypes(text)
              + "); expected an unencrypted PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 RSA (BEGIN RSA"
              + " PRIVATE KEY) or SEC1 EC (BEGIN EC PRIVATE KEY) key: check the file is the"
              + " client key and was copied whole",
          e);
    }
    throw new IllegalArgumentException(
        KEY
            + ": expected a PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC"
            + " PRIVATE KEY) in "
            + file
            + "; found "
            + blockTypes(text));
  }

  private static IllegalArgumentException encrypted(Path file) {
    return new IllegalArgumentException(
        KEY
            + ": "
            + file
            + " is encrypted; store it unencrypted and readable only by the daemon: openssl"
            + " pkcs8 -topk8 -nocrypt -in "
            + file
            + " -out client.key");
  }

  /** The PEM block types in {@code text}, for an error message; "none" when there is none. */
  private static String blockTypes(String text) {
    List<String> types = new ArrayList<>();
    try (PemReader r = new PemReader((Reader) new StringReader(text))) {
      for (PemObject o = r.readPemObject(); o != null; o = r.readPemObject()) {
        types.add(o.getType());
      }
    } catch (IOException e) {
      types.add("unreadable PEM");
    }
    return types.isEmpty() ? "none" : String.join(", ", types);
  }
}
