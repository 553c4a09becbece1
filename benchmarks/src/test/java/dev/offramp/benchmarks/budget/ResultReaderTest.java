package dev.offramp.benchmarks.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.benchmarks.proc.ChildProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench reads results from a real subscriber process; when none comes it says why. */
class ResultReaderTest {
  @TempDir Path dir;

  @Test
  void resultsAndDecisionsAreToldApartByTopic() throws Exception {
    Process sub =
        new ProcessBuilder(
                "printf",
                "offramp/d/cam0/result {\"profile\":\"m0\"}\\n"
                    + "offramp/d/state/budget {\"profile\":\"m0.05\"}\\n"
                    + "offramp/d/cam0/result {\"profile\":\"m0.05\"}\\n")
            .start();
    ResultReader reader = new ResultReader(sub);
    reader.start();
    reader.awaitFirst(10, dir);
    reader.join(10_000);
    assertEquals(2, reader.count());
    assertEquals("m0.05", reader.arrivals().get(1).profile());
    assertEquals("m0.05", reader.decisions().get(0).path("profile").asText());
  }

  @Test
  void noResultNamesTheDaemonsLogAndQuotesItsEnd() throws Exception {
    Files.write(
        ChildProcesses.log(dir),
        IntStream.rangeClosed(1, 40).mapToObj(i -> "line " + i).collect(Collectors.toList()));
    Files.write(
        ChildProcesses.log(dir),
        new byte[] {(byte) 0xc3, '\n'}, // half a UTF-8 character, as a killed write leaves
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(
        ChildProcesses.log(dir),
        "SEVERE: cannot open bundle demo/x: manifest.json not found\n",
        java.nio.file.StandardOpenOption.APPEND);
    String m = silentDaemonError();
    assertTrue(m.startsWith("no result from the daemon within 1 s"), m);
    assertTrue(m.contains(ChildProcesses.log(dir).toString()), m);
    assertTrue(m.contains("manifest.json not found"), "the daemon's last words: " + m);
    assertTrue(m.contains("line 40") && !m.contains("line 20\n"), "its end, not all of it: " + m);
    assertTrue(!m.contains("./offramp build"), "no command that does something else: " + m);
  }

  @Test
  void anUnreadableLogIsSaidToBe() throws Exception {
    String m = silentDaemonError();
    assertTrue(m.contains("cannot be read"), m);
  }

  /** The error when the subscriber stays silent for the one second waited. */
  private String silentDaemonError() throws Exception {
    Process silent = new ProcessBuilder("sleep", "30").start();
    try {
      ResultReader reader = new ResultReader(silent);
      reader.start();
      return assertThrows(IllegalStateException.class, () -> reader.awaitFirst(1, dir))
          .getMessage();
    } finally {
      silent.destroy();
    }
  }
}
