/**
 * {@code offramp bench budget}: budget mode held against a competing CPU load that starts and
 * stops; tracking error and switches per minute ({@code BudgetReport}). {@code ResultReader}
 * collects the daemon's results and decisions. Depends on {@code cli}, {@code proc} and {@code
 * report}.
 */
package dev.offramp.benchmarks.budget;
