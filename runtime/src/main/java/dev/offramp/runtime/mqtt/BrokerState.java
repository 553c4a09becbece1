package dev.offramp.runtime.mqtt;

import java.util.Locale;

/** Connection state as shown by {@code /api/status} and health. */
public enum BrokerState {
  CONNECTING,
  CONNECTED,
  DISCONNECTED,
  STOPPED;

  /** The lower-case name used in JSON. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }
}
