package dev.offramp.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's signing recipe, run with the system's openssl: its raw signature and the same in
 * base64 verify with the JDK's Ed25519; a changed manifest, another key or no signature do not.
 */
class ManifestSignatureTest {
  @TempDir Path tmp;

  @Test
  void anOpensslSignatureVerifiesRawAndBase64AndFailsOnceTheManifestChanges() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("b"));
    Files.copy(
        Path.of("..", "demo", "fashion-resnet18", "bundle", "manifest.json"),
        dir.resolve("manifest.json"));
    Path key = tmp.resolve("key.pem");
    Path pub = tmp.resolve("pub.pem");
    openssl("genpkey", "-algorithm", "ed25519", "-out", key.toString());
    openssl("pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());
    openssl(
        "pkeyutl",
        "-sign",
        "-rawin",
        "-inkey",
        key.toString(),
        "-in",
        dir.resolve("manifest.json").toString(),
        "-out",
        dir.resolve("manifest.json.sig").toString());
    var publicKey = ManifestSignature.readPublicKey(pub);
    ManifestSignature.verify(publicKey, dir);

    Path sig = dir.resolve("manifest.json.sig");
    Files.writeString(sig, Base64.getEncoder().encodeToString(Files.readAllBytes(sig)) + "\n");
    ManifestSignature.verify(publicKey, dir);

    Files.writeString(dir.resolve("manifest.json"), " ", java.nio.file.StandardOpenOption.APPEND);
    BundleUpdateException e =
        assertThrows(BundleUpdateException.class, () -> ManifestSignature.verify(publicKey, dir));
    assertTrue(e.getMessage().contains("does not verify"), e.getMessage());

    Files.delete(sig);
    e = assertThrows(BundleUpdateException.class, () -> ManifestSignature.verify(publicKey, dir));
    assertTrue(e.getMessage().contains("openssl pkeyutl -sign -rawin"), e.getMessage());
  }

  @Test
  void aKeyFileThatIsNotAnEd25519PublicKeyIsRefusedNamingTheFile() throws Exception {
    Path rsa = tmp.resolve("rsa.pem");
    openssl(
        "genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:1024", "-out", rsa.toString());
    Path rsaPub = tmp.resolve("rsa-pub.pem");
    openssl("pkey", "-in", rsa.toString(), "-pubout", "-out", rsaPub.toString());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ManifestSignature.readPublicKey(rsaPub));
    assertTrue(e.getMessage().contains("is not an Ed25519 public key"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ManifestSignature.readPublicKey(rsa));
    assertTrue(e.getMessage().contains("expected a PEM 'PUBLIC KEY'"), e.getMessage());
  }

  private static void openssl(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "openssl";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
  }
}
