package dev.offramp.exporter.cli;

import dev.offramp.exporter.graph.OnnxModelException;
import dev.offramp.exporter.split.CutException;
import dev.offramp.exporter.split.ToolVersion;
import dev.offramp.exporter.verify.VerificationException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code offramp} tooling command: a composition root that only wires subcommands. Adding a
 * command is one entry in {@code subcommands}.
 *
 * <p>Exit codes: 0 success; 1 the command ran and found a failure (e.g. verify above tolerance); 2
 * a user error (bad arguments, unreadable model, invalid cut), reported as one message without a
 * stack trace unless {@code --verbose}; 70 an internal error.
 */
@Command(
    name = "offramp",
    mixinStandardHelpOptions = true,
    versionProvider = ToolsMain.Version.class,
    description = "Early-exit cascades for CNN image classifiers: backbone tooling.",
    subcommands = {
      InspectCommand.class,
      SplitCommand.class,
      VerifyCommand.class,
      BuildCommand.class,
      EvaluateCommand.class,
    })
public final class ToolsMain implements Runnable {
  /** Exit code of a user error. */
  public static final int USER_ERROR = 2;

  /** Exit code of an unexpected failure. */
  public static final int INTERNAL_ERROR = 70;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Show stack traces with errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing a command");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(out, err, args));
  }

  /** Runs {@code args} writing to {@code out} and {@code err}; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    CommandLine cmd = new CommandLine(new ToolsMain());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler(CommandErrors.handler(err, verbose, ToolsMain::isUserError));
    int code = cmd.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static boolean isUserError(Exception ex) {
    return ex instanceof OnnxModelException
        || ex instanceof CutException
        || ex instanceof VerificationException
        || ex instanceof IllegalArgumentException
        || ex instanceof IllegalStateException
        || ex instanceof UncheckedIOException;
  }

  /** Reports the offramp version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"offramp " + ToolVersion.get()};
    }
  }
}
