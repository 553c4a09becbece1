package dev.offramp.runtime.testing;

import dev.offramp.runtime.Main;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.lifecycle.StopSignal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: {@link Main#run} on a background thread, as {@code offramp run} would run it but
 * stopped by the test instead of a signal. Closing requests the stop (and does not wait).
 */
public final class InProcessDaemon implements AutoCloseable {
  private final StopSignal stop = new StopSignal();
  private final CompletableFuture<Main.Started> started = new CompletableFuture<>();
  private final CompletableFuture<Integer> exit;

  public InProcessDaemon(RuntimeConfig config) {
    exit =
        CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    config, new Main.Options(stop, 0, List.of(), started::complete, List.of())));
  }

  /** What runs, once everything has started (at most a minute). */
  public Main.Started started() throws Exception {
    return started.get(60, TimeUnit.SECONDS);
  }

  /** Requests the stop and returns the exit code (at most ten seconds). */
  public int stop() throws Exception {
    stop.request("test");
    return exit.get(10, TimeUnit.SECONDS);
  }

  /** Waits up to {@code seconds} for the run to end by itself; returns its exit code. */
  public int exit(long seconds) throws Exception {
    return exit.get(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    stop.request("test");
  }
}
