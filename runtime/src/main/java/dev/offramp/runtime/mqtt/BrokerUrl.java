package dev.offramp.runtime.mqtt;

import java.net.URI;
import java.net.URISyntaxException;

/** The start-up check of {@code mqtt.broker-url}. */
final class BrokerUrl {
  private BrokerUrl() {}

  /**
   * Checks {@code broker-url} as Paho will use it: scheme {@code tcp} or {@code ssl}, a host, a
   * port 1..65535 (1883 or 8883 when omitted), nothing else. Returns the scheme.
   */
  static String validate(String url) {
    String expected =
        "expected tcp://HOST:PORT or ssl://HOST:PORT (port 1-65535, e.g. tcp://127.0.0.1:1883)";
    String shown = LogText.escape(url, 200);
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "mqtt.broker-url: " + expected + "; found '" + shown + "' (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
      throw new IllegalArgumentException(
          "mqtt.broker-url: " + expected + "; found scheme '" + scheme + "' in '" + shown + "'");
    }
    String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      int colon = authority.lastIndexOf(':');
      String port = colon < 0 ? "" : authority.substring(colon + 1);
      String why =
          colon >= 0 && !port.chars().allMatch(Character::isDigit)
              ? "port '" + LogText.escape(port, 40) + "' is not a number"
              : "no host";
      throw new IllegalArgumentException(
          "mqtt.broker-url: " + expected + "; found '" + shown + "' (" + why + ")");
    }
    if (uri.getUserInfo() != null
        || (uri.getRawPath() != null
            && !uri.getRawPath().isEmpty()
            && !uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "mqtt.broker-url: "
              + expected
              + "; found '"
              + shown
              + "' (user info, path, query or fragment; set credentials with mqtt.username and"
              + " mqtt.password-file)");
    }
    int port = uri.getPort();
    if (port == -1 && authority.endsWith(":")) {
      port = 0;
    }
    if (port != -1 && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException(
          "mqtt.broker-url: " + expected + "; found port " + port + " in '" + shown + "'");
    }
    return scheme;
  }
}
