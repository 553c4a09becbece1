/**
 * The {@code offramp} tooling commands (picocli): {@code inspect}, {@code split}, {@code verify}.
 * {@link dev.offramp.exporter.cli.ToolsMain} only wires them; adding a command is one line in its
 * {@code subcommands}. Exit codes: 0 success, 1 a check failed, 2 a user error (one message, no
 * stack trace unless {@code --verbose}), 70 an internal error.
 */
package dev.offramp.exporter.cli;
