/**
 * The command line ({@code offramp run}, {@code offramp demo}), on picocli, the only package that
 * uses it. Commands turn flags into configuration overrides, load the configuration and hand over
 * to {@link dev.offramp.runtime.Main}.
 */
package dev.offramp.runtime.cli;
