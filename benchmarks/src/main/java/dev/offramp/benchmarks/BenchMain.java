package dev.offramp.benchmarks;

import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.exporter.cli.CommandErrors;
import dev.offramp.exporter.cli.ToolsMain;
import dev.offramp.exporter.data.DatasetException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * {@code offramp bench}: the composition root. {@code jmh [JMH options]} goes straight to JMH (e.g.
 * {@code jmh ChainOverhead -p net=demo}); everything else, {@code soak}, {@code budget} and {@code
 * store} included, is parsed by picocli from {@link BenchCommand}.
 *
 * <p>Exit codes: 0 success; 2 a user error (bad arguments, unreadable bundle or data), one message
 * without a stack trace unless {@code --verbose}; 70 an internal error.
 */
public final class BenchMain {
  /** Exit code of a user error. */
  public static final int USER_ERROR = ToolsMain.USER_ERROR;

  /** Exit code of an unexpected failure. */
  public static final int INTERNAL_ERROR = ToolsMain.INTERNAL_ERROR;

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
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
        CommandErrors.handler(
            err,
            verbose,
            ex ->
                ex instanceof IllegalArgumentException
                    || ex instanceof BundleException
                    || ex instanceof DatasetException
                    || ex instanceof UncheckedIOException));
    int code = cmd.execute(rest);
    out.flush();
    err.flush();
    return code;
  }
}
