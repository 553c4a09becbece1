package dev.offramp.runtime.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 signatures over a bundle's {@code manifest.json} (which pins every stage file by
 * SHA-256): the signature is {@code manifest.json.sig} beside it, 64 raw bytes or their base64. The
 * public key is a PEM {@code PUBLIC KEY} (what {@code openssl pkey -pubout} writes). Uses the JDK's
 * own Ed25519; stateless.
 */
final class ManifestSignature {
  /** The signature file's name inside a bundle directory. */
  static final String FILE = "manifest.json.sig";

  private ManifestSignature() {}

  /**
   * Reads a PEM Ed25519 public key.
   *
   * @throws IllegalArgumentException naming the file when it is not one
   */
  static PublicKey readPublicKey(Path pem) {
    try {
      String text = Files.readString(pem, StandardCharsets.US_ASCII);
      int begin = text.indexOf("-----BEGIN PUBLIC KEY-----");
      int end = text.indexOf("-----END PUBLIC KEY-----");
      if (begin < 0 || end < begin) {
        throw new IllegalArgumentException(
            "bundle.public-key: expected a PEM 'PUBLIC KEY' in "
                + pem
                + "; found none. Write it with: openssl pkey -in key.pem -pubout -out pub.pem");
      }
      String b64 = text.substring(begin + 26, end).replaceAll("\\s", "");
      byte[] der = Base64.getDecoder().decode(b64);
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "bundle.public-key: cannot read " + pem + " (" + e.getMessage() + ")", e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith("bundle.")) {
        throw iae;
      }
      throw new IllegalArgumentException(
          "bundle.public-key: "
              + pem
              + " is not an Ed25519 public key ("
              + e.getMessage()
              + "); generate one with: openssl genpkey -algorithm ed25519",
          e);
    }
  }

  /**
   * Checks {@code dir/manifest.json.sig} against {@code dir/manifest.json}.
   *
   * @throws BundleUpdateException when the signature is missing, malformed or does not verify
   */
  static void verify(PublicKey key, Path dir) {
    Path sigFile = dir.resolve(FILE);
    if (!Files.isRegularFile(sigFile)) {
      throw new BundleUpdateException(
          "signature: expected "
              + FILE
              + " beside manifest.json (bundle.public-key is set); found none. Sign the manifest:"
              + " openssl pkeyutl -sign -rawin -inkey key.pem -in manifest.json -out "
              + FILE);
    }
    try {
      byte[] raw = Files.readAllBytes(sigFile);
      byte[] sig;
      if (raw.length == 64) {
        sig = raw;
      } else {
        try {
          sig =
              Base64.getDecoder()
                  .decode(new String(raw, StandardCharsets.US_ASCII).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
          sig = new byte[0];
        }
      }
      if (sig.length != 64) {
        throw new BundleUpdateException(
            "signature: expected 64 bytes (raw or base64) in "
                + FILE
                + "; found "
                + raw.length
                + " bytes that are neither");
      }
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(Files.readAllBytes(dir.resolve("manifest.json")));
      if (!verifier.verify(sig)) {
        throw new BundleUpdateException(
            "signature: "
                + FILE
                + " does not verify against manifest.json with bundle.public-key; the manifest"
                + " was changed after signing or signed with another key. Sign it again with the"
                + " key whose public half is configured");
      }
    } catch (IOException e) {
      throw new BundleUpdateException("signature: cannot read it (" + e.getMessage() + ")", e);
    } catch (GeneralSecurityException e) {
      throw new BundleUpdateException("signature: cannot be checked (" + e.getMessage() + ")", e);
    }
  }
}
