/**
 * {@code offramp bench budget}: budget mode held against a competing CPU load that starts and
 * stops; tracking error and switches per minute.
 */
package dev.offramp.benchmarks.budget;
