package dev.offramp.runtime.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A command line run exactly as a user pastes it into a shell ({@code bash -c LINE}), its output
 * (stdout and stderr merged) read line by line on a daemon thread. {@link #close()} ends it and its
 * children.
 */
public final class PastedCommand implements AutoCloseable {
  private final String line;
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private volatile boolean outputEnded;

  private PastedCommand(String line, Process process) {
    this.line = line;
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                  lines.add(l);
                }
              } catch (IOException e) {
                // The process was ended; what was read is kept.
              } finally {
                outputEnded = true;
              }
            },
            "pasted-command-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code bash -c line}. */
  public static PastedCommand start(String line) {
    try {
      return new PastedCommand(
          line, new ProcessBuilder("bash", "-c", line).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start bash for: " + line, e);
    }
  }

  /**
   * The first output line matching {@code match} within {@code seconds}.
   *
   * @throws AssertionError naming the command, its exit status and everything it printed, when no
   *     line matched in time
   */
  public String await(Predicate<String> match, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      boolean ended = outputEnded;
      String l = lines.poll(100, TimeUnit.MILLISECONDS);
      if (l == null) {
        if (ended) {
          break; // it exited and everything it printed was read
        }
        continue;
      }
      seen.add(l);
      if (match.test(l)) {
        return l;
      }
    }
    lines.drainTo(seen);
    throw new AssertionError(
        "`"
            + line
            + "` printed no matching line within "
            + seconds
            + " s ("
            + (process.isAlive() ? "still running" : "exited " + process.exitValue())
            + "); it printed: "
            + String.join("\n", seen));
  }

  @Override
  public void close() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
