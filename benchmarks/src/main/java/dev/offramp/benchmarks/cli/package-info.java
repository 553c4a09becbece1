/**
 * The flags of {@code offramp bench} and its subcommands as picocli mixins, in one place. Depends
 * on picocli only; the command classes in the other benchmark packages use it, never the reverse.
 */
package dev.offramp.benchmarks.cli;
