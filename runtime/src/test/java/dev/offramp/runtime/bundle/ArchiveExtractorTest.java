package dev.offramp.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.testing.TestBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives made by the system's tar and by java.util.zip: a bundle unpacks to the same bytes;
 * traversal, absolute names, links, duplicates and oversized content are refused before anything
 * leaves the destination.
 */
class ArchiveExtractorTest {
  @TempDir Path tmp;

  @Test
  void aTarOfTheBundleDirectoryUnpacksToTheSameFiles() throws Exception {
    Path bundle = TestBundles.write(Files.createDirectories(tmp.resolve("bundle")));
    Path tar = Bundles.tar(bundle, tmp.resolve("b.tar"));
    Path root = ArchiveExtractor.extract(tar, tmp.resolve("out"), 64L << 20, 1000);
    assertEquals(tmp.resolve("out"), root);
    for (String f : List.of("manifest.json", "stage-0.onnx", "stage-2.onnx")) {
      assertTrue(
          java.util.Arrays.equals(
              Files.readAllBytes(bundle.resolve(f)), Files.readAllBytes(root.resolve(f))),
          f);
    }
  }

  @Test
  void aGzippedTarWithOneTopLevelDirectoryIsFoundInsideIt() throws Exception {
    Path bundle = TestBundles.write(Files.createDirectories(tmp.resolve("src/mybundle")));
    Path tgz = tmp.resolve("b.tar.gz");
    run("tar", "-C", tmp.resolve("src").toString(), "-czf", tgz.toString(), "mybundle");
    Path root = ArchiveExtractor.extract(tgz, tmp.resolve("out"), 64L << 20, 1000);
    assertEquals(tmp.resolve("out/mybundle"), root);
    assertEquals(
        Files.size(bundle.resolve("stage-1.onnx")), Files.size(root.resolve("stage-1.onnx")));
  }

  @Test
  void zipEntriesThatClimbOutOrAreAbsoluteAreRefusedAndWriteNothingOutside() throws Exception {
    for (String name : List.of("../escaped.txt", "a/../../escaped.txt", "/tmp/escaped.txt")) {
      Path zip = Bundles.zip(tmp.resolve("e.zip"), "manifest.json", "{}", name, "x");
      Path out = tmp.resolve("out-" + Math.abs(name.hashCode()));
      BundleUpdateException e =
          assertThrows(
              BundleUpdateException.class, () -> ArchiveExtractor.extract(zip, out, 1 << 20, 1000));
      assertTrue(e.getMessage().contains("expected names relative"), e.getMessage());
      assertFalse(Files.exists(tmp.resolve("escaped.txt")));
    }
  }

  @Test
  void aTarHoldingASymbolicLinkIsRefusedNamingTheEntry() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("withlink"));
    Files.writeString(dir.resolve("manifest.json"), "{}");
    Files.createSymbolicLink(dir.resolve("stage-0.onnx"), Path.of("/etc/passwd"));
    Path tar = Bundles.tar(dir, tmp.resolve("l.tar"));
    BundleUpdateException e =
        assertThrows(
            BundleUpdateException.class,
            () -> ArchiveExtractor.extract(tar, tmp.resolve("out"), 1 << 20, 1000));
    assertTrue(e.getMessage().contains("stage-0.onnx' is a symbolic link"), e.getMessage());
  }

  @Test
  void contentOverTheCapStopsAtTheCapAndTooManyEntriesAreRefused() throws Exception {
    Path big = Bundles.zip(tmp.resolve("big.zip"), "manifest.json", "x".repeat(200_000));
    BundleUpdateException e =
        assertThrows(
            BundleUpdateException.class,
            () -> ArchiveExtractor.extract(big, tmp.resolve("o1"), 100_000, 1000));
    assertTrue(e.getMessage().contains("more than 100000 bytes"), e.getMessage());
    Path many =
        Bundles.zip(tmp.resolve("many.zip"), "a", "1", "b", "2", "c", "3", "manifest.json", "{}");
    e =
        assertThrows(
            BundleUpdateException.class,
            () -> ArchiveExtractor.extract(many, tmp.resolve("o2"), 1 << 20, 3));
    assertTrue(e.getMessage().contains("more than 3 entries"), e.getMessage());
  }

  @Test
  void anEntryThatAppearsTwiceIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("dup"));
    Files.writeString(dir.resolve("manifest.json"), "{}");
    Path tar = tmp.resolve("d.tar");
    run(
        "tar",
        "--hard-dereference",
        "-C",
        dir.toString(),
        "-cf",
        tar.toString(),
        "manifest.json",
        "manifest.json");
    BundleUpdateException e =
        assertThrows(
            BundleUpdateException.class,
            () -> ArchiveExtractor.extract(tar, tmp.resolve("out"), 1 << 20, 1000));
    assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
  }

  @Test
  void somethingThatIsNeitherZipNorTarIsRefusedSayingWhatIsExpected() throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk"), "this is not an archive at all".repeat(40));
    BundleUpdateException e =
        assertThrows(
            BundleUpdateException.class,
            () -> ArchiveExtractor.extract(junk, tmp.resolve("out"), 1 << 20, 1000));
    assertTrue(
        e.getMessage().contains("expected a zip, a tar (ustar) or a tar.gz"), e.getMessage());
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
  }
}
