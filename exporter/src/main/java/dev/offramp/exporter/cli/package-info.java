/**
 * The {@code offramp} tooling commands (picocli): {@code inspect}, {@code split}, {@code verify},
 * {@code build}, {@code evaluate}. {@link dev.offramp.exporter.cli.ToolsMain} only wires them;
 * adding a command is one line in its {@code subcommands}. Every command extends {@link
 * dev.offramp.exporter.cli.ToolCommand} (help, version, its writers; the benchmarks' commands too)
 * and takes its flags from one mixin in {@code Flags}, where every name, default and help text is
 * declared once. Depends on the exporter's step packages and picocli (the only package that may);
 * nothing in the exporter depends on it. Exit codes: 0 success, 1 a check failed, 2 a user error
 * (one message, no stack trace unless {@code --verbose}), 70 an internal error.
 */
package dev.offramp.exporter.cli;
