import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.exec.AcceleratorOptions;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.Classification;
import dev.offramp.cascade.exec.CudaOptions;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.cascade.exec.Provider;
import dev.offramp.cascade.exec.TensorRtOptions;
import dev.offramp.cascade.preprocess.Preprocessor;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * GPU check (scripts/gpu/check.sh), never part of CI: classifies Fashion-MNIST test images with
 * the demo bundle under cpu, cuda and tensorrt preference lists, and prints one JSON object: per
 * run the providers each stage got, the open time (a second TensorRT open shows the engine cache),
 * latency percentiles, accuracy and agreement with the CPU answers.
 *
 * <p>Arguments: BUNDLE FASHION_MNIST_DIR IMAGES STATE_DIR FP16(true|false)
 */
public final class GpuBench {
  public static void main(String[] args) throws IOException {
    Bundle bundle = Bundle.open(Path.of(args[0]));
    Path data = Path.of(args[1]);
    int n = Integer.parseInt(args[2]);
    Path state = Path.of(args[3]);
    boolean fp16 = Boolean.parseBoolean(args[4]);
    byte[][] images = images(data.resolve("t10k-images-idx3-ubyte.gz"), n);
    byte[] labels = labels(data.resolve("t10k-labels-idx1-ubyte.gz"), n);
    n = images.length;
    TensorRtOptions trt =
        new TensorRtOptions(
            fp16, Optional.empty(), false, true, true, 1024, Optional.empty());
    AcceleratorOptions acc =
        new AcceleratorOptions(trt, CudaOptions.defaults(), Optional.of(state.resolve("accelerators")));
    List<String> runs = new ArrayList<>();
    int[] cpuAnswers = null;
    String[][] lists = {
      {"cpu"}, {"cuda", "cpu"}, {"tensorrt", "cuda", "cpu"}, {"tensorrt", "cuda", "cpu"}
    };
    for (int r = 0; r < lists.length; r++) {
      List<Provider> providers = Arrays.stream(lists[r]).map(Provider::parse).toList();
      long t0 = System.nanoTime();
      try (CascadeExecutor ex =
          CascadeExecutor.open(bundle, new ExecutionOptions(providers, 0, false, acc))) {
        double openMs = (System.nanoTime() - t0) / 1e6;
        Preprocessor pre = new Preprocessor(bundle.manifest().input());
        ExitPolicy policy =
            ExitPolicy.profile(bundle.manifest().profile(bundle.manifest().defaultProfile()));
        for (int i = 0; i < Math.min(50, n); i++) { // warm-up
          pre.fill(images[i], ex.input());
          ex.classify(policy);
        }
        long[] nanos = new long[n];
        int[] answers = new int[n];
        int correct = 0;
        for (int i = 0; i < n; i++) {
          long s = System.nanoTime();
          pre.fill(images[i], ex.input());
          Classification c = ex.classify(policy);
          nanos[i] = System.nanoTime() - s;
          answers[i] = c.classId();
          if (c.classId() == labels[i]) {
            correct++;
          }
        }
        if (cpuAnswers == null) {
          cpuAnswers = answers;
        }
        int agree = 0;
        for (int i = 0; i < n; i++) {
          agree += answers[i] == cpuAnswers[i] ? 1 : 0;
        }
        Arrays.sort(nanos);
        runs.add(
            String.format(
                Locale.ROOT,
                "{\"asked\": \"%s\", \"got\": \"%s\", \"open_ms\": %.1f, \"p50_ms\": %.4f,"
                    + " \"p99_ms\": %.4f, \"accuracy\": %.4f, \"agreement_with_cpu\": %.4f}",
                String.join(",", lists[r]),
                String.join(",", ex.stageProviders()),
                openMs,
                nanos[n / 2] / 1e6,
                nanos[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6,
                correct / (double) n,
                agree / (double) n));
      }
    }
    System.out.println(
        "{\"bundle\": \""
            + bundle.manifest().name()
            + "\", \"images\": "
            + n
            + ", \"fp16\": "
            + fp16
            + ", \"runs\": [\n  "
            + String.join(",\n  ", runs)
            + "\n]}");
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream in = new GZIPInputStream(Files.newInputStream(file));
    return new DataInputStream(in);
  }

  private static byte[][] images(Path file, int n) throws IOException {
    try (DataInputStream in = open(file)) {
      in.readInt();
      int count = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      byte[][] out = new byte[Math.min(n, count)][rows * cols];
      for (byte[] image : out) {
        in.readFully(image);
      }
      return out;
    }
  }

  private static byte[] labels(Path file, int n) throws IOException {
    try (DataInputStream in = open(file)) {
      in.readInt();
      int count = in.readInt();
      byte[] out = new byte[Math.min(n, count)];
      in.readFully(out);
      return out;
    }
  }
}
