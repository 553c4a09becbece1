package dev.offramp.runtime.control;

/**
 * A transport that shows the applied state (MQTT's retained {@code <prefix>/state/<name>}, a future
 * controller). Called after every change, whoever made it, on the caller's thread; must not block
 * for long and must not throw.
 */
@FunctionalInterface
public interface ControlListener {
  /**
   * A switch changed.
   *
   * @param name {@code profile}, {@code paused}, {@code budget-mode} ({@code on}/{@code off}) or
   *     {@code budget} (the budget controller's latest decision, JSON)
   * @param value the applied value as text ({@code m0.05}, {@code true})
   */
  void applied(String name, String value);
}
