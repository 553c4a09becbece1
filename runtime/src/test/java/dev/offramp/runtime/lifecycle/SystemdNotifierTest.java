package dev.offramp.runtime.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {
  @TempDir Path tmp;

  /** A stand-in for systemd-notify that appends its arguments to a file. */
  private Path fakeNotify(Path log) throws Exception {
    Path script = tmp.resolve("fake-notify");
    Files.writeString(script, "#!/bin/sh\necho \"$@\" >> '" + log + "'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  @Test
  void nothingIsSentOutsideSystemd() {
    assertTrue(SystemdNotifier.fromEnvironment(Map.of(), List.of("false")).isEmpty());
  }

  @Test
  void readyWatchdogAndStoppingReachSystemdWithOurPid() throws Exception {
    Path log = tmp.resolve("sent.txt");
    Map<String, String> env = Map.of("NOTIFY_SOCKET", "/run/fake", "WATCHDOG_USEC", "200000");
    AtomicBoolean alive = new AtomicBoolean(true);
    try (SystemdNotifier n =
        SystemdNotifier.fromEnvironment(env, List.of(fakeNotify(log).toString())).orElseThrow()) {
      assertEquals(200_000, n.watchdogUsec());
      n.ready();
      n.startWatchdog(alive::get);
      Thread.sleep(450);
      alive.set(false);
      Thread.sleep(100);
      long pings = count(log, "WATCHDOG=1");
      Thread.sleep(300);
      assertEquals(pings, count(log, "WATCHDOG=1"), "no pings while the pipeline is stuck");
      assertTrue(pings >= 2, "pings every 100 ms: " + pings);
      n.stopping();
    }
    List<String> lines = Files.readAllLines(log);
    String pid = "--pid=" + ProcessHandle.current().pid();
    assertEquals(pid + " READY=1", lines.get(0));
    assertEquals(pid + " STOPPING=1", lines.get(lines.size() - 1));
  }

  @Test
  void watchdogMeantForAnotherProcessIsIgnored() {
    Map<String, String> env =
        Map.of("NOTIFY_SOCKET", "/run/fake", "WATCHDOG_USEC", "200000", "WATCHDOG_PID", "1");
    assertEquals(
        0, SystemdNotifier.fromEnvironment(env, List.of("true")).orElseThrow().watchdogUsec());
  }

  private static long count(Path log, String what) throws Exception {
    return Files.exists(log)
        ? Files.readAllLines(log).stream().filter(l -> l.endsWith(what)).count()
        : 0;
  }
}
