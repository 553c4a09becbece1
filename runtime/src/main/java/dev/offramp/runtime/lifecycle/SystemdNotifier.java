package dev.offramp.runtime.lifecycle;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Tells systemd about the daemon's state ({@code Type=notify}): {@code READY=1} once the bundle is
 * loaded and the pipeline runs, {@code WATCHDOG=1} every half {@code WATCHDOG_USEC} while the
 * pipeline is alive, {@code STOPPING=1} on shutdown.
 *
 * <p>Why a helper process: {@code sd_notify} is one datagram on the {@code AF_UNIX} socket named by
 * {@code NOTIFY_SOCKET}, but Java 21 only offers Unix-domain <em>stream</em> sockets (and the
 * foreign-function API that could call {@code sendto} is a preview in 21). So each message runs
 * {@code systemd-notify --pid=<our pid> VAR=1}, which every systemd install has. The unit needs
 * {@code NotifyAccess=all} because the sender is a child process; systemd 246 and later wait for
 * the message to be processed, so there is no race with the child exiting. Messages are rare
 * (start, stop, a watchdog ping every few seconds), so the fork is cheap.
 *
 * <p>Thread-safe. {@link #close()} stops the watchdog; idempotent.
 */
public final class SystemdNotifier implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SystemdNotifier.class.getName());

  /** The helper used outside tests. */
  public static final List<String> SYSTEMD_NOTIFY = List.of("systemd-notify");

  private final List<String> command;
  private final long watchdogUsec;
  private ScheduledExecutorService watchdog;

  SystemdNotifier(List<String> command, long watchdogUsec) {
    this.command = List.copyOf(command);
    this.watchdogUsec = watchdogUsec;
  }

  /**
   * A notifier when the environment has {@code NOTIFY_SOCKET} (started by systemd with {@code
   * Type=notify}), else empty.
   *
   * @param env the process environment
   * @param notifyCommand the helper, normally {@link #SYSTEMD_NOTIFY}
   */
  public static Optional<SystemdNotifier> fromEnvironment(
      Map<String, String> env, List<String> notifyCommand) {
    String socket = env.get("NOTIFY_SOCKET");
    if (socket == null || socket.isBlank()) {
      return Optional.empty();
    }
    long usec = 0;
    String watchdogPid = env.get("WATCHDOG_PID");
    boolean forUs =
        watchdogPid == null || watchdogPid.equals(String.valueOf(ProcessHandle.current().pid()));
    String value = env.get("WATCHDOG_USEC");
    if (value != null && forUs) {
      try {
        usec = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        LOG.log(Level.WARNING, "ignoring WATCHDOG_USEC={0}: not a number", value);
      }
    }
    return Optional.of(new SystemdNotifier(notifyCommand, usec));
  }

  /** The watchdog period systemd asked for, in microseconds; 0 when none. */
  public long watchdogUsec() {
    return watchdogUsec;
  }

  public void ready() {
    send("READY=1");
  }

  public void stopping() {
    send("STOPPING=1");
  }

  /**
   * Pings the watchdog every half period while {@code alive} says so; a hung pipeline stops the
   * pings and systemd restarts the service. No-op without {@code WATCHDOG_USEC}.
   */
  public synchronized void startWatchdog(BooleanSupplier alive) {
    Objects.requireNonNull(alive, "alive");
    if (watchdogUsec <= 0 || watchdog != null) {
      return;
    }
    long periodUs = Math.max(1_000, watchdogUsec / 2);
    watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "offramp-watchdog");
              t.setDaemon(true);
              return t;
            });
    watchdog.scheduleAtFixedRate(
        () -> {
          if (alive.getAsBoolean()) {
            send("WATCHDOG=1");
          } else {
            LOG.log(Level.WARNING, "pipeline not responding; withholding the watchdog ping");
          }
        },
        0,
        periodUs,
        TimeUnit.MICROSECONDS);
  }

  private void send(String assignment) {
    List<String> cmd = new ArrayList<>(command);
    cmd.add("--pid=" + ProcessHandle.current().pid());
    cmd.add(assignment);
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        LOG.log(Level.WARNING, "{0} did not finish in 2 s", String.join(" ", cmd));
      } else if (p.exitValue() != 0) {
        LOG.log(Level.WARNING, "{0} exited with {1}", String.join(" ", cmd), p.exitValue());
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot notify systemd with {0}: {1}", command, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    if (watchdog != null) {
      watchdog.shutdownNow();
      watchdog = null;
    }
  }
}
