package dev.offramp.runtime.config;

import dev.offramp.cascade.value.Required;
import dev.offramp.runtime.audit.AuditSettings;
import dev.offramp.runtime.budget.BudgetSettings;
import dev.offramp.runtime.bundle.BundleSettings;
import dev.offramp.runtime.capture.CameraSources;
import dev.offramp.runtime.capture.SourceSettings;
import dev.offramp.runtime.energy.EnergySettings;
import dev.offramp.runtime.http.HttpSettings;
import dev.offramp.runtime.mqtt.MqttSettings;
import dev.offramp.runtime.pipeline.ExecutionSettings;
import dev.offramp.runtime.settings.ConfigNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The whole daemon configuration: one validated record per component. Built by {@link
 * ConfigLoader}; the top-level keys are those read in {@link #parse(ConfigNode)}, which only
 * composes: each component record owns its defaults and parses its own section.
 *
 * @param deviceId the device id, an MQTT topic level ({@code offramp/<device-id>/…})
 * @param stateDir where state survives restarts (the MQTT offline buffer)
 * @param bundle the cascade bundle and profile
 * @param execution ONNX Runtime providers and threads
 * @param sources the cameras, at least one, names unique ({@code source:} or {@code sources:})
 * @param mqtt the MQTT publisher
 * @param http the HTTP server
 * @param energy energy attribution
 * @param audit the live audit of early answers
 * @param budget budget mode (off when no limit is set)
 */
public record RuntimeConfig(
    String deviceId,
    Path stateDir,
    BundleSettings bundle,
    ExecutionSettings execution,
    List<SourceSettings> sources,
    MqttSettings mqtt,
    HttpSettings http,
    EnergySettings energy,
    AuditSettings audit,
    BudgetSettings budget) {

  public RuntimeConfig {
    Required.nonNull(
        "deviceId, stateDir, bundle, execution", deviceId, stateDir, bundle, execution);
    sources = List.copyOf(sources);
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("sources: expected at least one source, found none");
    }
    Required.nonNull("mqtt, http, energy, audit, budget", mqtt, http, energy, audit, budget);
  }

  /** The first (for a single-camera configuration, the only) source. */
  public SourceSettings source() {
    return sources.get(0);
  }

  /**
   * Composes the component settings from the root of the configuration tree; each component parses
   * its own section. The caller runs {@link ConfigNode#finish()}.
   */
  public static RuntimeConfig parse(ConfigNode root) {
    String deviceId = root.string("device-id", defaultDeviceId());
    if (!deviceId.matches("[A-Za-z0-9_-]+")) {
      throw root.error(
          "device-id",
          "expected letters, digits, '-' or '_' (an MQTT topic level)",
          "'" + deviceId + "'");
    }
    Path stateDir = root.path("state-dir", defaultStateDir());
    return new RuntimeConfig(
        deviceId,
        stateDir,
        BundleSettings.parse(root.section("bundle")),
        ExecutionSettings.parse(root.section("execution")),
        CameraSources.parse(root),
        MqttSettings.parse(root.section("mqtt"), deviceId, stateDir),
        HttpSettings.parse(root.section("http")),
        EnergySettings.parse(root.section("energy")),
        AuditSettings.parse(root.section("audit")),
        BudgetSettings.parse(root.section("budget")));
  }

  /** The host name, made safe as a topic level; {@code offramp} when unknown. */
  static String defaultDeviceId() {
    String name = "";
    try {
      name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException | RuntimeException e) {
      // Not Linux, or no procfs: fall through to the default.
    }
    name = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    return name.isEmpty() ? "offramp" : name;
  }

  /** {@code $STATE_DIRECTORY} under systemd, else {@code ~/.local/state/offramp}. */
  static Path defaultStateDir() {
    String systemd = System.getenv("STATE_DIRECTORY");
    if (systemd != null && !systemd.isBlank()) {
      return Path.of(systemd.split(":")[0]);
    }
    return Path.of(System.getProperty("user.home"), ".local", "state", "offramp");
  }
}
