package dev.offramp.benchmarks.e2e;

import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.Classification;
import dev.offramp.cascade.exec.ExitPolicy;

/**
 * A cascade under one exit policy. Several variants may share one executor (the harness runs them
 * one at a time); the executor's owner closes it. Not thread-safe.
 */
public final class CascadeVariant implements Variant {
  private final String name;
  private final CascadeExecutor executor;
  private final ExitPolicy policy;
  private long lastMacs;
  private int lastExit;

  /**
   * A variant.
   *
   * @param name report name, e.g. {@code boosted:m0.02}
   * @param executor the bundle's executor (not owned)
   * @param policy when to stop
   */
  public CascadeVariant(String name, CascadeExecutor executor, ExitPolicy policy) {
    this.name = name;
    this.executor = executor;
    this.policy = policy;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int classify(float[] input) {
    Classification c = executor.classify(input, policy);
    lastMacs = c.macs();
    lastExit = c.exitStage();
    return c.classId();
  }

  @Override
  public long lastMacs() {
    return lastMacs;
  }

  @Override
  public int lastExitStage() {
    return lastExit;
  }
}
