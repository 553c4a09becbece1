/**
 * The command line ({@code offramp run}, {@code offramp demo}), on picocli. Commands parse flags,
 * load configuration and hand over to {@link dev.offramp.runtime.Main}.
 */
package dev.offramp.runtime.cli;
