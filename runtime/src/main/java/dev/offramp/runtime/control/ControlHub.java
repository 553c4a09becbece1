package dev.offramp.runtime.control;

import dev.offramp.runtime.pipeline.Switches;
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

  /** Who asked for a change: a person (HTTP, MQTT) or the budget controller. */
  public enum Origin {
    MANUAL,
    BUDGET
  }

  private volatile Switches target;
  private final List<ControlListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean budgetAvailable;
  private volatile boolean budgetOn;
  private volatile String budgetState = "";
  private final Map<String, String> announced = new ConcurrentHashMap<>();
  private volatile Consumer<String> bundleRequests =
      v -> {
        throw new IllegalArgumentException("bundle: updates are not available in this run");
      };

  /** Controls {@code target}: the pipeline, or in tests any other set of switches. */
  public ControlHub(Switches target) {
    this.target = Objects.requireNonNull(target, "target");
  }

  /**
   * A hub for a daemon still starting: transports can take it before the pipeline exists (so MQTT
   * connects while ONNX Runtime opens the stages). Until {@link #bind} it reports {@code profiles}
   * and {@code profile}, not paused, and refuses every change with what to do.
   */
  public static ControlHub starting(List<String> profiles, String profile) {
    return new ControlHub(new Starting(List.copyOf(profiles), Objects.requireNonNull(profile)));
  }

  /** Points the hub at the running pipeline; changes apply from now on. */
  public synchronized void bind(Switches pipeline) {
    this.target = Objects.requireNonNull(pipeline, "pipeline");
  }

  /** The switches of a daemon whose pipeline is not built yet. */
  private record Starting(List<String> profiles, String profile) implements Switches {
    @Override
    public void setProfile(String name) {
      throw notYet("profile");
    }

    @Override
    public boolean paused() {
      return false;
    }

    @Override
    public void setPaused(boolean paused) {
      throw notYet("paused");
    }

    private static IllegalArgumentException notYet(String what) {
      return new IllegalArgumentException(
          what
              + ": expected a running pipeline; found the daemon still starting (opening the"
              + " bundle's stages): send it again in a moment");
    }
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
  public void setProfile(String name) {
    setProfile(name, Origin.MANUAL);
  }

  /**
   * Switches the exit profile on behalf of {@code origin} and tells every listener. A manual set
   * suspends budget mode (listeners hear {@code budget-mode=off}) until {@link #setBudget} turns it
   * back on; a budget set while budget mode is off is ignored.
   *
   * @return whether the profile was applied
   * @throws IllegalArgumentException naming the allowed profiles when {@code name} is unknown
   */
  public synchronized boolean setProfile(String name, Origin origin) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(origin, "origin");
    if (!target.profiles().contains(name)) {
      throw new IllegalArgumentException(
          "profile: expected one of " + target.profiles() + "; found '" + SafeText.of(name) + "'");
    }
    if (origin == Origin.BUDGET && !budgetOn) {
      return false;
    }
    if (origin == Origin.MANUAL && budgetOn) {
      budgetOn = false;
      tell("budget-mode", "off");
    }
    target.setProfile(name);
    tell("profile", target.profile());
    return true;
  }

  /**
   * Makes budget mode available (a budget is configured) and turns it on; called once at start by
   * the budget controller.
   */
  public synchronized void offerBudget() {
    budgetAvailable = true;
    budgetOn = true;
  }

  @Override
  public boolean budgetOn() {
    return budgetOn;
  }

  /** Whether a budget is configured at all. */
  public boolean budgetAvailable() {
    return budgetAvailable;
  }

  /**
   * Turns budget mode on or off ({@code on}/{@code off}, {@code true}/{@code false}); on resumes
   * the controller after a manual profile set.
   *
   * @throws IllegalArgumentException when {@code value} is neither, or no budget is configured
   */
  @Override
  public synchronized void setBudget(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    boolean on;
    if (v.equals("on") || v.equals("true")) {
      on = true;
    } else if (v.equals("off") || v.equals("false")) {
      on = false;
    } else {
      throw new IllegalArgumentException(
          "budget: expected on or off; found '" + SafeText.of(value) + "'");
    }
    if (!budgetAvailable) {
      throw new IllegalArgumentException(
          "budget: expected a configured budget; found none: set budget.target-fps,"
              + " budget.max-watts or budget.max-latency-p95-ms in the config and restart");
    }
    budgetOn = on;
    tell("budget-mode", on ? "on" : "off");
  }

  /**
   * Shows the budget controller's latest decision (JSON) to every listener as {@code budget} (MQTT:
   * retained {@code state/budget}).
   */
  public void showBudget(String json) {
    budgetState = Objects.requireNonNull(json, "json");
    tell("budget", json);
  }

  /** The latest decision shown with {@link #showBudget}; empty before the first. */
  public String budgetState() {
    return budgetState;
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

  // ---- named switches registered by other parts (the live audit's `audit`)
  private final java.util.Map<String, java.util.function.UnaryOperator<String>> switches =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Registers a named switch, set through {@link #set}: {@code apply} validates and applies a value
   * (throwing {@link IllegalArgumentException} with what was expected when it refuses) and returns
   * the applied state, which listeners are told.
   */
  public void addSwitch(String name, java.util.function.UnaryOperator<String> apply) {
    switches.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(apply, "apply"));
  }

  /**
   * Sets a registered switch and tells every listener the applied state.
   *
   * @throws IllegalArgumentException when no such switch is registered or the value is refused
   */
  public synchronized String set(String name, String value) {
    java.util.function.UnaryOperator<String> apply = switches.get(name);
    if (apply == null) {
      throw new IllegalArgumentException(
          "'"
              + SafeText.of(name)
              + "' is not available: expected one of "
              + new java.util.TreeSet<>(switches.keySet()));
    }
    String applied = apply.apply(Objects.requireNonNull(value, "value"));
    tell(name, applied);
    return applied;
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
