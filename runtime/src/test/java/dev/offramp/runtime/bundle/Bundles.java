package dev.offramp.runtime.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.cascade.testing.TestNets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test bundles for updates: real stage graphs from the cascade test-jar, renamed and signed. */
final class Bundles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Bundles() {}

  /** A fresh Ed25519 key pair. */
  static KeyPair keyPair() throws GeneralSecurityException {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  /** Writes the public half as PEM, as {@code openssl pkey -pubout} does. */
  static Path writePublicKey(KeyPair pair, Path file) throws IOException {
    String b64 =
        Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPublic().getEncoded());
    return Files.writeString(
        file, "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n");
  }

  /** A valid bundle of {@code net} in {@code dir}, its manifest renamed to {@code name}. */
  static Path write(Path dir, TestNets net, String name) throws IOException {
    TestBundles.write(Files.createDirectories(dir), net);
    rename(dir, name);
    return dir;
  }

  static void rename(Path dir, String name) throws IOException {
    Path manifest = dir.resolve("manifest.json");
    ObjectNode tree = (ObjectNode) JSON.readTree(manifest.toFile());
    tree.put("name", name);
    JSON.writerWithDefaultPrettyPrinter().writeValue(manifest.toFile(), tree);
  }

  /** Signs {@code dir/manifest.json} into {@code manifest.json.sig} (base64). */
  static void sign(Path dir, PrivateKey key) throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(key);
    s.update(Files.readAllBytes(dir.resolve("manifest.json")));
    Files.writeString(
        dir.resolve("manifest.json.sig"), Base64.getEncoder().encodeToString(s.sign()) + "\n");
  }

  /** {@code tar -C dir -cf out .}, with the system's tar. */
  static Path tar(Path dir, Path out) throws Exception {
    Process p =
        new ProcessBuilder(List.of("tar", "-C", dir.toString(), "-cf", out.toString(), "."))
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("tar failed: " + log);
    }
    return out;
  }

  /** A zip whose entries have exactly these names and contents. */
  static Path zip(Path out, String... namesAndContents) throws IOException {
    try (OutputStream o = Files.newOutputStream(out);
        ZipOutputStream z = new ZipOutputStream(o)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        z.putNextEntry(new ZipEntry(namesAndContents[i]));
        z.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    return out;
  }
}
