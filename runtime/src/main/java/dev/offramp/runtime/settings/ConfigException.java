package dev.offramp.runtime.settings;

/**
 * A configuration error the user must fix: the message names the source (file or flag), the key,
 * what was expected and what was found. Start-up stops on it with exit code 2.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
