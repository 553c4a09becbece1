package dev.offramp.exporter.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every {@code offramp} and {@code offramp bench} command shares: {@code --help} and {@code
 * --version}, and the writers picocli hands it. A subclass adds its name, description and options
 * and implements {@link #call}.
 */
@Command(mixinStandardHelpOptions = true)
public abstract class ToolCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** For subclasses. */
  protected ToolCommand() {}

  /** Where the command's results go (picocli's standard output). */
  protected final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Where progress and diagnostics go (picocli's standard error). */
  protected final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** The parsed command line, for errors that name the usage. */
  protected final CommandSpec spec() {
    return spec;
  }
}
