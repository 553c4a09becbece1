package dev.offramp.exporter.split;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The offramp version recorded in the files it writes. */
public final class ToolVersion {
  private static final String VERSION = find();

  private ToolVersion() {}

  /** The version from the jar manifest or Maven metadata; "development" in a source tree. */
  public static String get() {
    return VERSION;
  }

  private static String find() {
    String v = ToolVersion.class.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    try (InputStream in =
        ToolVersion.class.getResourceAsStream(
            "/META-INF/maven/dev.offramp/offramp-exporter/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "development");
      }
    } catch (IOException e) {
      return "development";
    }
    return "development";
  }
}
