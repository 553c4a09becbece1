package dev.offramp.cascade.exec;

import java.util.List;
import java.util.Objects;

/**
 * How stages run: the ordered provider preference (CPU is always the last resort), the intra-op
 * thread count ({@code 0} lets ONNX Runtime use one per core) and whether its worker threads spin
 * while idle (off by default: spinning burns a board's power budget between frames).
 *
 * @param providers ordered preference, e.g. {@code [TENSORRT, CUDA, CPU]}
 * @param intraOpThreads threads per stage session; 0 = ONNX Runtime's default
 * @param spinning whether idle worker threads spin
 * @param accelerators TensorRT and CUDA provider options and their cache directory
 */
public record ExecutionOptions(
    List<Provider> providers,
    int intraOpThreads,
    boolean spinning,
    AcceleratorOptions accelerators) {
  public ExecutionOptions {
    Objects.requireNonNull(accelerators, "accelerators");
    providers = List.copyOf(providers);
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("providers: expected at least one, e.g. [cpu]");
    }
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException(
          "threads: expected 0 (one per core) or a positive count, found " + intraOpThreads);
    }
  }

  /** Provider defaults for TensorRT and CUDA, no cache directory. */
  public ExecutionOptions(List<Provider> providers, int intraOpThreads, boolean spinning) {
    this(providers, intraOpThreads, spinning, AcceleratorOptions.defaults());
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
