package dev.offramp.benchmarks.budget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.benchmarks.proc.ChildProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code mosquitto_sub -v} output on its own thread: each result's arrival time and profile,
 * and the controller's decisions ({@code state/budget}). Thread-safe.
 */
final class ResultReader extends Thread {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process sub;
  private final List<Arrival> arrivals = new ArrayList<>();
  private final List<JsonNode> decisions = new ArrayList<>();

  ResultReader(Process sub) {
    super("budget-bench-reader");
    setDaemon(true);
    this.sub = sub;
  }

  @Override
  public void run() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        long now = System.nanoTime();
        int space = line.indexOf(' ');
        String topic = space < 0 ? line : line.substring(0, space);
        JsonNode r = JSON.readTree(space < 0 ? "{}" : line.substring(space + 1));
        synchronized (arrivals) {
          if (topic.endsWith("/state/budget")) {
            decisions.add(r);
          } else {
            arrivals.add(new Arrival(now, r.path("profile").asText("?")));
          }
          arrivals.notifyAll();
        }
      }
    } catch (IOException e) {
      // The subscriber was stopped.
    }
  }

  int count() {
    synchronized (arrivals) {
      return arrivals.size();
    }
  }

  List<JsonNode> decisions() {
    synchronized (arrivals) {
      return List.copyOf(decisions);
    }
  }

  List<Arrival> arrivals() {
    synchronized (arrivals) {
      return List.copyOf(arrivals);
    }
  }

  /**
   * Waits for the first result.
   *
   * @param daemonDir the daemon's directory, whose log the error quotes when none comes
   */
  void awaitFirst(int seconds, Path daemonDir) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (arrivals) {
      while (arrivals.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "no result from the daemon within "
                  + seconds
                  + " s; "
                  + ChildProcesses.logTail(daemonDir, 15));
        }
        arrivals.wait(Math.max(1, left / 1_000_000L));
      }
    }
  }

  /** One result as received: when, and under which profile. */
  record Arrival(long nanos, String profile) {}
}
