package dev.offramp.runtime.cli;

import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.runtime.capture.CaptureException;
import dev.offramp.runtime.settings.ConfigException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code offramp run|demo}: the daemon's command line. {@link #main} exits with the command's code:
 * 0 after an orderly stop, 1 when the daemon failed, 2 for an error the user must fix (bad flag,
 * configuration, bundle or source), printed as one line.
 */
@Command(
    name = "offramp",
    mixinStandardHelpOptions = true,
    version = "offramp runtime 0.1.0",
    description = "Runs an early-exit cascade bundle on camera frames and publishes every result.",
    subcommands = {RunCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class RuntimeMain implements Runnable {
  /** Exit code of errors the user must fix. */
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "expected a command: run or demo");
  }

  /**
   * Runs the command on a thread with a large stack: ONNX Runtime's environment set-up overflows
   * the launcher's default 1 MiB main-thread stack in some processes (seen as a SIGSEGV without an
   * hs_err file when the class path is long), and a thread's stack costs only address space.
   */
  public static void main(String[] args) throws InterruptedException {
    int[] code = {1};
    Thread main = new Thread(null, () -> code[0] = execute(args), "offramp-main", BIG_STACK);
    main.start();
    main.join();
    System.exit(code[0]);
  }

  /** Stack size of the threads that call into ONNX Runtime. */
  public static final long BIG_STACK = 16L << 20;

  /** Runs one command line and returns its exit code (tests call this). */
  public static int execute(String... args) {
    return execute(
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
        args);
  }

  /** Runs one command line with the given output streams and returns its exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new RuntimeMain());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(RuntimeMain::handle);
    return cli.execute(args);
  }

  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof ConfigException
        || e instanceof BundleException
        || e instanceof CaptureException) {
      err.println("offramp: " + e.getMessage());
      err.flush();
      return USAGE;
    }
    err.println("offramp: failed: " + e);
    e.printStackTrace(err);
    err.flush();
    return 1;
  }
}
