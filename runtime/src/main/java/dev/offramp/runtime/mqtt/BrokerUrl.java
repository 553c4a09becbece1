package dev.offramp.runtime.mqtt;

import dev.offramp.runtime.text.SafeText;
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
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw refused(url, e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
      throw refused(url, "scheme '" + SafeText.of(scheme, 40) + "' is not tcp or ssl");
    }
    String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      int colon = authority.lastIndexOf(':');
      String port = colon < 0 ? "" : authority.substring(colon + 1);
      throw refused(
          url,
          colon >= 0 && !port.chars().allMatch(Character::isDigit)
              ? "port '" + SafeText.of(port, 40) + "' is not a number"
              : "no host");
    }
    if (uri.getUserInfo() != null
        || (uri.getRawPath() != null
            && !uri.getRawPath().isEmpty()
            && !uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw refused(
          url,
          "user info, path, query or fragment; set credentials with mqtt.username and"
              + " mqtt.password-file");
    }
    int port = uri.getPort();
    if (port == -1 && authority.endsWith(":")) {
      port = 0;
    }
    if (port != -1 && (port < 1 || port > 65535)) {
      throw refused(url, "port " + port + " is outside 1-65535");
    }
    return scheme;
  }

  private static IllegalArgumentException refused(String url, String why) {
    return new IllegalArgumentException(
        "mqtt.broker-url: expected tcp://HOST:PORT or ssl://HOST:PORT; found '"
            + SafeText.of(url, 200)
            + "' ("
            + why
            + "; e.g. tcp://127.0.0.1:1883)");
  }
}
