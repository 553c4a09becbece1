/**
 * Process lifecycle: SIGTERM/SIGINT handling and systemd notification ({@code READY}, {@code
 * WATCHDOG}, {@code STOPPING}).
 */
package dev.offramp.runtime.lifecycle;
