package dev.offramp.exporter.train;

import ai.djl.engine.Engine;

/**
 * Loads DJL's PyTorch engine offline: the native library is taken from the {@code
 * pytorch-native-cpu} jar on the classpath, never downloaded; one intra-op and one inter-op thread
 * so results are reproducible for a seed. Call {@link #engine()} before any DJL use.
 */
public final class Djl {
  private static volatile Engine engine;

  private Djl() {}

  /** The PyTorch engine, loaded once per process. */
  public static Engine engine() {
    Engine e = engine;
    if (e == null) {
      synchronized (Djl.class) {
        if (engine == null) {
          System.setProperty("ai.djl.offline", "true");
          System.setProperty("DJL_OFFLINE", "true");
          setIfAbsent("ai.djl.pytorch.num_threads", "1");
          setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
          setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
          try {
            engine = Engine.getEngine("PyTorch");
          } catch (RuntimeException ex) {
            throw new IllegalStateException(
                "cannot load DJL's PyTorch engine offline: expected the pytorch-native-cpu"
                    + " (linux-x86_64) jar on the classpath; "
                    + ex.getMessage(),
                ex);
          }
        }
        e = engine;
      }
    }
    return e;
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
