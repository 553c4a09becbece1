package dev.offramp.cascade.exec;

import java.util.List;

/**
 * How stages run: the ordered provider preference (CPU is always the last resort), the intra-op
 * thread count ({@code 0} lets ONNX Runtime use one per core) and whether its worker threads spin
 * while idle (off by default: spinning burns a board's power budget between frames).
 *
 * @param providers ordered preference, e.g. {@code [TENSORRT, CUDA, CPU]}
 * @param intraOpThreads threads per stage session; 0 = ONNX Runtime's default
 * @param spinning whether idle worker threads spin
 */
public record ExecutionOptions(List<Provider> providers, int intraOpThreads, boolean spinning) {
  public ExecutionOptions {
    providers = List.copyOf(providers);
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("providers: expected at least one, e.g. [cpu]");
    }
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException(
          "threads: expected 0 (one per core) or a positive count, found " + intraOpThreads);
    }
  }

  /** CPU only, ONNX Runtime's default thread count, no spinning. */
  public static ExecutionOptions defaults() {
    return new ExecutionOptions(List.of(Provider.CPU), 0, false);
  }

  /** A preference list such as {@code tensorrt,cuda,cpu} and a thread count. */
  public static ExecutionOptions parse(String providers, int intraOpThreads) {
    return new ExecutionOptions(Provider.parseList(providers), intraOpThreads, false);
  }
}
