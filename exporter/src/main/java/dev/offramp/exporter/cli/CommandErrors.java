package dev.offramp.exporter.cli;

import java.io.PrintWriter;
import java.util.function.Predicate;
import picocli.CommandLine.IExecutionExceptionHandler;

/**
 * How the project's command lines ({@code offramp} tooling, {@code offramp bench}) report a failed
 * command: a user error is one {@code error:} line and exit code {@value ToolsMain#USER_ERROR}; any
 * other failure is an {@code internal error:} line, a hint to rerun with {@code --verbose}, and
 * exit code {@value ToolsMain#INTERNAL_ERROR}. With {@code --verbose} both print the stack trace.
 * Stateless.
 */
public final class CommandErrors {
  private CommandErrors() {}

  /**
   * The picocli handler.
   *
   * @param err where messages go
   * @param verbose whether to print stack traces
   * @param isUserError which exceptions are the user's to fix (bad arguments, unreadable input)
   */
  public static IExecutionExceptionHandler handler(
      PrintWriter err, boolean verbose, Predicate<Exception> isUserError) {
    return (ex, commandLine, parseResult) -> {
      boolean user = isUserError.test(ex);
      err.println(
          (user ? "error: " : "internal error: ")
              + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      if (verbose) {
        ex.printStackTrace(err);
      } else if (!user) {
        err.println("(rerun with --verbose for the stack trace)");
      }
      err.flush();
      return user ? ToolsMain.USER_ERROR : ToolsMain.INTERNAL_ERROR;
    };
  }
}
