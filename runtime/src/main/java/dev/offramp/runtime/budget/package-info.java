/**
 * Budget mode: a controller that keeps the daemon inside a frame-rate, power and latency budget by
 * choosing, among the bundle's exit profiles, the most accurate one predicted to meet it. {@link
 * dev.offramp.runtime.budget.Measurements} learns per-profile behaviour from results, {@link
 * dev.offramp.runtime.budget.BudgetPolicy} decides (hysteresis, dwell), and {@link
 * dev.offramp.runtime.budget.BudgetController} applies decisions through the control hub.
 */
package dev.offramp.runtime.budget;
