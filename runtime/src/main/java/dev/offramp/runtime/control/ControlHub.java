package dev.offramp.runtime.control;

import dev.offramp.runtime.text.SafeText;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one control path: every transport (HTTP {@code PUT /api/profile|paused}, MQTT {@code
 * set/<name>}, any future controller) changes the daemon's switches here. It validates once,
 * applies to the target (the pipeline), and tells every {@link ControlListener} the applied value,
 * so a profile set over HTTP shows on MQTT's retained {@code state/profile} and vice versa.
 *
 * <p>Thread-safe: changes are serialized, so listeners see them in the order they were applied.
 */
public final class ControlHub implements RuntimeControl {
  private static final System.Logger LOG = System.getLogger(ControlHub.class.getName());

  private final RuntimeControl target;
  private final List<ControlListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, String> announced = new ConcurrentHashMap<>();
  private volatile Consumer<String> bundleRequests =
      v -> {
        throw new IllegalArgumentException("bundle: updates are not available in this run");
      };

  /** Controls {@code target} (the pipeline). */
  public ControlHub(RuntimeControl target) {
    this.target = Objects.requireNonNull(target, "target");
  }

  /** Adds a transport to tell about every applied change. */
  public void addListener(ControlListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public List<String> profiles() {
    return target.profiles();
  }

  @Override
  public String profile() {
    return target.profile();
  }

  /**
   * Switches the exit profile and tells every listener.
   *
   * @throws IllegalArgumentException naming the allowed profiles when {@code name} is unknown
   */
  @Override
  public synchronized void setProfile(String name) {
    Objects.requireNonNull(name, "name");
    if (!target.profiles().contains(name)) {
      throw new IllegalArgumentException(
          "profile: expected one of " + target.profiles() + "; found '" + SafeText.of(name) + "'");
    }
    target.setProfile(name);
    tell("profile", target.profile());
  }

  @Override
  public boolean paused() {
    return target.paused();
  }

  @Override
  public synchronized void setPaused(boolean paused) {
    target.setPaused(paused);
    tell("paused", Boolean.toString(target.paused()));
  }

  /**
   * Parses and applies {@code paused} given as text.
   *
   * @throws IllegalArgumentException when {@code value} is not {@code true} or {@code false}
   */
  public void setPaused(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(
          "paused: expected true or false; found '" + SafeText.of(value) + "'");
    }
    setPaused(Boolean.parseBoolean(v));
  }

  /** Where {@code set/bundle} requests go (the bundle updater). */
  public void onBundleRequest(Consumer<String> handler) {
    bundleRequests = Objects.requireNonNull(handler, "handler");
  }

  /**
   * A bundle update request (an {@code http(s)://} URL or {@code rollback}); checked at once,
   * carried out in the background.
   *
   * @throws IllegalArgumentException when the request is malformed
   */
  public void requestBundle(String value) {
    bundleRequests.accept(value);
  }

  /**
   * Shows a state that changed by itself (the running bundle) to every listener and remembers it,
   * so a transport that connects later can show the latest ({@link #announced()}).
   */
  public void announce(String name, String value) {
    announced.put(name, value);
    tell(name, value);
  }

  /** The latest value of every {@link #announce announced} state. */
  public Map<String, String> announced() {
    return Map.copyOf(announced);
  }

  private void tell(String name, String value) {
    for (ControlListener l : listeners) {
      try {
        l.applied(name, value);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "control: a listener failed to show " + name + "=" + value, e);
      }
    }
  }
}
