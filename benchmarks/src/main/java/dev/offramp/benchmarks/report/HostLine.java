package dev.offramp.benchmarks.report;

import java.time.LocalDate;

/**
 * The short machine description of the black-box runs (soak, budget): cores, CPU model, JDK and
 * date, as their result documents record it.
 */
public record HostLine(int cores, String cpu, String jdk, String date) {
  /** This machine, today. */
  public static HostLine here() {
    return new HostLine(
        Runtime.getRuntime().availableProcessors(),
        Machine.cpuModel(),
        System.getProperty("java.version"),
        LocalDate.now().toString());
  }
}
