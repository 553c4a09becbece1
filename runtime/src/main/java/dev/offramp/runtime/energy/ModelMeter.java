package dev.offramp.runtime.energy;

/**
 * The fallback: {@code E = P_idle · t + e_mac · MACs}. No I/O; {@link #watts()} reports the
 * estimate of the latest frame. Called on the pipeline thread; {@code watts()} may be read by
 * metrics from another thread (volatile).
 */
public final class ModelMeter implements EnergyMeter {
  private final double idleWatts;
  private final double joulesPerMac;
  private volatile double watts;

  /**
   * @param idleWatts {@code P_idle}, watts
   * @param joulesPerMac {@code e_mac}, joules per multiply-accumulate
   */
  public ModelMeter(double idleWatts, double joulesPerMac) {
    if (!(idleWatts >= 0) || !(joulesPerMac >= 0)) {
      throw new IllegalArgumentException(
          "model meter: expected idle watts and joules per MAC >= 0; found "
              + idleWatts
              + ", "
              + joulesPerMac);
    }
    this.idleWatts = idleWatts;
    this.joulesPerMac = joulesPerMac;
    this.watts = idleWatts;
  }

  public double idleWatts() {
    return idleWatts;
  }

  public double joulesPerMac() {
    return joulesPerMac;
  }

  @Override
  public String method() {
    return "model:macs";
  }

  @Override
  public double frameJoules(long startNanos, long endNanos, long macs) {
    double seconds = Math.max(0, endNanos - startNanos) / 1e9;
    double j = idleWatts * seconds + joulesPerMac * macs;
    if (seconds > 0) {
      watts = j / seconds;
    }
    return j;
  }

  @Override
  public double watts() {
    return watts;
  }

  @Override
  public void close() {}
}
