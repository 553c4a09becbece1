package dev.offramp.benchmarks;

import java.util.Arrays;

/**
 * {@code offramp bench}: {@code jmh [JMH options]} runs the microbenchmarks (e.g. {@code jmh
 * ChainOverhead -p net=large}).
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    System.err.println(
        "Usage: offramp bench jmh [JMH options]   microbenchmarks (chain overhead, exit rule,"
            + " preprocessing)");
    System.exit(args.length == 0 || args[0].equals("--help") ? 0 : 2);
  }
}
