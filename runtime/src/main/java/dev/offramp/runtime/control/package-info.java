/**
 * Run-time control: the daemon's switches (exit profile, paused) and {@link
 * dev.offramp.runtime.control.ControlHub}, the one path every transport changes them through and
 * that tells every transport what was applied.
 */
package dev.offramp.runtime.control;
