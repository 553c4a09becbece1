package dev.offramp.benchmarks;

import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.exporter.data.DatasetException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * {@code offramp bench}: the composition root. {@code jmh [JMH options]} goes straight to JMH (e.g.
 * {@code jmh ChainOverhead -p net=demo}), {@code soak [options]} to {@link
 * dev.offramp.benchmarks.soak.SoakBench}, {@code budget [options]} to {@link
 * dev.offramp.benchmarks.budget.BudgetBench}; everything else is parsed by {@link BenchCommand}.
 *
 * <p>Exit codes: 0 success; 2 a user error (bad arguments, unreadable bundle or data), one message
 * without a stack trace unless {@code --verbose}; 70 an internal error.
 */
public final class BenchMain {
  /** Exit code of a user error. */
  public static final int USER_ERROR = 2;

  /** Exit code of an unexpected failure. */
  public static final int INTERNAL_ERROR = 70;

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("store")) {
      dev.offramp.benchmarks.store.StoreBench.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("soak")) {
      dev.offramp.benchmarks.soak.SoakBench.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("budget")) {
      dev.offramp.benchmarks.budget.BudgetBench.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(out, err, args));
  }

  /** Runs {@code args} (not {@code jmh}) writing to {@code out} and {@code err}. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    String[] rest = Arrays.stream(args).filter(a -> !a.equals("--verbose")).toArray(String[]::new);
    CommandLine cmd = new CommandLine(new BenchCommand());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          boolean user =
              ex instanceof IllegalArgumentException
                  || ex instanceof BundleException
                  || ex instanceof DatasetException
                  || ex instanceof UncheckedIOException;
          err.println(
              (user ? "error: " : "internal error: ")
                  + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
          if (verbose) {
            ex.printStackTrace(err);
          } else if (!user) {
            err.println("(rerun with --verbose for the stack trace)");
          }
          err.flush();
          return user ? USER_ERROR : INTERNAL_ERROR;
        });
    int code = cmd.execute(rest);
    out.flush();
    err.flush();
    return code;
  }
}
